package io.migratekit.cssim;

import static io.migratekit.cssim.SimTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.migratekit.cssim.SimTestSupport.Client;
import tools.jackson.databind.JsonNode;

/** Concurrent calls on one volume: the rules hold under a race. */
class RaceTest {

    @TempDir
    Path dataDir;

    @Test
    void ofConcurrentAttachesOfOneVolumeToDifferentVmsExactlyOneSucceeds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (CloudStackSimulator sim = CloudStackSimulator.start(config(dataDir, Duration.ZERO).build())) {
            Client client = new Client(sim);
            SimulatorConfig c = sim.config();
            // given one detached volume and six stopped VMs
            String vol = client.createVolume(sim, "contested", 1);
            List<String> vms = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                vms.add(RulesTest.deploy(client, c, "racer-" + i));
            }
            // when all six attach it at the same moment
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<JsonNode>> jobs = new ArrayList<>();
            for (String vm : vms) {
                jobs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    String jobId = client.post("attachVolume", Map.of("id", vol, "virtualmachineid", vm)).body().get("jobid").asString();
                    return client.awaitJob(jobId);
                }, pool));
            }
            go.countDown();
            // then exactly one job succeeded, the five others were refused by the rule
            List<JsonNode> results = jobs.stream().map(CompletableFuture::join).toList();
            List<JsonNode> succeeded = results.stream().filter(j -> j.get("jobstatus").asInt() == 1).toList();
            List<JsonNode> failed = results.stream().filter(j -> j.get("jobstatus").asInt() == 2).toList();
            assertThat(succeeded).hasSize(1);
            assertThat(failed).hasSize(5).allSatisfy(j -> assertThat(j.get("jobresult").get("errortext").asString())
                    .isEqualTo("Please specify a volume that is not attached to any VM."));
            String winner = succeeded.get(0).get("jobresult").get("volume").get("virtualmachineid").asString();
            assertThat(client.get("listVolumes", Map.of("id", vol)).body().get("volume").get(0).get("virtualmachineid").asString())
                    .isEqualTo(winner);
        } finally {
            pool.shutdownNow();
        }
    }
}
