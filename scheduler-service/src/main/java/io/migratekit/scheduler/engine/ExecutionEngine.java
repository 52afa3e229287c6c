package io.migratekit.scheduler.engine;

import io.migratekit.client.ReplicationClient;
import io.migratekit.client.ReplicationOutcome;
import io.migratekit.client.Submission;
import io.migratekit.db.tables.records.ExecutionVmsRecord;
import io.migratekit.db.tables.records.ScheduleExecutionsRecord;
import io.migratekit.db.tables.records.SchedulesRecord;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.SourceVm;
import io.migratekit.scheduler.plan.ExecutionPlan;
import io.migratekit.scheduler.plan.ExecutionPlan.Vm;
import io.migratekit.scheduler.plan.ExecutionPlan.VmState;
import io.migratekit.scheduler.plan.ExecutionPlan.VmStatus;
import io.migratekit.scheduler.store.ExecutionIds;
import io.migratekit.scheduler.store.SchedulerStore;
import io.migratekit.scheduler.store.SchedulerStore.Member;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the executions this instance claimed: requests their VMs through the replication client as the
 * {@link ExecutionPlan} allows, applies the answers (the request's outcome, then the job events the
 * listener hands over), retries failed VMs after the delay, records every step before it acts on it
 * and publishes the execution's start and end. One lock for everything (the plans are small and every
 * step is short), so events, outcomes, retries and triggers never interleave within an execution.
 * Owns the in-memory plans; the table rows are the durable copy it resumes from after a restart.
 */
