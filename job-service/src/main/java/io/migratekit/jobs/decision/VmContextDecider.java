package io.migratekit.jobs.decision;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.ContextStatus;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanedUp;
import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverRejected;
import io.migratekit.events.FailoverRejectionReason;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.FailoverType;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VmContext;
import io.migratekit.events.VmDiscovered;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.events.VolumesSuperseded;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * The replication decision and the fold of job and failover facts into one VM's replication context
 * (the rules of {@code docs/architecture.md}, "Decision rules"). Given the VM's current context (or
 * null) and one input event it returns the new context and the events to emit; it keeps no state of
 * its own and does no I/O, so the Streams processor that calls it stays a thin adapter.
 *
 * <p>For a {@link VmDiscovered} the rules apply in this order: request already decided → nothing;
 * no context → create it ({@code ContextCreated}, plus {@code JobCreated} unless
 * {@code start_replication=false}); a failover in progress that this request is not the final sync
 * of (only a live failover has one), or a completed test failover whose test VM is not cleaned up
 * yet → {@code FAILOVER_IN_PROGRESS}; {@code start_replication=false} → {@code VM_ALREADY_MANAGED};
 * an active job → {@code ACTIVE_REPLICATION_JOB}; failed over live → {@code VM_FAILED_OVER};
 * otherwise a new job on the existing context. Job facts change the context only when they are about
 * its current job; failover facts only when they are about its active failover.
 *
 * <p>Failover admission is decided here too, so that it is serialized with the replication decisions
 * of the same VM: a {@link FailoverRequested} is refused ({@link FailoverRejected}) when the VM is not
 * managed, has a failover in progress, is failed over already (a test VM not cleaned up counts), has
 * an active job, never completed a replication, or (test only) its last job failed mid-copy on the
 * volumes of the last completed one; otherwise it is accepted ({@link FailoverAccepted}, carrying the
 * last completed job's volumes)
 * and the context is {@code failing_over} until the failover's end: {@link FailoverCompleted} →
 * {@code failed_over_test} / {@code failed_over_live}, {@link FailoverFailed} → back to rest
 * ({@code ready_for_failover}), and a test failover's {@link FailoverCleanedUp} → {@code ready_for_failover}.
 * A request (replication or failover) whose correlation id was decided before is dropped. It does not
 * validate requests (job-intake and discovery-service did) and does not know topics or stores.
 */
public final class VmContextDecider {

    static final String FAILOVER_IN_PROGRESS_MESSAGE = "VM has a failover in progress";
    static final String ALREADY_MANAGED_MESSAGE = "VM already exists in management";
    static final String ACTIVE_JOB_MESSAGE = "VM has active replication job";
    static final String FAILED_OVER_MESSAGE = "VM has been failed over live and is no longer replicated";
    static final String NOT_MANAGED_MESSAGE = "VM is not managed";
    static final String ALREADY_FAILED_OVER_MESSAGE = "VM is already failed over";
    static final String NO_COMPLETED_REPLICATION_MESSAGE = "VM has no completed replication";
    static final String TEST_FAILOVER_ACTIVE_MESSAGE =
            "VM is failed over for a test and its test VM still exists; clean the test failover up first";

    private final Clock clock;
    private final IdSource ids;

    public VmContextDecider(Clock clock, IdSource ids) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /**
     * Applies one input event to the VM's context.
     *
     * @param current          the VM's context, or null when it has none
     * @param event            one of the decision's input events
     * @param requestDecided   for a request ({@link VmDiscovered}, {@link FailoverRequested}): whether its
     *                         correlation id was decided before
     */
    public Decision decide(VmContext current, SpecificRecord event, boolean requestDecided) {
        if (event instanceof VmDiscovered discovered) {
            return onDiscovered(current, discovered, requestDecided);
        }
        if (event instanceof JobStarted started) {
            return onJobStarted(current, started);
        }
        if (event instanceof ChangeIdRecorded recorded) {
            return onChangeIdRecorded(current, recorded);
        }
        if (event instanceof JobCompleted completed) {
            return onJobCompleted(current, completed);
        }
        if (event instanceof JobFailed failed) {
            return onJobFailed(current, failed);
        }
        if (event instanceof FailoverRequested requested) {
            return onFailoverRequested(current, requested, requestDecided);
        }
        if (event instanceof FailoverCompleted completed) {
            return onFailoverCompleted(current, completed);
        }
        if (event instanceof FailoverFailed failed) {
            return onFailoverFailed(current, failed);
        }
        if (event instanceof FailoverCleanedUp cleanedUp) {
            return onFailoverCleanedUp(current, cleanedUp);
        }
        throw new IllegalArgumentException("the decision does not take " + event.getSchema().getFullName());
    }

    Decision onDiscovered(VmContext ctx, VmDiscovered discovered, boolean requestDecided) {
        if (requestDecided) {
            return Decision.unchanged("duplicate_request");
        }
        ReplicationRequest request = discovered.getRequest();
        Instant now = now();
        if (ctx == null) {
            return createContext(discovered, now);
        }
        if (ctx.getActiveFailoverId() != null && !isFinalSyncOfActiveFailover(ctx, request)) {
            return reject(ctx, discovered, RejectionReason.FAILOVER_IN_PROGRESS, FAILOVER_IN_PROGRESS_MESSAGE, null, now);
        }
        if (ctx.getCurrentStatus() == ContextStatus.failed_over_test) {
            return reject(ctx, discovered, RejectionReason.FAILOVER_IN_PROGRESS, TEST_FAILOVER_ACTIVE_MESSAGE, null, now);
        }
        if (!request.getStartReplication()) {
            return reject(ctx, discovered, RejectionReason.VM_ALREADY_MANAGED, ALREADY_MANAGED_MESSAGE, null, now);
        }
        if (ctx.getCurrentJobId() != null) {
            return reject(ctx, discovered, RejectionReason.ACTIVE_REPLICATION_JOB, ACTIVE_JOB_MESSAGE,
                    ctx.getCurrentJobId(), now);
        }
        if (ctx.getCurrentStatus() == ContextStatus.failed_over_live) {
            return reject(ctx, discovered, RejectionReason.VM_FAILED_OVER, FAILED_OVER_MESSAGE, null, now);
        }
        return newJobOnExistingContext(ctx, discovered, now);
    }

    private Decision createContext(VmDiscovered discovered, Instant now) {
        ReplicationRequest request = discovered.getRequest();
        DiscoveredVm vm = discovered.getVm();
        boolean start = request.getStartReplication();
        String contextId = ids.contextId(vm.getName(), discovered.getVmwareVmId(), now);
        ContextStatus status = start ? ContextStatus.replicating : ContextStatus.discovered;
        String vcenterHost = vcenterHost(discovered);
        String datacenter = datacenter(discovered);

        List<SpecificRecord> events = new ArrayList<>();
        events.add(ContextCreated.newBuilder()
                .setEventId(ids.eventId())
                .setOccurredAt(now)
                .setCorrelationId(discovered.getCorrelationId())
                .setVmwareVmId(discovered.getVmwareVmId())
                .setContextId(contextId)
                .setVmName(vm.getName())
                .setVmPath(vm.getPath())
                .setVcenterHost(vcenterHost)
                .setDatacenter(datacenter)
                .setCurrentStatus(status)
                .setStartReplication(start)
                .setVm(vm)
                .setRequestedBy(request.getRequestedBy())
                .build());
        String jobId = null;
        ReplicationType type = null;
        if (start) {
            jobId = ids.jobId(now);
            type = request.getReplicationType() != null ? request.getReplicationType() : ReplicationType.initial;
            events.add(jobCreated(discovered, jobId, contextId, true, type, List.of(), List.of(), now));
        }
        VmContext state = VmContext.newBuilder()
                .setEventId(ids.eventId())
                .setOccurredAt(now)
                .setCorrelationId(discovered.getCorrelationId())
                .setVmwareVmId(discovered.getVmwareVmId())
                .setContextId(contextId)
                .setVmName(vm.getName())
                .setVmPath(vm.getPath())
                .setVcenterHost(vcenterHost)
                .setDatacenter(datacenter)
                .setCurrentStatus(status)
                .setCurrentJobId(jobId)
                .setCurrentJobType(type)
                .setLastSuccessfulJobId(null)
                .setTotalJobsRun(start ? 1 : 0)
                .setSuccessfulJobs(0)
                .setFailedJobs(0)
                .setChangeIds(List.of())
                .setPendingChangeIds(List.of())
                .setVolumes(List.of())
                .setPendingVolumes(List.of())
                .setInterruptedJobId(null)
                .setVm(vm)
                .setActiveFailoverId(null)
                .setActiveFailoverType(null)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .setVersion(1)
                .build();
        return new Decision(state, events, start ? "context_and_job_created" : "context_created");
    }

    private Decision newJobOnExistingContext(VmContext ctx, VmDiscovered discovered, Instant now) {
        ReplicationRequest request = discovered.getRequest();
        DiscoveredVm vm = discovered.getVm();
        List<DiskChangeId> base = baseChangeIds(ctx, vm);
        boolean everyDiskHasBase = !vm.getDisks().isEmpty() && base.size() == vm.getDisks().size();
        ReplicationType type = request.getReplicationType() != null
                ? request.getReplicationType()
                : everyDiskHasBase ? ReplicationType.incremental : ReplicationType.initial;
        List<DiskChangeId> previousChangeIds = type == ReplicationType.incremental ? base : List.of();
        String jobId = ids.jobId(now);

        JobCreated job = jobCreated(discovered, jobId, ctx.getContextId(), false, type, previousChangeIds,
                ctx.getVolumes(), now);
        VmContext state = next(ctx, discovered.getCorrelationId(), now)
                .setVmName(vm.getName())
                .setVmPath(vm.getPath())
                .setVcenterHost(vcenterHost(discovered))
                .setDatacenter(datacenter(discovered))
                .setCurrentStatus(ctx.getActiveFailoverId() != null ? ContextStatus.failing_over : ContextStatus.replicating)
                .setCurrentJobId(jobId)
                .setCurrentJobType(type)
                .setTotalJobsRun(ctx.getTotalJobsRun() + 1)
                .setPendingChangeIds(List.of())
                .setPendingVolumes(List.of())
                .setVm(vm)
                .build();
        return new Decision(state, List.of(job), "job_created");
    }

    /**
     * The confirmed bases of the freshly discovered disks, in disk order: a change id the last completed
     * job confirmed, and only with the volume it describes (without one, the copy would be incremental
     * into a new, blank volume).
     */
    private static List<DiskChangeId> baseChangeIds(VmContext ctx, DiscoveredVm vm) {
        Map<String, DiskChangeId> byDisk = new LinkedHashMap<>();
        for (DiskChangeId changeId : ctx.getChangeIds()) {
            byDisk.put(changeId.getDiskId(), changeId);
        }
        List<String> withVolume = ctx.getVolumes().stream().map(VolumeAttachment::getDiskId).toList();
        List<DiskChangeId> base = new ArrayList<>();
        for (DiskSpec disk : vm.getDisks()) {
            DiskChangeId changeId = disk.getId() == null ? null : byDisk.get(disk.getId());
            if (changeId != null && withVolume.contains(disk.getId())) {
                base.add(changeId);
            }
        }
        return base;
    }

    private JobCreated jobCreated(VmDiscovered discovered, String jobId, String contextId, boolean contextCreated,
            ReplicationType type, List<DiskChangeId> previousChangeIds, List<VolumeAttachment> previousVolumes,
            Instant now) {
        ReplicationRequest request = discovered.getRequest();
        return JobCreated.newBuilder()
                .setEventId(ids.eventId())
                .setOccurredAt(now)
                .setCorrelationId(discovered.getCorrelationId())
                .setVmwareVmId(discovered.getVmwareVmId())
                .setJobId(jobId)
                .setContextId(contextId)
                .setContextCreated(contextCreated)
                .setReplicationType(type)
                .setReplicationTypeRequested(request.getReplicationType() != null)
                .setVm(discovered.getVm())
                .setPreviousChangeIds(previousChangeIds)
                .setPreviousVolumes(previousVolumes)
                .setOsseaConfigId(request.getOsseaConfigId())
                .setTargetNetwork(request.getTargetNetwork())
                .setScheduleExecutionId(request.getScheduleExecutionId())
                .setVmGroupId(request.getVmGroupId())
                .setScheduledBy(request.getScheduledBy())
                .setRequestedBy(request.getRequestedBy())
                .setFailoverId(request.getFailoverId())
                .build();
    }

    private Decision reject(VmContext ctx, VmDiscovered discovered, RejectionReason reason, String message,
            String activeJobId, Instant now) {
        ReplicationRejected rejected = ReplicationRejected.newBuilder()
                .setEventId(ids.eventId())
                .setOccurredAt(now)
                .setCorrelationId(discovered.getCorrelationId())
                .setVmwareVmId(discovered.getVmwareVmId())
                .setVmName(discovered.getVm().getName())
                .setContextId(ctx.getContextId())
                .setReason(reason)
                .setMessage(message)
                .setActiveJobId(activeJobId)
                .setFailoverId(discovered.getRequest().getFailoverId())
                .build();
        return new Decision(null, List.of(rejected), "rejected_" + reason);
    }

    Decision onJobStarted(VmContext ctx, JobStarted started) {
        if (!isCurrentJob(ctx, started.getJobId())) {
            return Decision.unchanged("not_current_job");
        }
        // The last completed job's volumes stay the context's volumes (the last good copy) until this job completes.
        VmContext.Builder next = next(ctx, started.getCorrelationId(), now()).setPendingVolumes(started.getVolumes());
        return changed(ctx, next, "volumes_recorded");
    }

    Decision onChangeIdRecorded(VmContext ctx, ChangeIdRecorded recorded) {
        if (!isCurrentJob(ctx, recorded.getJobId())) {
            return Decision.unchanged("not_current_job");
        }
        List<DiskChangeId> pending = upsert(ctx.getPendingChangeIds(),
                List.of(new DiskChangeId(recorded.getDiskId(), recorded.getChangeId())));
        VmContext.Builder next = next(ctx, recorded.getCorrelationId(), now()).setPendingChangeIds(pending);
        return changed(ctx, next, "change_id_pending");
    }

    Decision onJobCompleted(VmContext ctx, JobCompleted completed) {
        if (!isCurrentJob(ctx, completed.getJobId())) {
            return Decision.unchanged("not_current_job");
        }
        // A context written before pending volumes existed kept the running job's volumes as its volumes.
        List<VolumeAttachment> volumes = ctx.getPendingVolumes().isEmpty() ? ctx.getVolumes() : ctx.getPendingVolumes();
        VmContext.Builder next = next(ctx, completed.getCorrelationId(), now())
                .setCurrentJobId(null)
                .setCurrentJobType(null)
                .setLastSuccessfulJobId(completed.getJobId())
                .setInterruptedJobId(null)
                .setSuccessfulJobs(ctx.getSuccessfulJobs() + 1)
                // Only what this job confirmed is a base: a disk it completed without an id is copied in full next time.
                .setChangeIds(upsert(List.of(), completed.getChangeIds()))
                .setPendingChangeIds(List.of())
                .setVolumes(volumes)
                .setPendingVolumes(List.of())
                .setCurrentStatus(ctx.getActiveFailoverId() != null
                        ? ContextStatus.failing_over : ContextStatus.ready_for_failover);
        Decision decision = changed(ctx, next, "job_completed");
        List<VolumeAttachment> superseded = superseded(ctx.getVolumes(), volumes);
        if (superseded.isEmpty() || decision.state() == null) {
            return decision;
        }
        // The old volumes were the last good copy until now: only this completion lets them go.
        VolumesSuperseded released = VolumesSuperseded.newBuilder()
                .setEventId(ids.eventId())
                .setOccurredAt(now())
                .setCorrelationId(completed.getCorrelationId())
                .setVmwareVmId(completed.getVmwareVmId())
                .setContextId(ctx.getContextId())
                .setJobId(completed.getJobId())
                .setVolumes(superseded)
                .build();
        return new Decision(decision.state(), List.of(released), decision.outcome());
    }

    /** The volumes of {@code before} that {@code after} no longer uses. */
    private static List<VolumeAttachment> superseded(List<VolumeAttachment> before, List<VolumeAttachment> after) {
        List<String> kept = after.stream().map(VolumeAttachment::getVolumeId).toList();
        return before.stream().filter(volume -> !kept.contains(volume.getVolumeId())).toList();
    }

    Decision onJobFailed(VmContext ctx, JobFailed failed) {
        if (!isCurrentJob(ctx, failed.getJobId())) {
            return Decision.unchanged("not_current_job");
        }
        VmContext.Builder next = next(ctx, failed.getCorrelationId(), now())
                .setCurrentJobId(null)
                .setCurrentJobType(null)
                .setFailedJobs(ctx.getFailedJobs() + 1)
                .setPendingChangeIds(List.of())
                .setPendingVolumes(List.of())
                .setInterruptedJobId(mayHaveWrittenLastGoodCopy(ctx, failed) ? failed.getJobId()
                        : ctx.getInterruptedJobId())
                .setCurrentStatus(ctx.getActiveFailoverId() != null ? ContextStatus.failing_over : ContextStatus.failed);
        return changed(ctx, next, "job_failed");
    }

    Decision onFailoverRequested(VmContext ctx, FailoverRequested requested, boolean requestDecided) {
        if (requestDecided) {
            return Decision.unchanged("duplicate_request");
        }
        Instant now = now();
        if (ctx == null || !ctx.getContextId().equals(requested.getContextId())) {
            return refuse(ctx, requested, FailoverRejectionReason.VM_NOT_MANAGED, NOT_MANAGED_MESSAGE, now);
        }
        if (ctx.getActiveFailoverId() != null) {
            return refuse(ctx, requested, FailoverRejectionReason.FAILOVER_IN_PROGRESS, FAILOVER_IN_PROGRESS_MESSAGE, now);
        }
        if (ctx.getCurrentStatus() == ContextStatus.failed_over_live
                || ctx.getCurrentStatus() == ContextStatus.failed_over_test) {
            return refuse(ctx, requested, FailoverRejectionReason.ALREADY_FAILED_OVER,
                    ALREADY_FAILED_OVER_MESSAGE + " (" + ctx.getCurrentStatus() + ")", now);
        }
        if (ctx.getCurrentJobId() != null) {
            return refuse(ctx, requested, FailoverRejectionReason.ACTIVE_REPLICATION_JOB, ACTIVE_JOB_MESSAGE, now);
        }
        if (ctx.getLastSuccessfulJobId() == null) {
            return refuse(ctx, requested, FailoverRejectionReason.NO_COMPLETED_REPLICATION,
                    NO_COMPLETED_REPLICATION_MESSAGE, now);
        }
        // A live failover's final sync rewrites the volumes from the completed change ids first; a test one has none.
        if (ctx.getInterruptedJobId() != null && requested.getFailoverType() != FailoverType.live) {
            return refuse(ctx, requested, FailoverRejectionReason.LAST_JOB_FAILED_MID_COPY, "the last replication job "
                    + ctx.getInterruptedJobId() + " failed mid-copy on the volumes of the last completed job "
                    + ctx.getLastSuccessfulJobId() + ", which now hold neither; run a replication (incremental sync) "
                    + "first, or a live failover, whose final sync brings them up to date", now);
        }
        FailoverAccepted accepted = FailoverAccepted.newBuilder()
                .setEventId(ids.eventId())
                .setOccurredAt(now)
                .setCorrelationId(requested.getCorrelationId())
                .setVmwareVmId(requested.getVmwareVmId())
                .setFailoverId(requested.getFailoverId())
                .setContextId(ctx.getContextId())
                .setVmName(ctx.getVmName())
                .setVmPath(ctx.getVmPath())
                .setVcenterHost(ctx.getVcenterHost())
                .setDatacenter(ctx.getDatacenter())
                .setFailoverType(requested.getFailoverType())
                .setPowerOnSourceOnFailure(requested.getPowerOnSourceOnFailure())
                .setTestNetwork(requested.getTestNetwork())
                .setFinalSyncDeadlineMinutes(requested.getFinalSyncDeadlineMinutes())
                .setRequestedBy(requested.getRequestedBy())
                .setLastSuccessfulJobId(ctx.getLastSuccessfulJobId())
                .setVolumes(ctx.getVolumes())
                .setCpus(ctx.getVm().getCpus())
                .setMemoryMb(ctx.getVm().getMemoryMb())
                .setDiskCount(ctx.getVm().getDisks().size())
                .setDiskCapacityBytes(diskCapacityBytes(ctx))
                .build();
        VmContext state = next(ctx, requested.getCorrelationId(), now)
                .setActiveFailoverId(requested.getFailoverId())
                .setActiveFailoverType(requested.getFailoverType())
                .setCurrentStatus(ContextStatus.failing_over)
                .build();
        return new Decision(state, List.of(accepted), "failover_accepted");
    }

    private Decision refuse(VmContext ctx, FailoverRequested requested, FailoverRejectionReason reason, String message,
            Instant now) {
        FailoverRejected rejected = FailoverRejected.newBuilder()
                .setEventId(ids.eventId())
                .setOccurredAt(now)
                .setCorrelationId(requested.getCorrelationId())
                .setVmwareVmId(requested.getVmwareVmId())
                .setFailoverId(requested.getFailoverId())
                .setVmName(ctx != null ? ctx.getVmName() : requested.getVmName())
                .setContextId(ctx != null ? ctx.getContextId() : null)
                .setReason(reason)
                .setMessage(message)
                .build();
        return new Decision(null, List.of(rejected), "failover_rejected_" + reason);
    }

    Decision onFailoverCompleted(VmContext ctx, FailoverCompleted completed) {
        if (!isActiveFailover(ctx, completed.getFailoverId())) {
            return Decision.unchanged("not_active_failover");
        }
        VmContext.Builder next = next(ctx, completed.getCorrelationId(), now())
                .setActiveFailoverId(null)
                .setActiveFailoverType(null)
                .setCurrentStatus(completed.getFailoverType() == FailoverType.live
                        ? ContextStatus.failed_over_live : ContextStatus.failed_over_test);
        return changed(ctx, next, "failover_completed");
    }

    Decision onFailoverFailed(VmContext ctx, FailoverFailed failed) {
        if (!isActiveFailover(ctx, failed.getFailoverId())) {
            return Decision.unchanged("not_active_failover");
        }
        VmContext.Builder next = next(ctx, failed.getCorrelationId(), now())
                .setActiveFailoverId(null)
                .setActiveFailoverType(null)
                .setCurrentStatus(restingStatus(ctx));
        return changed(ctx, next, "failover_failed");
    }

    Decision onFailoverCleanedUp(VmContext ctx, FailoverCleanedUp cleanedUp) {
        boolean testFailedOver = ctx != null
                && ctx.getContextId().equals(cleanedUp.getContextId())
                && ctx.getCurrentStatus() == ContextStatus.failed_over_test;
        if (!testFailedOver) {
            return Decision.unchanged("not_failed_over_test");
        }
        VmContext.Builder next = next(ctx, cleanedUp.getCorrelationId(), now()).setCurrentStatus(restingStatus(ctx));
        return changed(ctx, next, "test_failover_cleaned_up");
    }

    /** The status of a context without a failover: from its jobs alone. */
    private static ContextStatus restingStatus(VmContext ctx) {
        if (ctx.getCurrentJobId() != null) {
            return ContextStatus.replicating;
        }
        return ctx.getLastSuccessfulJobId() != null ? ContextStatus.ready_for_failover : ContextStatus.discovered;
    }

    /**
     * Whether a failed job may have written into the last completed job's volumes: an incremental
     * job reuses them, and it may have copied unless it failed before the VMA was asked (target
     * volumes) or the VMA refused to start it.
     */
    private static boolean mayHaveWrittenLastGoodCopy(VmContext ctx, JobFailed failed) {
        boolean copyMayHaveStarted = failed.getReason() != JobFailureReason.TARGET_VOLUME_FAILED
                && failed.getReason() != JobFailureReason.VMA_REPLICATE_FAILED;
        return ctx.getCurrentJobType() == ReplicationType.incremental && ctx.getLastSuccessfulJobId() != null
                && copyMayHaveStarted;
    }

    /** Only a live failover has a final sync; a request naming a test failover is refused like any other. */
    private static boolean isFinalSyncOfActiveFailover(VmContext ctx, ReplicationRequest request) {
        return ctx.getActiveFailoverId().equals(request.getFailoverId())
                && ctx.getActiveFailoverType() == FailoverType.live;
    }

    private static boolean isCurrentJob(VmContext ctx, String jobId) {
        return ctx != null && jobId.equals(ctx.getCurrentJobId());
    }

    private static boolean isActiveFailover(VmContext ctx, String failoverId) {
        return ctx != null && failoverId.equals(ctx.getActiveFailoverId());
    }

    /** The context's next version, caused by an event with this correlation id. */
    private VmContext.Builder next(VmContext ctx, String correlationId, Instant now) {
        return VmContext.newBuilder(ctx)
                .setEventId(ids.eventId())
                .setOccurredAt(now)
                .setCorrelationId(correlationId)
                .setUpdatedAt(now)
                .setVersion(ctx.getVersion() + 1);
    }

    /** The new state, unless it equals the old one in everything but the version stamp. */
    private static Decision changed(VmContext ctx, VmContext.Builder next, String outcome) {
        VmContext state = next.build();
        VmContext sameStamp = VmContext.newBuilder(state)
                .setEventId(ctx.getEventId())
                .setOccurredAt(ctx.getOccurredAt())
                .setCorrelationId(ctx.getCorrelationId())
                .setUpdatedAt(ctx.getUpdatedAt())
                .setVersion(ctx.getVersion())
                .build();
        if (sameStamp.equals(ctx)) {
            return Decision.unchanged("no_change");
        }
        return new Decision(state, List.of(), outcome);
    }

    /** {@code base} with each disk of {@code updates} replaced or appended; updates win. */
    private static List<DiskChangeId> upsert(List<DiskChangeId> base, List<DiskChangeId> updates) {
        Map<String, DiskChangeId> byDisk = new LinkedHashMap<>();
        for (DiskChangeId changeId : base) {
            byDisk.put(changeId.getDiskId(), changeId);
        }
        for (DiskChangeId changeId : updates) {
            byDisk.put(changeId.getDiskId(), new DiskChangeId(changeId.getDiskId(), changeId.getChangeId()));
        }
        return new ArrayList<>(byDisk.values());
    }

    private static String vcenterHost(VmDiscovered discovered) {
        String fromVm = discovered.getVm().getVcenterHost();
        return fromVm != null ? fromVm : discovered.getRequest().getVcenterHost();
    }

    private static String datacenter(VmDiscovered discovered) {
        String fromVm = discovered.getVm().getDatacenter();
        return fromVm != null ? fromVm : discovered.getRequest().getDatacenter();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The VM's disk size for a failover's consumers: capacities as discovered (size in GiB where vCenter gave no bytes). */
    private static long diskCapacityBytes(VmContext ctx) {
        long total = 0;
        for (DiskSpec disk : ctx.getVm().getDisks()) {
            if (disk.getCapacityBytes() != null) {
                total += disk.getCapacityBytes();
            } else if (disk.getSizeGb() != null) {
                total += disk.getSizeGb() * 1024L * 1024L * 1024L;
            }
        }
        return total;
    }
}
