package io.migratekit.e2e;

import static io.migratekit.e2e.FailoverSupport.only;
import static io.migratekit.e2e.FailoverSupport.options;

import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.StepStatus;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.SimVm;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.specific.SpecificRecord;
import tools.jackson.databind.JsonNode;

/**
 * Benchmark (a main class, not a test): the reaction delay of failover-service from the final sync's
 * {@code JobCompleted} to the next failover step starting, over N live failovers on the standalone
 * stack. Each delay is read from the events themselves — the {@code occurred_at} of the final sync's
 * {@code JobCompleted} (stamped by progress-service) and of the {@code target_vm} step's
 * {@code started} (stamped by failover-service), one clock, one machine. Prints p50, p99 and max with
 * the machine, and failover-service's own timer for comparison.
 *
 * <p>Arguments: number of failovers (default 30), how many run at once (default 5).
 */
public final class FailoverReactionBenchmark {

    private FailoverReactionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Pipeline pipeline = Pipeline.get();
        FailoverSupport failovers = new FailoverSupport(pipeline);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long began = System.nanoTime();
        try {
            List<CompletableFuture<Long>> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> reactionMillis(failovers), pool));
            }
            List<Long> delays = new ArrayList<>();
            for (CompletableFuture<Long> run : runs) {
                delays.add(run.join());
            }
            Collections.sort(delays);
            long totalSeconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();
            System.out.println(report(delays, parallel, totalSeconds, serviceTimer(pipeline)));
        } finally {
            pool.shutdown();
            pipeline.stack.close();
        }
    }

    /** One live failover of a freshly replicated VM; its reaction delay in milliseconds. */
    private static long reactionMillis(FailoverSupport failovers) {
        SimVm vm = failovers.replicatedVm("bench", 1);
        String failoverId = failovers.acceptedFailover(vm, "live", options());
        JsonNode failover = failovers.awaitEnded(failoverId);
        if (!"completed".equals(failover.get("status").asString())) {
            throw new IllegalStateException("failover " + failoverId + " did not complete: " + failover);
        }
        List<SpecificRecord> events = failovers.events(vm, Topics.JOB_COMPLETED, Topics.FAILOVER_STEP_CHANGED);
        JobCompleted synced = only(events, JobCompleted.class).stream()
                .filter(job -> failoverId.equals(job.getFailoverId())).findFirst().orElseThrow();
        FailoverStepChanged next = only(events, FailoverStepChanged.class).stream()
                .filter(step -> step.getStep() == FailoverStep.target_vm && step.getStatus() == StepStatus.started)
                .findFirst().orElseThrow();
        return Duration.between(synced.getOccurredAt(), next.getOccurredAt()).toMillis();
    }

    /** failover-service's own reaction timer, as its Prometheus endpoint shows it. */
    private static String serviceTimer(Pipeline pipeline) throws Exception {
        String health = pipeline.stack.endpoints().get("failover-service");
        String url = health.replace("/actuator/health", "/actuator/prometheus");
        HttpResponse<String> response = pipeline.http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        StringBuilder lines = new StringBuilder();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("migratekit_failover_final_sync_reaction_seconds")) {
                lines.append("    ").append(line).append('\n');
            }
        }
        return lines.toString();
    }

    private static String report(List<Long> delays, int parallel, long totalSeconds, String serviceTimer) {
        Runtime runtime = Runtime.getRuntime();
        long physical = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return String.format(Locale.ROOT, """

                Failover reaction: final sync JobCompleted -> target_vm step started
                  failovers        %d (%d at a time, %d s in all)
                  p50              %d ms
                  p99              %d ms
                  max              %d ms
                  min              %d ms
                  machine          %d cores, %d MiB memory, %s %s
                  JVM              %s %s, max heap %d MiB
                  failover-service timer (seconds):
                %s""",
                delays.size(), parallel, totalSeconds, percentile(delays, 0.50), percentile(delays, 0.99),
                delays.get(delays.size() - 1), delays.get(0), runtime.availableProcessors(),
                physical / (1024 * 1024), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                runtime.maxMemory() / (1024 * 1024), serviceTimer);
    }

    /** The nearest-rank percentile of sorted values. */
    private static long percentile(List<Long> sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
