package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.get;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.replicateBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** 1,000 concurrent jobs advance on one engine thread and a handful of HTTP/callback threads. */
class ScaleTest {

    private static final int JOBS = 1000;
    private static final int HTTP_THREADS = 4;

    @Test
    void thousandConcurrentJobsProgressWithASmallThreadCount() throws Exception {
        Inventory inventory = Inventory.generated(JOBS);
        try (SimTestSupport.StubOma oma = new SimTestSupport.StubOma();
             VmaSimulator sim = VmaSimulator.start(SimulatorConfig.builder()
                     .inventory(inventory)
                     .copyRateBytesPerSecond(1024L * 1024 * 1024 * 1024)
                     .tickInterval(Duration.ofMillis(20))
                     .diskGap(Duration.ZERO)
                     .httpThreads(HTTP_THREADS)
                     .callbackConcurrency(16)
                     .build())) {

            AtomicInteger peakThreads = new AtomicInteger();
            Semaphore inFlight = new Semaphore(16);
            List<CompletableFuture<HttpResponse<String>>> starts = new ArrayList<>();
            List<SimVm> vms = inventory.all();
            for (int i = 0; i < JOBS; i++) {
                inFlight.acquire();
                HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/v1/replicate"))
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(replicateBody("job-scale-" + i, vms.get(i), oma.url()).toString()))
                        .build();
                starts.add(SimTestSupport.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((r, e) -> inFlight.release()));
                if (i % 100 == 0) {
                    peakThreads.accumulateAndGet(simulatorThreads(), Math::max);
                }
            }
            for (CompletableFuture<HttpResponse<String>> f : starts) {
                assertThat(f.join().statusCode()).isEqualTo(200);
            }
            assertThat(sim.jobs()).hasSize(JOBS);

            String lastProgress = sim.baseUrl() + "/api/v1/progress/job-scale-" + (JOBS - 1);
            JsonNode sample = await().atMost(Duration.ofSeconds(20))
                    .until(() -> {
                        HttpResponse<String> r = get(lastProgress);
                        return r.statusCode() == 200 ? json(r) : null;
                    }, p -> p != null && p.get("bytes_transferred").asLong() > 0);
            assertThat(sample.get("total_bytes").asLong()).isPositive();

            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(100)).until(() -> {
                peakThreads.accumulateAndGet(simulatorThreads(), Math::max);
                return sim.jobs().stream().allMatch(JobSnapshot::finished);
            });

            long disks = 0;
            for (JobSnapshot job : sim.jobs()) {
                assertThat(job.bytesTransferred()).isEqualTo(job.totalBytes());
                assertThat(job.errors()).isEmpty();
                disks += job.disks().size();
            }
            assertThat(oma.calls()).hasSize((int) (2 * disks));
            assertThat(sim.activeJobs()).isZero();
            assertThat(peakThreads.get())
                    .as("engine + callbacks + HTTP pool, independent of the number of jobs")
                    .isLessThanOrEqualTo(1 + 2 + HTTP_THREADS);
        }
    }

    private static int simulatorThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("vmasim-")) {
                n++;
            }
        }
        return n;
    }
}
