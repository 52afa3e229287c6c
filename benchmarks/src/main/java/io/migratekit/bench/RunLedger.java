package io.migratekit.bench;

import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.JobCreated;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.VmContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecord;

/**
 * What one load run sent and what the decision answered: per request id the answer expected and the
 * decision outcomes seen ({@code ContextCreated} without a job, {@code JobCreated},
 * {@code ReplicationRejected}, {@code DiscoveryFailed}); per VM of the run the job its context holds,
 * from the context changelog in order, to catch a second job created while one is active. Requests
 * sent twice with one id are not expected separately: their one outcome is the first's. Thread-safe:
 * the {@link OutcomeCollector} writes, the run reads. Ignores events of requests and VMs of other runs.
 */
final class RunLedger {

    /** The answer a request should get. */
    enum Expect {
        /** A new VM added to management only. */
        CONTEXT_ONLY,
        /** A new VM with a job (ContextCreated with start_replication=true, then JobCreated). */
        JOB,
        /** start_replication=false for a managed VM: 409 VM_ALREADY_MANAGED. */
        ALREADY_MANAGED,
        /** A request while the VM's job runs: 409 ACTIVE_REPLICATION_JOB (a new job if that one has ended since). */
        ACTIVE_JOB
    }

    private static final int MAX_PROBLEMS = 20;
    private static final String NO_JOB = "";

    private final Set<String> vmIds;
    private final Map<String, Expect> expected = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private final Map<String, String> currentJobByVm = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger duplicateOutcomes = new AtomicInteger();
    private final AtomicInteger unexpected = new AtomicInteger();
    private final AtomicInteger endedBeforeSecondRequest = new AtomicInteger();
    private final AtomicInteger secondActiveJobs = new AtomicInteger();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    RunLedger(Set<String> vmIds) {
        this.vmIds = Set.copyOf(vmIds);
    }

    void expect(String requestId, Expect answer) {
        if (expected.putIfAbsent(requestId, answer) != null) {
            throw new IllegalArgumentException("request id " + requestId + " is expected twice");
        }
    }

    int expectedCount() {
        return expected.size();
    }

    int answered() {
        return answered.get();
    }

    long lastAnswerNanos() {
        return lastAnswerNanos.get();
    }

    /** Waits until every expected request has an outcome; false when the timeout came first. */
    boolean awaitAnswers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (answered.get() < expected.size()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Takes one event read by the collector at {@code nanos}. */
    void onEvent(SpecificRecord event, long nanos) {
        if (event instanceof ContextCreated created) {
            if (!created.getStartReplication()) {
                outcome(created.getCorrelationId(), Expect.CONTEXT_ONLY, "context_created", nanos);
            } else if (expected.containsKey(created.getCorrelationId())) {
                count("context_created_with_job");
            }
        } else if (event instanceof JobCreated job) {
            outcome(job.getCorrelationId(), Expect.JOB, "job_created", nanos);
        } else if (event instanceof ReplicationRejected rejected) {
            Expect kind = rejected.getReason() == RejectionReason.VM_ALREADY_MANAGED ? Expect.ALREADY_MANAGED
                    : rejected.getReason() == RejectionReason.ACTIVE_REPLICATION_JOB ? Expect.ACTIVE_JOB : null;
            outcome(rejected.getCorrelationId(), kind, "rejected_" + rejected.getReason(), nanos);
        } else if (event instanceof DiscoveryFailed failed) {
            outcome(failed.getCorrelationId(), null, "discovery_failed_" + failed.getReason(), nanos);
        } else if (event instanceof VmContext context && vmIds.contains(context.getVmwareVmId())) {
            String job = context.getCurrentJobId() == null ? NO_JOB : context.getCurrentJobId();
            String before = currentJobByVm.put(context.getVmwareVmId(), job);
            if (before != null && !before.equals(NO_JOB) && !job.equals(NO_JOB) && !before.equals(job)) {
                secondActiveJobs.incrementAndGet();
                problem("VM " + context.getVmwareVmId() + " got job " + job + " while job " + before + " was active");
            }
        }
    }

    private void outcome(String requestId, Expect kind, String label, long nanos) {
        Expect wanted = expected.get(requestId);
        if (wanted == null) {
            return;
        }
        count(label);
        int seen = outcomes.computeIfAbsent(requestId, id -> new AtomicInteger()).incrementAndGet();
        if (seen > 1) {
            duplicateOutcomes.incrementAndGet();
            problem("request " + requestId + " got a second outcome " + label);
            return;
        }
        if (kind != wanted) {
            if (wanted == Expect.ACTIVE_JOB && kind == Expect.JOB) {
                endedBeforeSecondRequest.incrementAndGet();
            } else {
                unexpected.incrementAndGet();
                problem("request " + requestId + " expected " + wanted + ", got " + label);
            }
        }
        lastAnswerNanos.accumulateAndGet(nanos, Math::max);
        answered.incrementAndGet();
    }

    private void count(String label) {
        byKind.computeIfAbsent(label, k -> new LongAdder()).increment();
    }

    private void problem(String description) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(description);
        }
    }

    /** The run's correctness as of now. */
    Verdict verdict() {
        Map<String, Long> kinds = new TreeMap<>();
        byKind.forEach((kind, count) -> kinds.put(kind, count.sum()));
        List<String> sample;
        synchronized (problems) {
            sample = List.copyOf(problems);
        }
        return new Verdict(expected.size(), answered.get(), duplicateOutcomes.get(), unexpected.get(),
                secondActiveJobs.get(), endedBeforeSecondRequest.get(), kinds, sample);
    }

    /**
     * @param expected                 distinct requests sent
     * @param answered                 of those, how many got an outcome
     * @param duplicateOutcomes        outcomes beyond the first for one request (must be 0)
     * @param unexpected               first outcomes of another kind than expected (must be 0)
     * @param secondActiveJobs         jobs created on a context whose job was still active (must be 0)
     * @param endedBeforeSecondRequest second requests that found the first job ended and rightly got a new one
     * @param byKind                   outcome events by kind
     * @param problems                 the first problems found, described
     */
    record Verdict(int expected, int answered, int duplicateOutcomes, int unexpected, int secondActiveJobs,
            int endedBeforeSecondRequest, Map<String, Long> byKind, List<String> problems) {

        boolean correct() {
            return answered == expected && duplicateOutcomes == 0 && unexpected == 0 && secondActiveJobs == 0;
        }

        String describe() {
            return (correct() ? "correct" : "INCORRECT") + ": " + answered + "/" + expected + " requests answered, "
                    + duplicateOutcomes + " second outcomes, " + unexpected + " unexpected, " + secondActiveJobs
                    + " second active jobs, " + endedBeforeSecondRequest + " found their first job ended; " + byKind
                    + (problems.isEmpty() ? "" : "; " + problems);
        }
    }
}
