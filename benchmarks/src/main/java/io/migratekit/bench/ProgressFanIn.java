package io.migratekit.bench;

import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.schemas.Topics;
import io.migratekit.standalone.Stack;
import io.migratekit.vmasim.SimVm;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Figure 5: progress-service's fan-in. Starts {@code jobs} jobs through the request topic on VMs new to the
 * pipeline whose disk is large enough that the simulated copy keeps running for the whole measurement, waits
 * until progress-service follows every one of them, lets it poll for a warm-up, then measures over a window:
 * jobs followed (its gauge {@value #JOBS_FOLLOWED}, sampled every second), polls per second (its counter
 * {@value #POLLS}), poll lag p50/p99 (its histogram {@value #POLL_LAG}, the window's buckets: each value is
 * the upper bound of its bucket) and its CPU by {@link CpuProfile}'s split. Afterwards every copy is made to
 * fail on the simulated VMA (a copy fault at 0 %), so that progress-service ends each job with
 * {@code JobFailed} and the next figures run on an idle pipeline. Reads the service's meters from its
 * {@code /actuator/prometheus}. Owns the run's VMs and their faults (removed by {@link #forget}).
 */
final class ProgressFanIn {

    static final String SERVICE = "progress-service";
    static final String JOBS_FOLLOWED = "migratekit_progress_jobs_followed";
    static final String POLLS = "migratekit_progress_polls_total";
    static final String POLL_LAG = "migratekit_progress_poll_lag_seconds";
    private static final Duration SAMPLE = Duration.ofSeconds(1);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Copy time beyond the start, the warm-up and the window, so no copy ends while it is measured. */
    private static final Duration COPY_MARGIN = Duration.ofSeconds(300);

    private final Stack stack;
    private final PlatformClients clients;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final OutcomeCollector collector;
    private final ServiceMetrics metrics;

    ProgressFanIn(Stack stack, PlatformClients clients, KafkaProducer<String, SpecificRecord> producer,
            OutcomeCollector collector) {
        this.stack = stack;
        this.clients = clients;
        this.producer = producer;
        this.collector = collector;
        this.metrics = new ServiceMetrics(stack, SERVICE);
    }

    /**
     * One run: {@code jobs} jobs started and followed, {@code warmUp} of polling, then {@code measured}
     * measured; every job ended afterwards (at most {@code endTimeout} waited for their {@code JobFailed}).
     */
    Run run(String tag, int jobs, Duration warmUp, Duration measured, Duration endTimeout, CpuProfile cpu)
            throws InterruptedException {
        Duration startTimeout = Duration.ofSeconds(120 + jobs / 10);
        long copySeconds = startTimeout.plus(warmUp).plus(measured).plus(COPY_MARGIN).toSeconds();
        List<SimVm> vms = BenchVms.create(tag, jobs, stack.simulator().config().copyRateBytesPerSecond() * copySeconds);
        Set<String> ids = new HashSet<>();
        vms.forEach(vm -> ids.add(vm.id()));
        Events events = new Events(ids);
        double baseline = awaitNoneFollowed();
        try (TopicTail tail = new TopicTail(clients, "bench-progress-events",
                List.of(Topics.JOB_STARTED, Topics.JOB_COMPLETED, Topics.JOB_FAILED), events::onEvent)) {
            vms.forEach(stack.simulator().inventory()::add);
            long start = System.nanoTime();
            RunLedger ledger = start(vms, startTimeout);
            long deadline = start + startTimeout.toNanos();
            double followed = metrics.scrape().sum(JOBS_FOLLOWED) - baseline;
            while ((events.started.size() < jobs || !(followed >= jobs)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                followed = metrics.scrape().sum(JOBS_FOLLOWED) - baseline;
            }
            double followedAfter = (System.nanoTime() - start) / 1e9;
            Thread.sleep(warmUp.toMillis());

            Window window = measure(measured, baseline, cpu);

            vms.forEach(vm -> stack.simulator().faults().forVm(vm.id()).failCopyAt(0));
            long endDeadline = System.nanoTime() + endTimeout.toNanos();
            while (events.ended() < events.started.size() && System.nanoTime() < endDeadline) {
                Thread.sleep(200);
            }
            tail.check();
            return new Run(jobs, ledger.verdict(), events.started.size(), followedAfter, window,
                    events.failedByReason(), events.completed.get(), vms);
        }
    }

    /**
     * Waits (at most {@link #SETTLE}) until progress-service follows no job: a job of an earlier run whose copy
     * ended is followed until its next poll, after the pipeline looked idle. Returns the jobs still followed.
     */
    private double awaitNoneFollowed() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        double followed = metrics.scrape().sum(JOBS_FOLLOWED);
        while (followed != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            followed = metrics.scrape().sum(JOBS_FOLLOWED);
        }
        return followed;
    }

    /** Publishes one request with a job per VM and waits for every decision's answer. */
    private RunLedger start(List<SimVm> vms, Duration timeout) throws InterruptedException {
        Set<String> ids = new HashSet<>();
        vms.forEach(vm -> ids.add(vm.id()));
        RunLedger ledger = new RunLedger(ids);
        collector.track(ledger);
        for (SimVm vm : vms) {
            String requestId = UUID.randomUUID().toString();
            ledger.expect(requestId, RunLedger.Expect.JOB);
            producer.send(new ProducerRecord<>(Topics.REPLICATION_REQUESTED.name(), vm.id(),
                    BenchVms.requested(vm, requestId, true)));
        }
        producer.flush();
        ledger.awaitAnswers(timeout);
        collector.check();
        return ledger;
    }

    private Window measure(Duration measured, double baseline, CpuProfile cpu) throws InterruptedException {
        ServiceMetrics.Scrape before = metrics.scrape();
        CpuProfile.Snapshot cpuBefore = cpu.snapshot();
        double min = Double.MAX_VALUE;
        double max = 0;
        long end = System.nanoTime() + measured.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(SAMPLE.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            double followed = metrics.scrape().sum(JOBS_FOLLOWED) - baseline;
            min = Math.min(min, followed);
            max = Math.max(max, followed);
        }
        CpuProfile.Usage usage = cpu.between(cpuBefore, cpu.snapshot());
        ServiceMetrics.Scrape after = metrics.scrape();
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        Map<String, Double> byOutcome = new TreeMap<>();
        after.byLabel(POLLS, "outcome").forEach((outcome, count) -> {
            double polls = count - before.byLabel(POLLS, "outcome").getOrDefault(outcome, 0.0);
            if (polls > 0) {
                byOutcome.put(outcome, polls);
            }
        });
        double polls = byOutcome.values().stream().mapToDouble(Double::doubleValue).sum();
        double lagP50 = ServiceMetrics.quantileBetween(before.buckets(POLL_LAG), after.buckets(POLL_LAG), 0.50) * 1000;
        double lagP99 = ServiceMetrics.quantileBetween(before.buckets(POLL_LAG), after.buckets(POLL_LAG), 0.99) * 1000;
        double serviceCores = usage.coresByPart().getOrDefault(CpuProfile.PROGRESS, 0.0);
        double httpCores = usage.coresByPart().getOrDefault(CpuProfile.HTTP_CLIENTS, 0.0);
        return new Window(seconds, (int) Math.round(min), (int) Math.round(max), polls / seconds, byOutcome, lagP50,
                lagP99, serviceCores, httpCores, usage);
    }

    /** Removes the run's VMs and their faults from the simulator (once the pipeline is idle). */
    void forget(Run run) {
        for (SimVm vm : run.vms()) {
            stack.simulator().faults().clear(vm.id());
            stack.simulator().inventory().remove(vm.id());
        }
    }

    /** The run's jobs' events read from the topics: started, completed, failed by reason. */
    private static final class Events {

        private final Set<String> vmIds;
        final Set<String> started = ConcurrentHashMap.newKeySet();
        final AtomicInteger completed = new AtomicInteger();
        private final Map<String, String> failed = new ConcurrentHashMap<>();

        Events(Set<String> vmIds) {
            this.vmIds = Set.copyOf(vmIds);
        }

        void onEvent(String key, SpecificRecord event) {
            if (key == null || !vmIds.contains(key)) {
                return;
            }
            if (event instanceof JobStarted started) {
                this.started.add(started.getJobId());
            } else if (event instanceof JobCompleted) {
                completed.incrementAndGet();
            } else if (event instanceof JobFailed job) {
                failed.putIfAbsent(job.getJobId(), String.valueOf(job.getReason()));
            }
        }

        int ended() {
            return completed.get() + failed.size();
        }

        Map<String, Integer> failedByReason() {
            Map<String, Integer> byReason = new TreeMap<>();
            failed.values().forEach(reason -> byReason.merge(reason, 1, Integer::sum));
            return byReason;
        }
    }

    /**
     * The measured window.
     *
     * @param seconds        its length
     * @param followedMin    the fewest jobs followed at one sample (beyond those followed before the run)
     * @param followedMax    the most
     * @param pollsPerSecond polls started per second, every outcome
     * @param pollsByOutcome polls by outcome
     * @param lagP50Ms       poll lag p50 (upper bound of its bucket)
     * @param lagP99Ms       poll lag p99 (upper bound of its bucket)
     * @param serviceCores   progress-service's threads, in cores
     * @param httpCores      the JVM's JDK HTTP client threads (its VMA calls; shared with the other services' VMA clients)
     * @param cpu            the whole split
     */
    record Window(double seconds, int followedMin, int followedMax, double pollsPerSecond,
            Map<String, Double> pollsByOutcome, double lagP50Ms, double lagP99Ms, double serviceCores, double httpCores,
            CpuProfile.Usage cpu) {
    }

    /**
     * @param jobs           jobs requested
     * @param verdict        the requests' answers (each must be one JobCreated)
     * @param started        jobs started (JobStarted read)
     * @param followedAfter  seconds from the first request to every job followed
     * @param window         the measurement
     * @param failedByReason the jobs' ends afterwards, JobFailed by reason
     * @param completed      jobs that completed instead (none should: their copies outlast the run)
     * @param vms            the run's VMs
     */
    record Run(int jobs, RunLedger.Verdict verdict, int started, double followedAfter, Window window,
            Map<String, Integer> failedByReason, int completed, List<SimVm> vms) {

        int ended() {
            return completed + failedByReason.values().stream().mapToInt(Integer::intValue).sum();
        }

        boolean correct() {
            return verdict.correct() && started == jobs && window.followedMin() >= jobs && ended() == jobs;
        }

        String problem() {
            return verdict.describe() + "; " + started + "/" + jobs + " jobs started, at least " + window.followedMin()
                    + " followed in the window, " + ended() + " ended afterwards " + failedByReason
                    + (completed > 0 ? " + " + completed + " completed" : "");
        }
    }
}
