package io.migratekit.bench;

import io.migratekit.standalone.Stack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The pipeline measured against the raw Kafka floor, on the standalone stack in this JVM: starts the
 * stack on free loopback ports, measures the figures the options ask for — figures 1 to 3
 * {@code repeats} times, the pipeline idle between runs, medians reported beside the floor measured in
 * the same invocation; figures 4 (failover reaction) and 5 (progress fan-in) once, after figure 3 and
 * before figure 6 fills the decision's state — checks that every request of every run got exactly one
 * outcome (every failover completed, every job followed), and prints the report
 * (also written to {@code --report}). Exits 0 when every run was correct, 2 when one was not, 64 on
 * bad options. The figures' own classes measure; this class orders them and reports.
 *
 * <p>Run from the repository root: {@code benchmarks/run.sh [options]} (see {@link BenchmarkOptions#USAGE}).
 */
public final class PipelineBenchmark {

    private static final Duration IDLE_SETTLE = Duration.ofSeconds(3);
    private static final Duration IDLE_CPU = Duration.ofSeconds(5);
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final int WARM_UP_RATE = 20;
    private static final int WARM_UP_VMS = 1000;
    private static final String FAILOVER_SERVICE = "failover-service";

    private final BenchmarkOptions options;
    private final Report report;
    private final List<KafkaFloor.FloorRun> floorRuns = new ArrayList<>();
    private final List<JobCreationLatency.Run> jobRuns = new ArrayList<>();
    private final List<DecisionRun> decisionRuns = new ArrayList<>();
    private final List<DecisionRun> decisionOnlyRuns = new ArrayList<>();
    private final List<DecisionRun> decisionAtScaleRuns = new ArrayList<>();
    private final List<StateScale.Restore> restores = new ArrayList<>();
    private final List<ColdStart.Run> coldStarts = new ArrayList<>();
    private StateScale.Materialized materialized;
    private JobCreationLatency.Run lightJobRun;
    private FailoverReaction.Run failoverRun;
    private ProgressFanIn.Run fanInRun;
    private Memory idleMemory;
    private long peakJvmRss;
    private long peakHeap;
    private long peakTotal;

    public PipelineBenchmark(BenchmarkOptions options, PrintStream out) {
        this.options = options;
        this.report = new Report(out);
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(BenchmarkOptions.USAGE);
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchmarkOptions.USAGE);
            System.exit(64);
            return;
        }
        PipelineBenchmark benchmark = new PipelineBenchmark(options, System.out);
        benchmark.run();
        System.exit(benchmark.correct() ? 0 : 2);
    }

    /** Whether every run of every figure was answered correctly. */
    public boolean correct() {
        return report.correct();
    }

    /** The correctness failures found, described. */
    public List<String> failures() {
        return report.failures();
    }

    List<KafkaFloor.FloorRun> floorRuns() {
        return List.copyOf(floorRuns);
    }

    List<JobCreationLatency.Run> jobRuns() {
        return List.copyOf(jobRuns);
    }

    JobCreationLatency.Run lightJobRun() {
        return lightJobRun;
    }

    List<DecisionRun> decisionRuns() {
        return List.copyOf(decisionRuns);
    }

    List<DecisionRun> decisionOnlyRuns() {
        return List.copyOf(decisionOnlyRuns);
    }

    List<DecisionRun> decisionAtScaleRuns() {
        return List.copyOf(decisionAtScaleRuns);
    }

    FailoverReaction.Run failoverRun() {
        return failoverRun;
    }

    ProgressFanIn.Run fanInRun() {
        return fanInRun;
    }

    StateScale.Materialized materialized() {
        return materialized;
    }

    List<StateScale.Restore> restores() {
        return List.copyOf(restores);
    }

    Memory idleMemory() {
        return idleMemory;
    }

    /** Runs the figures; the report is printed as it goes and written to the options' report file at the end. */
    public void run() throws Exception {
        Machine machine = Machine.current();
        report.line("# MigrateKit pipeline benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        report.line("");
        report.line("Machine: " + machine.describe() + ".");
        report.line("Settings: " + options.describe() + ".");
        Map<String, String> previous = applyServiceSettings();
        Path dataDir = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("migratekit-bench-");
        try {
            if (options.measures(7)) {
                coldStartsInChildJvms(dataDir);
            }
            StackStart.Started started = StackStart.start(dataDir.resolve("stack"), options.partitions());
            try (Stack stack = started.stack()) {
                report.line("");
                report.line(String.format(Locale.ROOT, "Stack started in this JVM in %.1f s, every service UP after %.1f s.",
                        started.startSeconds(), started.healthySeconds()));
                measure(stack, dataDir.resolve("stack"), started);
            }
        } finally {
            restoreServiceSettings(previous);
            if (options.dataDir() == null) {
                deleteRecursively(dataDir);
            }
        }
        summarize(machine);
        report.write(options.reportFile());
    }

    private void measure(Stack stack, Path stackDir, StackStart.Started started) throws Exception {
        PlatformClients clients = new PlatformClients(stack.bootstrapServers(), stack.registryUrl());
        report.line("Producers and consumers (the services' own, from the platform defaults): "
                + clients.describeProducer() + ".");
        CpuProfile cpu = new CpuProfile(stackDir, URI.create(stack.apiUrl()).getPort());
        try (Admin admin = clients.admin("bench-admin");
                KafkaProducer<String, SpecificRecord> producer = clients.producer("bench-load-producer");
                OutcomeCollector collector = new OutcomeCollector(clients)) {
            Quiescence quiescence = new Quiescence(admin, stack.simulator());
            Thread.sleep(IDLE_SETTLE.toMillis());
            quiescence.await(Duration.ofSeconds(options.drainSeconds()));
            idleMemory = Memory.now(stackDir);
            CpuProfile.Snapshot idleStart = cpu.snapshot();
            Thread.sleep(IDLE_CPU.toMillis());
            report.line("CPU of the idle stack: " + cpu.between(idleStart, cpu.snapshot()).describe());
            if (options.measures(7)) {
                coldStarts.add(new ColdStart.Run(Double.NaN, started.healthySeconds(), idleMemory.jvmRss(),
                        idleMemory.childrenPss()));
                report.line("Memory idle after start: " + idleMemory.describe() + ".");
            }
            if (options.measures(1)) {
                floor(clients);
            }
            DecisionLoad load = new DecisionLoad(stack.simulator(), producer, collector);
            warmUp(stack, clients, load, quiescence);
            if (options.measures(2)) {
                jobCreation(stack, clients, quiescence, cpu);
            }
            if (options.measures(3)) {
                report.heading("Figure 3: decision throughput over " + options.decisionVms() + " VMs");
                report.line("Requests published straight to the request topic (no HTTP), each through fresh discovery"
                        + " on the simulated VMA and the decision. Mix per run: one first request per VM ("
                        + Stats.percent(options.jobShare()) + " start a job, the rest add the VM to management), the"
                        + " same request again (same request id) for every third VM, a second request for every second"
                        + " VM (409 active job / already managed).");
                decisions(load, quiescence, cpu, stackDir, DecisionLoad.Entry.REQUESTS, "f3", options.repeats(),
                        decisionRuns);
                report.line("");
                report.line("The decision alone (one run, a diagnostic): the same mix entering as `VmDiscovered` (as"
                        + " discovery-service would publish it), so discovery and the VMA are not on the path.");
                decisions(load, quiescence, cpu, stackDir, DecisionLoad.Entry.DISCOVERIES, "f3d", 1, decisionOnlyRuns);
            }
            if (options.measures(4)) {
                failoverReaction(stack, clients, quiescence, cpu);
            }
            if (options.measures(5)) {
                progressFanIn(stack, clients, producer, collector, quiescence, cpu);
            }
            if (options.measures(6)) {
                stateAtScale(stack, load, producer, collector, admin, quiescence, cpu, stackDir);
            }
            if (options.measures(7)) {
                report.heading("Figure 7: footprint after the run");
                report.line("Memory now: " + Memory.now(stackDir).describe() + ".");
            }
        }
    }

    /**
     * Runs every path once at a light load before anything is measured (the JIT compiles it, the serializers
     * register their schemas), and reports how those requests were answered.
     */
    private void warmUp(Stack stack, PlatformClients clients, DecisionLoad load, Quiescence quiescence)
            throws InterruptedException {
        if (!options.measures(2) && !options.measures(3) && !options.measures(4) && !options.measures(5)
                && !options.measures(6)) {
            return;
        }
        int apiRate = Math.min(WARM_UP_RATE, options.jobRate());
        // No longer than a measured run (a smoke run's few seconds), at most WARM_UP.
        Duration apiWarmUp = WARM_UP.compareTo(Duration.ofSeconds(options.jobSeconds())) < 0 ? WARM_UP
                : Duration.ofSeconds(options.jobSeconds());
        JobCreationLatency.Run api = new JobCreationLatency(stack, clients).run("warm-api", apiRate, Duration.ZERO,
                apiWarmUp);
        DecisionLoad.Plan plan = load.plan("warm-topic", Math.min(WARM_UP_VMS, options.decisionVms()),
                options.jobShare(), DecisionLoad.Entry.REQUESTS);
        DecisionLoad.Result topic = load.publish(plan, Duration.ofSeconds(120));
        Quiescence.Result drain = quiescence.await(Duration.ofSeconds(options.drainSeconds()));
        api.vms().forEach(vm -> stack.simulator().inventory().remove(vm.id()));
        load.forget(plan);
        report.line("");
        report.line("Warm-up (not measured): " + api.counted() + " requests through the API at " + apiRate
                + "/s, answered " + api.statuses() + "; " + topic.distinct() + " requests through the request topic, "
                + plan.ledger().verdict().describe() + "; pipeline " + drain.describe() + ".");
    }

    private void floor(PlatformClients clients) throws InterruptedException {
        report.heading("Figure 1: the raw Kafka floor");
        report.line("One produce → consume hop on the stack's broker, topic `" + KafkaFloor.TOPIC + "` with "
                + options.partitions() + " partitions, `ReplicationRequested` values; latency at " + options.floorRate()
                + " records/s for " + options.floorSeconds() + " s (after " + KafkaFloor.WARM_UP.toSeconds()
                + " s of warm-up), throughput of a burst of "
                + options.floorBurst() + " records from one producer to one consumer.");
        KafkaFloor floor = new KafkaFloor(clients, options.partitions());
        for (int r = 1; r <= options.repeats(); r++) {
            KafkaFloor.FloorRun run = floor.run(options.floorRate(), Duration.ofSeconds(options.floorSeconds()),
                    options.floorBurst());
            floorRuns.add(run);
            report.line("- run " + r + ": " + run.latency().describe() + "; burst " + Stats.rate(run.recordsPerSecond())
                    + " records/s");
        }
        report.line("- median: p50 " + Stats.ms(floorP50()) + " ms, p99 " + Stats.ms(floorP99()) + " ms, "
                + Stats.rate(floorThroughput()) + " records/s");
    }

    private void jobCreation(Stack stack, PlatformClients clients, Quiescence quiescence, CpuProfile cpu)
            throws InterruptedException {
        report.heading("Figure 2: job creation latency, POST /api/v1/replications → 201");
        report.line(options.jobRate() + " requests/s over VMs new to the pipeline (a new context and a started job"
                + " each), " + options.jobWarmupSeconds() + " s warm-up then " + options.jobSeconds() + " s measured;"
                + " latency from each request's due time. Kafka hops on the path: " + JobCreationLatency.KAFKA_HOPS
                + " (ReplicationRequested → discovery-service, VmDiscovered → decision, JobCreated → workflow,"
                + " JobStarted → job-intake), plus the VMA's discover and replicate calls.");
        JobCreationLatency latency = new JobCreationLatency(stack, clients);
        for (int r = 1; r <= options.repeats(); r++) {
            jobRuns.add(jobRun(stack, latency, quiescence, cpu, "f2-r" + r, options.jobRate(), "run " + r,
                    r == options.repeats()));
        }
        double p50 = Stats.median(jobRuns, run -> run.latency().p50Ms());
        report.line("- median: p50 " + Stats.ms(p50) + " ms, p99 " + Stats.ms(Stats.median(jobRuns,
                run -> run.latency().p99Ms())) + " ms, max " + Stats.ms(Stats.median(jobRuns, run -> run.latency().maxMs()))
                + " ms; " + JobCreationLatency.KAFKA_HOPS + " hops × floor p50 = "
                + Stats.ms(JobCreationLatency.KAFKA_HOPS * floorP50()) + " ms");
        if (options.jobLightRate() > 0) {
            report.line("The same path at a light load (" + options.jobLightRate() + " requests/s), to tell the path's"
                    + " own latency from queueing:");
            lightJobRun = jobRun(stack, latency, quiescence, cpu, "f2-light", options.jobLightRate(), "light run", true);
        }
    }

    private JobCreationLatency.Run jobRun(Stack stack, JobCreationLatency latency, Quiescence quiescence, CpuProfile cpu,
            String tag, int rate, String name, boolean detailed) throws InterruptedException {
        CpuProfile.Snapshot before = cpu.snapshot();
        JobCreationLatency.Run run = latency.run(tag, rate, Duration.ofSeconds(options.jobWarmupSeconds()),
                Duration.ofSeconds(options.jobSeconds()));
        CpuProfile.Usage usage = cpu.between(before, cpu.snapshot());
        Quiescence.Result drain = quiescence.await(Duration.ofSeconds(options.drainSeconds()));
        run.vms().forEach(vm -> stack.simulator().inventory().remove(vm.id()));
        report.line("- " + name + ": " + run.latency().describe() + "; answers " + run.statuses() + " at "
                + Stats.rate(run.offeredRate()) + " req/s" + (run.warmUpStatuses().keySet().equals(Set.of(201))
                        ? "" : " (warm-up answers " + run.warmUpStatuses() + ")") + "; pipeline " + drain.describe());
        if (detailed) {
            StringBuilder stages = new StringBuilder("  - time by stage (p50 / p99 ms):");
            run.stages().forEach((stage, time) -> stages.append(String.format(Locale.ROOT, "%n      %8s / %8s  %s",
                    Stats.ms(time.p50Ms()), Stats.ms(time.p99Ms()), stage)));
            report.line(stages.toString());
            report.line("  - CPU during the " + name + " (warm-up included): "
                    + usage.describe(run.counted() + run.warmUpStatuses().values().stream().mapToInt(i -> i).sum(),
                            "request"));
        }
        if (!run.correct()) {
            report.failure("figure 2 " + name + ": not every request was answered 201: " + run.statuses());
        }
        return run;
    }

    private void decisions(DecisionLoad load, Quiescence quiescence, CpuProfile cpu, Path stackDir,
            DecisionLoad.Entry entry, String tag, int count, List<DecisionRun> runs) throws InterruptedException {
        for (int r = 1; r <= count; r++) {
            DecisionRun run = decisionRun(load, quiescence, cpu, stackDir, entry, tag + "-r" + r, options.decisionVms());
            runs.add(run);
            report.line("- run " + r + ": " + run.describe());
            if (r == count) {
                report.line("  - CPU during run " + r + ": " + run.cpu().describe(run.result().distinct(), "request"));
            }
            if (!run.verdict().correct() || !run.result().complete()) {
                report.failure(tag + " run " + r + ": " + run.verdict().describe());
            }
        }
        report.line("- median: " + Stats.rate(Stats.median(runs, run -> run.result().decisionsPerSecond()))
                + " decisions/s");
    }

    private DecisionRun decisionRun(DecisionLoad load, Quiescence quiescence, CpuProfile cpu, Path stackDir,
            DecisionLoad.Entry entry, String tag, int vms) throws InterruptedException {
        DecisionLoad.Plan plan = load.plan(tag, vms, options.jobShare(), entry);
        Duration timeout = Duration.ofSeconds(60 + plan.ledger().expectedCount() / 100);
        CpuProfile.Snapshot before = cpu.snapshot();
        DecisionLoad.Result result;
        CpuProfile.Usage usage;
        try (Memory.Sampler memory = new Memory.Sampler(stackDir)) {
            result = load.publish(plan, timeout);
            usage = cpu.between(before, cpu.snapshot());
            peakJvmRss = Math.max(peakJvmRss, memory.peakJvmRss());
            peakHeap = Math.max(peakHeap, memory.peakHeapCommitted());
            peakTotal = Math.max(peakTotal, memory.peakTotal());
        }
        Quiescence.Result drain = quiescence.await(Duration.ofSeconds(options.drainSeconds()));
        RunLedger.Verdict verdict = plan.ledger().verdict();
        load.forget(plan);
        return new DecisionRun(result, verdict, drain, usage);
    }

    private void failoverReaction(Stack stack, PlatformClients clients, Quiescence quiescence, CpuProfile cpu)
            throws InterruptedException {
        report.heading("Figure 4: failover reaction time");
        report.line(options.failovers() + " live failovers through the API, " + options.failoverParallel() + " at once,"
                + " each on a VM new to the pipeline (one 1 GiB disk): POST /api/v1/replications, its context"
                + " `ready_for_failover` (the initial job completed), POST /api/v1/failovers (live), the failover ended."
                + " Reaction delay of each, from the events' `occurred_at` (read committed): the final sync's"
                + " `JobCompleted` (progress-service) → the `target_vm` step `started` (failover-service), one Kafka hop"
                + " behind progress-service's transaction. Power-off and target VM on the simulated VMA and CloudStack.");
        ServiceMetrics failoverMetrics = new ServiceMetrics(stack, FAILOVER_SERVICE);
        ServiceMetrics.Scrape timerBefore = scrapeIfReachable(failoverMetrics);
        CpuProfile.Snapshot before = cpu.snapshot();
        failoverRun = new FailoverReaction(stack, clients).run("f4", options.failovers(), options.failoverParallel());
        CpuProfile.Usage usage = cpu.between(before, cpu.snapshot());
        ServiceMetrics.Scrape timerAfter = scrapeIfReachable(failoverMetrics);
        Quiescence.Result drain = quiescence.await(Duration.ofSeconds(options.drainSeconds()));
        failoverRun.vms().forEach(vm -> stack.simulator().inventory().remove(vm.id()));
        report.line(String.format(Locale.ROOT, "- %d/%d failovers completed in %.1f s (replications included);"
                + " reaction %s; floor p50 %s ms; pipeline %s", failoverRun.completed(), failoverRun.requested(),
                failoverRun.seconds(), failoverRun.reaction().describe(), Stats.ms(floorP50()), drain.describe()));
        report.line("  - failover-service's own timer `migratekit.failover.final_sync.reaction` (its"
                + " /actuator/prometheus): " + describeReactionTimer(timerBefore, timerAfter));
        report.line("  - CPU during the run: " + usage.describe(failoverRun.requested(), "failover"));
        if (!failoverRun.correct()) {
            report.failure("figure 4: " + failoverRun.completed() + "/" + failoverRun.requested()
                    + " failovers completed with both events read; " + failoverRun.problems());
        }
    }

    /** The service's meters, or null when its endpoint does not answer (the timer is a comparison, not the figure). */
    private static ServiceMetrics.Scrape scrapeIfReachable(ServiceMetrics metrics) throws InterruptedException {
        try {
            return metrics.scrape();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** The timer's count and mean over the run, and its own p50/p99/max (its decaying window), as exposed. */
    private static String describeReactionTimer(ServiceMetrics.Scrape before, ServiceMetrics.Scrape after) {
        String name = "migratekit_failover_final_sync_reaction_seconds";
        if (before == null || after == null) {
            return "not reachable";
        }
        double count = after.sum(name + "_count") - before.sum(name + "_count");
        if (Double.isNaN(count)) {
            return "not exposed";
        }
        double sum = after.sum(name + "_sum") - before.sum(name + "_sum");
        return String.format(Locale.ROOT, "%.0f recorded in the run, mean %s ms; p50 %s ms, p99 %s ms, max %s ms"
                + " (the timer's own recent window)", count, Stats.ms(count > 0 ? sum / count * 1000 : Double.NaN),
                Stats.ms(after.value(name, "quantile", "0.5") * 1000), Stats.ms(after.value(name, "quantile", "0.99")
                        * 1000), Stats.ms(after.sum(name + "_max") * 1000));
    }

    private void progressFanIn(Stack stack, PlatformClients clients, KafkaProducer<String, SpecificRecord> producer,
            OutcomeCollector collector, Quiescence quiescence, CpuProfile cpu) throws InterruptedException {
        report.heading("Figure 5: progress fan-in");
        report.line(String.format(Locale.ROOT, "%,d jobs started through the request topic on VMs new to the pipeline,"
                + " each disk large enough that its simulated copy runs through the measurement; once progress-service"
                + " follows every one, %d s of polling, then %d s measured: jobs followed (its gauge, every second),"
                + " polls/s (its counter), poll lag (its histogram's buckets in the window: upper bounds), its CPU by"
                + " thread. Afterwards every copy is failed on the simulated VMA, so that each job ends (`JobFailed`).",
                options.followedJobs(), options.followWarmupSeconds(), options.followSeconds()));
        ProgressFanIn fanIn = new ProgressFanIn(stack, clients, producer, collector);
        fanInRun = fanIn.run("f5", options.followedJobs(), Duration.ofSeconds(options.followWarmupSeconds()),
                Duration.ofSeconds(options.followSeconds()), Duration.ofSeconds(options.drainSeconds()), cpu);
        Quiescence.Result drain = quiescence.await(Duration.ofSeconds(options.drainSeconds()));
        fanIn.forget(fanInRun);
        ProgressFanIn.Window window = fanInRun.window();
        report.line(String.format(Locale.ROOT, "- %,d jobs created (%s), every one followed %.1f s after the first"
                + " request; in the %.1f s window %,d–%,d followed, %s polls/s %s, poll lag p50 ≤ %s ms, p99 ≤ %s ms;"
                + " ended afterwards: %s%s; pipeline %s", fanInRun.jobs(), fanInRun.verdict().correct() ? "each once"
                        : fanInRun.verdict().describe(), fanInRun.followedAfter(), window.seconds(),
                window.followedMin(), window.followedMax(), Stats.rate(window.pollsPerSecond()),
                window.pollsByOutcome().keySet(), Stats.ms(window.lagP50Ms()), Stats.ms(window.lagP99Ms()),
                fanInRun.failedByReason(), fanInRun.completed() > 0 ? ", " + fanInRun.completed() + " completed" : "",
                drain.describe()));
        report.line("  - progress-service's CPU: " + Stats.percent(window.serviceCores()) + " of one core (its threads), "
                + Stats.percent(window.serviceCores() + window.httpCores()) + " with the JDK HTTP client threads (its"
                + " VMA polls; shared with the other services' VMA clients)");
        report.line("  - CPU in the window: " + window.cpu().describe(Math.round(window.pollsPerSecond()
                * window.seconds()), "poll"));
        if (!fanInRun.correct()) {
            report.failure("figure 5: " + fanInRun.problem());
        }
    }

    private void stateAtScale(Stack stack, DecisionLoad load, KafkaProducer<String, SpecificRecord> producer,
            OutcomeCollector collector, Admin admin, Quiescence quiescence, CpuProfile cpu, Path stackDir)
            throws InterruptedException {
        report.heading("Figure 6: state at scale");
        StateScale scale = new StateScale(stack, producer, collector, admin, options.partitions());
        CpuProfile.Snapshot before = cpu.snapshot();
        materialized = scale.materialize("f6", options.stateContexts(),
                Duration.ofSeconds(120 + options.stateContexts() / 200));
        CpuProfile.Usage usage = cpu.between(before, cpu.snapshot());
        Quiescence.Result drain = quiescence.await(Duration.ofSeconds(options.drainSeconds()));
        report.line(String.format(Locale.ROOT, "- %,d VM contexts materialized (VmDiscovered with start_replication=false"
                + " straight to the decision) in %.1f s: %s contexts/s; %s; pipeline %s", materialized.contexts(),
                materialized.seconds(), Stats.rate(materialized.perSecond()), materialized.verdict().describe(),
                drain.describe()));
        report.line("  - CPU while materializing: " + usage.describe(materialized.contexts(), "context"));
        if (!materialized.verdict().correct()) {
            report.failure("figure 6 materialization: " + materialized.verdict().describe());
        }
        report.line("Decision throughput with those contexts in the store (figure 3's load, through discovery; one run):");
        DecisionRun run = decisionRun(load, quiescence, cpu, stackDir, DecisionLoad.Entry.REQUESTS, "f6-r1",
                options.decisionVms());
        decisionAtScaleRuns.add(run);
        report.line("- " + run.describe() + "; " + Stats.percent(Stats.ratio(decisionsAtScale(),
                decisionsThroughDiscovery())) + " of figure 3");
        report.line("  - CPU during the run: " + run.cpu().describe(run.result().distinct(), "request"));
        if (!run.verdict().correct() || !run.result().complete()) {
            report.failure("figure 6 run: " + run.verdict().describe());
        }
        report.line("Restart of job-service's Spring context, to the first decisions answered from restored state"
                + " (one probe per partition, each must be refused as already managed):");
        for (boolean wipe : new boolean[] {false, true}) {
            StateScale.Restore restore = scale.restart(wipe, Duration.ofMinutes(5));
            restores.add(restore);
            report.line(String.format(Locale.ROOT, "- %s: context stop and start %.1f s, probes answered after %.1f s"
                    + " (changelogs hold %,d records); %s", wipe ? "local state directory deleted"
                            : "local state kept (baseline)", restore.restartSeconds(), restore.answeredSeconds(),
                    restore.changelogRecords(), restore.verdict().describe()));
            if (!restore.verdict().correct()) {
                report.failure("figure 6 restore (wiped=" + wipe + "): " + restore.verdict().describe());
            }
            quiescence.await(Duration.ofSeconds(options.drainSeconds()));
        }
    }

    private void coldStartsInChildJvms(Path dataDir) throws IOException, InterruptedException {
        report.heading("Figure 7: cold start");
        for (int i = 1; i <= options.coldStarts(); i++) {
            ColdStart.Run run = ColdStart.inChildJvm(dataDir.resolve("cold-" + i), options.partitions());
            coldStarts.add(run);
            report.line(String.format(Locale.ROOT, "- fresh JVM %d: every service UP %.1f s after Stack.start, %.1f s"
                    + " after the JVM started; JVM RSS %s, registry and PostgreSQL %s", i, run.healthySeconds(),
                    run.jvmToHealthySeconds(), Stats.mib(run.jvmRss()), Stats.mib(run.childrenPss())));
            deleteRecursively(dataDir.resolve("cold-" + i));
        }
    }

    private void summarize(Machine machine) {
        if (options.measures(1)) {
            report.row("1 raw Kafka hop (produce → consume)", "p50 " + Stats.ms(floorP50()) + " ms, p99 "
                    + Stats.ms(floorP99()) + " ms; " + Stats.rate(floorThroughput()) + " rec/s", "—", "—", "—", "—");
        }
        if (options.measures(2)) {
            double p50 = Stats.median(jobRuns, run -> run.latency().p50Ms());
            double p99 = Stats.median(jobRuns, run -> run.latency().p99Ms());
            double max = Stats.median(jobRuns, run -> run.latency().maxMs());
            double hopsFloor = JobCreationLatency.KAFKA_HOPS * floorP50();
            double ratio = Stats.ratio(p50, hopsFloor);
            report.row("2 job creation POST → 201 at " + options.jobRate() + "/s (" + JobCreationLatency.KAFKA_HOPS
                    + " Kafka hops)", "p50 " + Stats.ms(p50) + " ms, p99 " + Stats.ms(p99) + " ms, max " + Stats.ms(max)
                    + " ms", JobCreationLatency.KAFKA_HOPS + " × p50 = " + Stats.ms(hopsFloor) + " ms",
                    "p50 " + Stats.times(ratio), "p50 ≤ 2× hops × floor; p99 ≤ 50 ms",
                    met(ratio <= 2) + " / " + met(p99 <= 50));
            if (lightJobRun != null) {
                double light = lightJobRun.latency().p50Ms();
                report.row("2b job creation at " + options.jobLightRate() + "/s (light load)", "p50 " + Stats.ms(light)
                        + " ms, p99 " + Stats.ms(lightJobRun.latency().p99Ms()) + " ms, max "
                        + Stats.ms(lightJobRun.latency().maxMs()) + " ms", JobCreationLatency.KAFKA_HOPS + " × p50 = "
                        + Stats.ms(hopsFloor) + " ms", "p50 " + Stats.times(Stats.ratio(light, hopsFloor)), "(diagnostic)",
                        "—");
            }
        }
        if (options.measures(3)) {
            double through = decisionsThroughDiscovery();
            report.row("3 decisions/s, " + options.decisionVms() + " VMs, through discovery", Stats.rate(through) + "/s",
                    Stats.rate(floorThroughput()) + " rec/s", Stats.percent(Stats.ratio(through, floorThroughput())),
                    "≥ 5,000/s", met(through >= 5000));
            double alone = Stats.median(decisionOnlyRuns, run -> run.result().decisionsPerSecond());
            report.row("3b decisions/s, the decision alone (VmDiscovered in)", Stats.rate(alone) + "/s",
                    Stats.rate(floorThroughput()) + " rec/s", Stats.percent(Stats.ratio(alone, floorThroughput())),
                    "(diagnostic)", "—");
        }
        if (options.measures(4) && failoverRun != null) {
            Latency reaction = failoverRun.reaction();
            report.row("4 failover reaction time, final sync `JobCompleted` → `target_vm` started (" + failoverRun.completed()
                    + " live, " + options.failoverParallel() + " at once)", "p50 " + Stats.ms(reaction.p50Ms()) + " ms, p99 "
                    + Stats.ms(reaction.p99Ms()) + " ms, max " + Stats.ms(reaction.maxMs()) + " ms", "1 hop: p50 "
                    + Stats.ms(floorP50()) + " ms", "p50 " + Stats.times(Stats.ratio(reaction.p50Ms(), floorP50())),
                    "p99 ≤ 50 ms", met(reaction.p99Ms() <= 50));
        }
        if (options.measures(5) && fanInRun != null) {
            ProgressFanIn.Window window = fanInRun.window();
            double cores = window.serviceCores() + window.httpCores();
            report.row(String.format(Locale.ROOT, "5 progress fan-in, %,d jobs followed", fanInRun.jobs()),
                    String.format(Locale.ROOT, "%,d followed, %s polls/s, lag p50 ≤ %s ms, p99 ≤ %s ms; CPU %s of a core"
                            + " (%s without the HTTP client threads)", window.followedMin(),
                            Stats.rate(window.pollsPerSecond()), Stats.ms(window.lagP50Ms()), Stats.ms(window.lagP99Ms()),
                            Stats.percent(cores), Stats.percent(window.serviceCores())), "—", "—",
                    "≥ 1,000 jobs at ≤ 25% of one core", met(window.followedMin() >= 1000) + " / " + met(cores <= 0.25));
        }
        if (options.measures(6) && materialized != null) {
            report.row("6 contexts materialized", String.format(Locale.ROOT, "%,d at %s/s", materialized.contexts(),
                    Stats.rate(materialized.perSecond())), "—", "—", "—", "—");
            double ratio = Stats.ratio(decisionsAtScale(), decisionsThroughDiscovery());
            report.row("6 decisions/s at " + String.format(Locale.ROOT, "%,d", materialized.contexts()) + "+ contexts",
                    Stats.rate(decisionsAtScale()) + "/s", Stats.rate(floorThroughput()) + " rec/s",
                    Stats.percent(ratio) + " of figure 3", "≥ 80% of figure 3", met(ratio >= 0.8));
            restores.stream().filter(StateScale.Restore::wiped).findFirst().ifPresent(wiped -> {
                double warm = restores.stream().filter(r -> !r.wiped()).mapToDouble(StateScale.Restore::answeredSeconds)
                        .findFirst().orElse(Double.NaN);
                report.row("6 job-service restore from changelog (state dir deleted)",
                        Stats.seconds(wiped.answeredSeconds()) + " s to decisions", "restart keeping state: "
                                + Stats.seconds(warm) + " s", "—", "≤ 60 s", met(wiped.answeredSeconds() <= 60));
            });
        }
        if (options.measures(7) && idleMemory != null) {
            double healthy = Stats.median(coldStarts, ColdStart.Run::healthySeconds);
            report.row("7 cold start to every service UP", Stats.seconds(healthy) + " s (JVM start → UP "
                    + Stats.seconds(Stats.median(coldStarts, ColdStart.Run::jvmToHealthySeconds)) + " s)", "—", "—",
                    "≤ 30 s", met(healthy <= 30));
            report.row("7 memory idle", "JVM RSS " + Stats.mib(idleMemory.jvmRss()) + " (heap committed "
                    + Stats.mib(idleMemory.heapCommitted()) + "); with registry and PostgreSQL "
                    + Stats.mib(idleMemory.total()), "—", "—", "≤ 2 GiB", met(idleMemory.total() <= 2L << 30));
            if (peakJvmRss > 0) {
                report.row("7 memory under figure 3's load (peak)", "JVM RSS " + Stats.mib(peakJvmRss) + " (heap committed "
                        + Stats.mib(peakHeap) + "); with registry and PostgreSQL " + Stats.mib(peakTotal), "—", "—", "≤ 2 GiB",
                        met(peakTotal <= 2L << 30));
            }
        }
        report.summarize();
        report.line("");
        report.line("Machine: " + machine.describe() + "; load average at the end " + Machine.currentLoadAverage() + ".");
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    private double floorP50() {
        return Stats.median(floorRuns, run -> run.latency().p50Ms());
    }

    private double floorP99() {
        return Stats.median(floorRuns, run -> run.latency().p99Ms());
    }

    private double floorThroughput() {
        return Stats.median(floorRuns, KafkaFloor.FloorRun::recordsPerSecond);
    }

    private double decisionsThroughDiscovery() {
        return Stats.median(decisionRuns, run -> run.result().decisionsPerSecond());
    }

    private double decisionsAtScale() {
        return Stats.median(decisionAtScaleRuns, run -> run.result().decisionsPerSecond());
    }

    /** Sets the {@code --set} settings as system properties, which every service's Spring environment reads. */
    private Map<String, String> applyServiceSettings() {
        Map<String, String> previous = new HashMap<>();
        options.serviceSettings().forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
        return previous;
    }

    private static void restoreServiceSettings(Map<String, String> previous) {
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** One decision run: its throughput, its correctness once the pipeline was idle, the wait, and the CPU. */
    record DecisionRun(DecisionLoad.Result result, RunLedger.Verdict verdict, Quiescence.Result drain,
            CpuProfile.Usage cpu) {

        String describe() {
            return String.format(Locale.ROOT, "%s decisions/s (%,d distinct requests of %,d published in %.1f s,"
                    + " published in %.1f s); %s; pipeline %s", Stats.rate(result.decisionsPerSecond()),
                    result.distinct(), result.published(), result.seconds(), result.publishSeconds(),
                    verdict.describe(), drain.describe());
        }
    }
}