public class ExecutionEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutionEngine.class);

    /** The engine's settings: this instance's name, the waits and the length of a retry delay's minute. */
    public record Settings(String instanceId, Duration outcomeWait, Duration retryDelayUnit, Duration republishBackoff) {
    }

    private record Running(ScheduleExecutionsRecord execution, ExecutionPlan plan) {
    }

    private final SchedulerStore store;
    private final ReplicationClient client;
    private final SchedulerEvents events;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "scheduler-timers");
        thread.setDaemon(true);
        return thread;
    });

    public ExecutionEngine(SchedulerStore store, ReplicationClient client, SchedulerEvents events, Clock clock,
            Settings settings) {
        this.store = store;
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Claims the execution and, when this call won the claim, runs it.
     *
     * @return whether this call claimed it (false: another instance, or an earlier call, did)
     */
    public synchronized boolean fire(SchedulesRecord schedule, Instant dueAt, String executionId, String triggeredBy,
            String reason) {
        ScheduleExecutionsRecord execution = execution(schedule, dueAt, executionId, triggeredBy, reason, "scheduled");
        if (!store.claim(execution)) {
            return false;
        }
        log.info("Execution {} of schedule {} ({}) claimed for {}", executionId, schedule.getName(),
                schedule.getScheduleId(), dueAt);
        begin(execution);
        return true;
    }

    /** Records a cron time missed beyond the grace window as a skipped execution (once, whoever records it). */
    public synchronized boolean missed(SchedulesRecord schedule, Instant dueAt) {
        ScheduleExecutionsRecord execution = execution(schedule, dueAt, ExecutionIds.scheduled(schedule.getScheduleId(),
                dueAt), ExecutionIds.SCHEDULER, null, "skipped");
        execution.setSkipReason("missed");
        execution.setCompletedAt(now());
        if (!store.claim(execution)) {
            return false;
        }
        log.warn("Execution of schedule {} due at {} was missed beyond the grace window: skipped", schedule.getName(),
                dueAt);
        events.completed(execution, "skipped", "missed", new ExecutionPlan.Counts(0, 0, 0, 0, 0, 0));
        return true;
    }

    /** Picks up every execution this instance left unfinished (after a restart). */
    public synchronized void resumeAll() {
        for (ScheduleExecutionsRecord execution : store.unfinished(settings.instanceId())) {
            if (running.containsKey(execution.getExecutionId())) {
                continue;
            }
            if ("scheduled".equals(execution.getStatus())) {
                begin(execution);
                continue;
            }
            List<VmState> states = store.vms(execution.getExecutionId()).stream().map(ExecutionEngine::state).toList();
            ExecutionPlan plan = new ExecutionPlan(execution.getMaxConcurrentJobs(), caps(store.vms(
                    execution.getExecutionId())), execution.getRetryAttempts(), states);
            Running r = new Running(execution, plan);
            running.put(execution.getExecutionId(), r);
            log.info("Execution {} resumed: {}", execution.getExecutionId(), plan.counts());
            for (ExecutionVmsRecord vm : store.vms(execution.getExecutionId())) {
                if (VmStatus.REQUESTED.name().equalsIgnoreCase(vm.getStatus())) {
                    // The same request id again: the decision drops it if it already decided it.
                    request(r, plan.state(vm.getVmwareVmId()).orElseThrow());
                } else if (VmStatus.RETRY_WAIT.name().equalsIgnoreCase(vm.getStatus())) {
                    Instant at = vm.getRetryAt() == null ? clock.instant() : vm.getRetryAt().toInstant();
                    retryLater(execution.getExecutionId(), vm.getVmwareVmId(), Duration.between(clock.instant(), at));
                }
            }
            advance(r);
        }
    }

    /** A job of a VM started (the listener's JobStarted): its execution's VM runs, if this is its request. */
    public synchronized void jobStarted(String executionId, String vmwareVmId, String requestId, String jobId) {
        Running r = running.get(executionId);
        if (r == null || !currentRequest(r, vmwareVmId, requestId)) {
            return;
        }
        r.plan().started(vmwareVmId).ifPresent(s -> store.record(executionId, s, null, jobId, null, r.plan().counts()));
    }

    /**
     * A job of a VM ended (JobCompleted or JobFailed). The execution that started it counts it; every
     * execution with this VM waiting for a running job queues it again.
     */
    public synchronized void jobEnded(String executionId, String vmwareVmId, String requestId, String jobId,
            boolean completed, String failureReason) {
        Running r = executionId == null ? null : running.get(executionId);
        if (r != null && currentRequest(r, vmwareVmId, requestId)) {
            if (r.plan().state(vmwareVmId).map(s -> s.status() == VmStatus.REQUESTED).orElse(false)) {
                r.plan().started(vmwareVmId);
            }
            Optional<VmState> changed = completed ? r.plan().completed(vmwareVmId)
                    : r.plan().failed(vmwareVmId, failureReason);
            changed.ifPresent(s -> {
                Instant retryAt = null;
                if (s.status() == VmStatus.RETRY_WAIT) {
                    Duration delay = settings.retryDelayUnit().multipliedBy(r.execution().getRetryDelayMinutes());
                    retryAt = clock.instant().plus(delay);
                    retryLater(executionId, vmwareVmId, delay);
                }
                store.record(executionId, s, null, jobId, retryAt, r.plan().counts());
            });
            advance(r);
        }
        for (Running other : List.copyOf(running.values())) {
            other.plan().activeJobEnded(vmwareVmId).ifPresent(s -> {
                store.record(other.execution().getExecutionId(), s, null, null, null, other.plan().counts());
                advance(other);
            });
        }
    }

    /**
     * A request's answer read from its topic (a rejection or a discovery failure, correlated by the
     * request id): the answer the replication client hands over, again, for a request published
     * before a restart, whose answer came while this instance was down.
     */
    public synchronized void answeredByEvent(String vmwareVmId, String requestId, ReplicationOutcome outcome) {
        for (Running r : List.copyOf(running.values())) {
            if (r.plan().state(vmwareVmId).map(s -> s.status() == VmStatus.REQUESTED).orElse(false)
                    && currentRequest(r, vmwareVmId, requestId)) {
                answered(r.execution().getExecutionId(), vmwareVmId, requestId, outcome);
            }
        }
    }

    /** The executions this instance runs now. */
    public synchronized List<String> runningExecutions() {
        return List.copyOf(running.keySet());
    }

    private void begin(ScheduleExecutionsRecord execution) {
        List<Member> members = store.members(execution.getScheduleId());
        store.start(execution.getExecutionId(), members, now());
        Map<String, Integer> caps = new HashMap<>();
        members.forEach(m -> caps.put(m.groupId(), m.groupCap()));
        ExecutionPlan plan = ExecutionPlan.fresh(execution.getMaxConcurrentJobs(), caps, execution.getRetryAttempts(),
                members.stream().map(m -> new Vm(m.vmwareVmId(), m.contextId(), m.groupId())).toList());
        execution.setStatus("running");
        events.started(execution, members.size());
        Running r = new Running(execution, plan);
        running.put(execution.getExecutionId(), r);
        advance(r);
    }

    /** Requests every VM the caps allow now; ends the execution when nothing is left. */
    private void advance(Running r) {
        List<VmState> batch = r.plan().requestable();
        while (!batch.isEmpty()) {
            for (VmState s : batch) {
                store.record(r.execution().getExecutionId(), s, requestId(r, s), null, null, r.plan().counts());
                request(r, s);
            }
            batch = r.plan().requestable();
        }
        if (r.plan().ended()) {
            ExecutionPlan.Counts counts = r.plan().counts();
            String status = r.plan().status();
            store.finish(r.execution().getExecutionId(), status, counts);
            events.completed(r.execution(), status, null, counts);
            running.remove(r.execution().getExecutionId());
            log.info("Execution {} {}: {}", r.execution().getExecutionId(), status, counts);
        }
    }

    /** Publishes the VM's request (its id recorded before) and hands its outcome back to this engine. */
    private void request(Running r, VmState s) {
        String executionId = r.execution().getExecutionId();
        String vmId = s.vm().vmwareVmId();
        String requestId = requestId(r, s);
        Optional<Member> member = store.member(executionId, vmId);
        if (member.isEmpty() || member.get().vmName() == null) {
            r.plan().skipped(vmId, "not_managed").ifPresent(x -> store.record(executionId, x, null, null, null,
                    r.plan().counts()));
            return;
        }
        Submission submission;
        try {
            submission = client.submit(requestId, request(r.execution(), member.get()), settings.outcomeWait());
        } catch (RuntimeException e) {
            log.warn("The request {} of VM {} (execution {}) was not published, again in {}: {}", requestId, vmId,
                    executionId, settings.republishBackoff(), e.toString());
            timers.schedule(() -> republish(executionId, vmId, requestId), settings.republishBackoff().toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        submission.outcome().thenAcceptAsync(outcome -> outcome.ifPresent(o -> answered(executionId, vmId, requestId, o)),
                timers);
    }

    private synchronized void republish(String executionId, String vmId, String requestId) {
        Running r = running.get(executionId);
        if (r != null && currentRequest(r, vmId, requestId)
                && r.plan().state(vmId).map(s -> s.status() == VmStatus.REQUESTED).orElse(false)) {
            request(r, r.plan().state(vmId).orElseThrow());
            advance(r);
        }
    }

    /** The request's outcome: a started job, or an answer without a job (a skip with its reason, never a failure). */
    private synchronized void answered(String executionId, String vmId, String requestId, ReplicationOutcome outcome) {
        Running r = running.get(executionId);
        if (r == null || !currentRequest(r, vmId, requestId)) {
            return;
        }
        ExecutionPlan plan = r.plan();
        if (outcome instanceof ReplicationOutcome.Started started) {
            plan.started(vmId).ifPresent(s -> store.record(executionId, s, null, started.event().getJobId(), null,
                    plan.counts()));
        } else if (outcome instanceof ReplicationOutcome.Rejected rejected) {
            RejectionReason reason = rejected.event().getReason();
            Optional<VmState> changed = reason == RejectionReason.ACTIVE_REPLICATION_JOB
                    && !r.execution().getSkipIfRunning() ? plan.waitForActiveJob(vmId)
                    : plan.skipped(vmId, skipReason(reason));
            changed.ifPresent(s -> store.record(executionId, s, null, null, null, plan.counts()));
        } else if (outcome instanceof ReplicationOutcome.ContextOnly) {
            plan.skipped(vmId, "no_job_started").ifPresent(s -> store.record(executionId, s, null, null, null,
                    plan.counts()));
        } else if (outcome instanceof ReplicationOutcome.DiscoveryFailure failure) {
            plan.skipped(vmId, "discovery_failed_" + failure.event().getReason().name().toLowerCase(Locale.ROOT))
                    .ifPresent(s -> store.record(executionId, s, null, null, null, plan.counts()));
        } else if (outcome instanceof ReplicationOutcome.JobFailure failure) {
            jobEnded(executionId, vmId, requestId, failure.event().getJobId(), false,
                    failure.event().getReason().name().toLowerCase(Locale.ROOT));
            return;
        }
        advance(r);
    }

    /** The decision's reason as the skip reason: an active job is {@code active_job}. */
    static String skipReason(RejectionReason reason) {
        return switch (reason) {
            case ACTIVE_REPLICATION_JOB -> "active_job";
            case FAILOVER_IN_PROGRESS -> "failover_in_progress";
            case VM_FAILED_OVER -> "vm_failed_over";
            case VM_ALREADY_MANAGED -> "vm_already_managed";
            default -> "rejected";
        };
    }

    private void retryLater(String executionId, String vmId, Duration delay) {
        timers.schedule(() -> retryDue(executionId, vmId), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private synchronized void retryDue(String executionId, String vmId) {
        Running r = running.get(executionId);
        if (r == null) {
            return;
        }
        r.plan().retryDue(vmId).ifPresent(s -> store.record(executionId, s, null, null, null, r.plan().counts()));
        advance(r);
    }

    private boolean currentRequest(Running r, String vmId, String requestId) {
        return r.plan().state(vmId).map(s -> requestId == null || requestId.equals(requestId(r, s))).orElse(false);
    }

    private static String requestId(Running r, VmState s) {
        return ExecutionIds.request(r.execution().getExecutionId(), s.vm().vmwareVmId(), s.attempt());
    }

    private static ReplicationRequest request(ScheduleExecutionsRecord execution, Member m) {
        String type = execution.getReplicationType();
        return ReplicationRequest.newBuilder()
                .setSourceVm(SourceVm.newBuilder().setId(m.vmwareVmId()).setName(m.vmName()).setPath(m.vmPath())
                        .setVcenterHost(m.vcenterHost()).setDatacenter(m.datacenter()).build())
                .setVcenterHost(m.vcenterHost())
                .setDatacenter(m.datacenter())
                .setOsseaConfigId(m.osseaConfigId())
                .setTargetNetwork(m.targetNetwork())
                .setReplicationType("auto".equals(type) ? null : ReplicationType.valueOf(type))
                .setScheduleExecutionId(execution.getExecutionId())
                .setVmGroupId(m.groupId())
                .setScheduledBy(execution.getTriggeredBy())
                .setRequestedBy(ExecutionIds.SCHEDULER.equals(execution.getTriggeredBy()) ? "scheduler-service"
                        : execution.getTriggeredBy())
                .build();
    }

    private ScheduleExecutionsRecord execution(SchedulesRecord schedule, Instant dueAt, String executionId,
            String triggeredBy, String reason, String status) {
        ScheduleExecutionsRecord e = new ScheduleExecutionsRecord();
        e.setExecutionId(executionId);
        e.setScheduleId(schedule.getScheduleId());
        e.setDueAt(OffsetDateTime.ofInstant(dueAt, ZoneOffset.UTC));
        e.setTriggeredBy(triggeredBy);
        e.setOwner(settings.instanceId());
        e.setReason(reason);
        e.setStatus(status);
        e.setMaxConcurrentJobs(schedule.getMaxConcurrentJobs());
        e.setRetryAttempts(schedule.getRetryAttempts());
        e.setRetryDelayMinutes(schedule.getRetryDelayMinutes());
        e.setSkipIfRunning(schedule.getSkipIfRunning());
        e.setReplicationType(schedule.getReplicationType());
        e.setScheduledAt(now());
        e.setVmsEligible(0);
        e.setJobsCreated(0);
        e.setJobsCompleted(0);
        e.setJobsFailed(0);
        e.setJobsSkipped(0);
        e.setQueued(0);
        return e;
    }

    private static VmState state(ExecutionVmsRecord r) {
        return new VmState(new Vm(r.getVmwareVmId(), r.getContextId(), r.getGroupId()),
                VmStatus.valueOf(r.getStatus().toUpperCase(Locale.ROOT)), r.getAttempt(), r.getFailures(),
                r.getJobId() != null, r.getReason());
    }

    private static Map<String, Integer> caps(List<ExecutionVmsRecord> vms) {
        Map<String, Integer> caps = new HashMap<>();
        vms.forEach(v -> caps.put(v.getGroupId(), v.getGroupMaxConcurrentVms()));
        return caps;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
