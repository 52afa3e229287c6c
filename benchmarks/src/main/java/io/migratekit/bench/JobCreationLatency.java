package io.migratekit.bench;

import io.migratekit.standalone.Stack;
import io.migratekit.vmasim.SimVm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Figure 2: {@code POST /api/v1/replications} → 201 with a started job, at a steady rate, each request
 * for a VM the pipeline has never seen (a new context and a new job). The path has {@value #KAFKA_HOPS}
 * Kafka hops — {@code ReplicationRequested} to discovery-service, {@code VmDiscovered} to the decision,
 * {@code JobCreated} (written in the decision's exactly-once transaction) to the workflow,
 * {@code JobStarted} back to job-intake — plus the VMA's discover and replicate calls and the simulated
 * CloudStack. Open loop: each request is due at its slot and its latency counts from that slot, so a
 * slow answer cannot hide the requests due behind it. Owns its HTTP client and its VMs.
 */
final class JobCreationLatency {

    static final int KAFKA_HOPS = 4;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(90);

    private final Stack stack;
    private final PlatformClients clients;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    JobCreationLatency(Stack stack, PlatformClients clients) {
        this.stack = stack;
        this.clients = clients;
    }

    /** One run: {@code rate} requests/s, first for {@code warmUp} (not counted), then for {@code measured}. */
    Run run(String tag, int rate, Duration warmUp, Duration measured) throws InterruptedException {
        try (StageTimes stages = new StageTimes(clients)) {
            return run(tag, rate, warmUp, measured, stages);
        }
    }

    private Run run(String tag, int rate, Duration warmUp, Duration measured, StageTimes stages)
            throws InterruptedException {
        int warmUpCount = (int) (rate * warmUp.toSeconds());
        int total = warmUpCount + (int) (rate * measured.toSeconds());
        List<SimVm> vms = BenchVms.create(tag, total);
        vms.forEach(stack.simulator().inventory()::add);
        SynchronizedHistogram latency = Latency.synchronizedHistogram();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> warmUpStatuses = new ConcurrentHashMap<>();
        CountDownLatch answered = new CountDownLatch(total);
        URI uri = URI.create(stack.apiUrl() + "/replications");
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long epochNanosAtStart = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean counted = i >= warmUpCount;
            SimVm vm = vms.get(i);
            if (counted) {
                stages.due(vm.id(), (epochNanosAtStart + due - start) / 1_000_000L);
            }
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT)
                    .header("Authorization", "Bearer " + stack.apiToken()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BenchVms.restBody(vm))).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                long done = System.nanoTime();
                int status = failure == null ? response.statusCode() : -1;
                (counted ? statuses : warmUpStatuses).computeIfAbsent(status, s -> new AtomicInteger())
                        .incrementAndGet();
                if (counted && status == 201) {
                    Latency.record(latency, done - due);
                    stages.answered(vm.id(), System.currentTimeMillis());
                }
                answered.countDown();
            });
        }
        long lastDue = start + (total - 1) * interval;
        if (!answered.await(ANSWER_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
            throw new IllegalStateException((answered.getCount()) + " of " + total + " requests got no answer");
        }
        double sendingSeconds = (lastDue - start) / 1e9;
        stages.awaitMarks(Duration.ofSeconds(10));
        return new Run(Latency.of(latency), counts(statuses), counts(warmUpStatuses), total - warmUpCount,
                (total - 1) / sendingSeconds, stages.stages(), vms);
    }

    private static Map<Integer, Integer> counts(Map<Integer, AtomicInteger> statuses) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        statuses.forEach((status, count) -> byStatus.put(status, count.get()));
        return byStatus;
    }

    /**
     * @param latency      from each counted request's slot to its 201
     * @param statuses       counted answers by HTTP status (-1: no answer)
     * @param warmUpStatuses answers during the warm-up by HTTP status
     * @param counted        requests counted (after the warm-up)
     * @param offeredRate    the rate requests were sent at
     * @param stages         the counted requests' time by stage of the path
     * @param vms            the run's VMs (to remove from the simulator once the pipeline is idle)
     */
    record Run(Latency latency, Map<Integer, Integer> statuses, Map<Integer, Integer> warmUpStatuses, int counted,
            double offeredRate, Map<String, Latency> stages, List<SimVm> vms) {

        boolean correct() {
            return statuses.size() == 1 && statuses.getOrDefault(201, 0) == counted;
        }
    }
}
