package io.migratekit.failover.store;

import static io.migratekit.db.Tables.FAILOVER_JOBS;
import static io.migratekit.db.Tables.FAILOVER_VOLUMES;
import static io.migratekit.db.Tables.JOB_STEPS;
import static io.migratekit.db.Tables.PROCESSED_EVENTS;
import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import io.migratekit.db.tables.records.FailoverJobsRecord;
import io.migratekit.db.tables.records.JobStepsRecord;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverType;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobStarted;
import io.migratekit.events.StepStatus;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.failover.process.FailoverProcess;
import io.migratekit.failover.process.FailoverRules;
import io.migratekit.failover.process.ProcessStatus;
import io.migratekit.failover.process.Sizing;
import io.migratekit.failover.process.StepRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;

/**
 * The durable record of every failover in PostgreSQL, with jOOQ: {@code failover_jobs} (the process
 * and its optimistic {@code version}), {@code job_steps} (one row per step), {@code failover_volumes}
 * (what the target VM is built from) and this service's {@code processed_events}. The only writer of
 * those failover tables; it also reads the VM's size from {@code vm_replication_contexts}.
 *
 * <p>Two kinds of change: an incoming event's (acceptance, the final sync's outcome, a cleanup
 * request) is one transaction that also records the event as processed, and applies only in the state
 * the event is for; a step's result is a transition from the version the runner read, refused with
 * {@link StaleProcessException} when the record moved on. It decides nothing about what comes next.
 */
public class FailoverStore {

    /** The outcome of an incoming event handled before (its id is in {@code processed_events}). */
    public static final String DUPLICATE = "duplicate";
    static final String FINAL_SYNC_COMPLETED = "final_sync_completed";
    static final String FINAL_SYNC_FAILED = "final_sync_failed";
    static final String CLEANUP_REQUESTED = "cleanup_requested";
    /** The outcomes after which the failover has something new to do. */
    public static final Set<String> CHANGED = Set.of(FINAL_SYNC_COMPLETED, FINAL_SYNC_FAILED, CLEANUP_REQUESTED);

    private final DSLContext dsl;
    private final String consumer;
    private final Clock clock;

    public FailoverStore(DSLContext dsl, String consumer, Clock clock) {
        this.dsl = dsl;
        this.consumer = consumer;
        this.clock = clock;
    }

    // ---- incoming events ------------------------------------------------------------------------

    /**
     * Records an accepted failover: the process at its first step, the validation step completed (the
     * decision's), the steps its type does not have as skipped, the volumes of its last replication.
     */
    public String accept(FailoverAccepted accepted, String validationMessage) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (!markProcessed(tx, accepted.getEventId())) {
                return DUPLICATE;
            }
            OffsetDateTime now = now();
            OffsetDateTime decidedAt = time(accepted.getOccurredAt());
            int created = tx.insertInto(FAILOVER_JOBS)
                    .set(FAILOVER_JOBS.ID, accepted.getFailoverId())
                    .set(FAILOVER_JOBS.CONTEXT_ID, accepted.getContextId())
                    .set(FAILOVER_JOBS.VMWARE_VM_ID, accepted.getVmwareVmId())
                    .set(FAILOVER_JOBS.VM_NAME, accepted.getVmName())
                    .set(FAILOVER_JOBS.VM_PATH, accepted.getVmPath())
                    .set(FAILOVER_JOBS.VCENTER_HOST, accepted.getVcenterHost())
                    .set(FAILOVER_JOBS.DATACENTER, accepted.getDatacenter())
                    .set(FAILOVER_JOBS.FAILOVER_TYPE, accepted.getFailoverType().name())
                    .set(FAILOVER_JOBS.STATUS, ProcessStatus.running.name())
                    .set(FAILOVER_JOBS.CURRENT_STEP, FailoverRules.firstStep(accepted.getFailoverType()).name())
                    .set(FAILOVER_JOBS.POWER_ON_SOURCE_ON_FAILURE, accepted.getPowerOnSourceOnFailure())
                    .set(FAILOVER_JOBS.TEST_NETWORK, accepted.getTestNetwork())
                    .set(FAILOVER_JOBS.FINAL_SYNC_DEADLINE_MINUTES, accepted.getFinalSyncDeadlineMinutes())
                    .set(FAILOVER_JOBS.REQUESTED_BY, accepted.getRequestedBy())
                    .set(FAILOVER_JOBS.CREATED_AT, decidedAt)
                    .set(FAILOVER_JOBS.UPDATED_AT, now)
                    .onConflict(FAILOVER_JOBS.ID).doNothing()
                    .execute();
            if (created == 0) {
                return DUPLICATE;
            }
            insertStep(tx, accepted.getFailoverId(), FailoverStep.validation, StepStatus.completed, validationMessage,
                    accepted.getLastSuccessfulJobId(), decidedAt, decidedAt);
            for (FailoverStep skipped : FailoverRules.skippedSteps(accepted.getFailoverType())) {
                insertStep(tx, accepted.getFailoverId(), skipped, StepStatus.skipped,
                        skippedMessage(accepted.getFailoverType()), null, now, now);
            }
            replaceVolumes(tx, accepted.getFailoverId(), accepted.getVolumes());
            return "accepted";
        });
    }

    /** The final sync's job started: its id and volumes (the live target VM is built from them). */
    public String finalSyncStarted(JobStarted started) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (!markProcessed(tx, started.getEventId())) {
                return DUPLICATE;
            }
            FailoverJobsRecord waiting = lockWaiting(tx, started.getFailoverId(), started.getCorrelationId());
            if (waiting == null) {
                return "not_waiting";
            }
            tx.update(FAILOVER_JOBS)
                    .set(FAILOVER_JOBS.FINAL_SYNC_JOB_ID, started.getJobId())
                    .set(FAILOVER_JOBS.VERSION, FAILOVER_JOBS.VERSION.plus(1))
                    .set(FAILOVER_JOBS.UPDATED_AT, now())
                    .where(FAILOVER_JOBS.ID.eq(waiting.getId()))
                    .execute();
            replaceVolumes(tx, waiting.getId(), started.getVolumes());
            return "final_sync_job_recorded";
        });
    }

    /** The final sync's job completed; true when the failover was waiting for it (and now goes on). */
    public String finalSyncCompleted(JobCompleted completed) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (!markProcessed(tx, completed.getEventId())) {
                return DUPLICATE;
            }
            FailoverJobsRecord waiting = lockWaiting(tx, completed.getFailoverId(), completed.getCorrelationId());
            if (waiting == null) {
                return "not_waiting";
            }
            tx.update(FAILOVER_JOBS)
                    .set(FAILOVER_JOBS.FINAL_SYNC_JOB_ID, completed.getJobId())
                    .set(FAILOVER_JOBS.FINAL_SYNC_COMPLETED_AT, time(completed.getOccurredAt()))
                    .set(FAILOVER_JOBS.VERSION, FAILOVER_JOBS.VERSION.plus(1))
                    .set(FAILOVER_JOBS.UPDATED_AT, now())
                    .where(FAILOVER_JOBS.ID.eq(waiting.getId()))
                    .execute();
            return FINAL_SYNC_COMPLETED;
        });
    }

    /**
     * The final sync ended without completing (its job failed, its request was refused, its discovery
     * failed): the failover fails at {@code final_sync} with this reason.
     */
    public String finalSyncFailed(String eventId, String failoverId, String requestId, String jobId, String reason) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (!markProcessed(tx, eventId)) {
                return DUPLICATE;
            }
            FailoverJobsRecord waiting = lockWaiting(tx, failoverId, requestId);
            if (waiting == null) {
                return "not_waiting";
            }
            FailoverProcess process = process(waiting, Map.of());
            FailoverStep next = FailoverRules.afterFailure(process, true);
            tx.update(FAILOVER_JOBS)
                    .set(FAILOVER_JOBS.FAILED_STEP, FailoverStep.final_sync.name())
                    .set(FAILOVER_JOBS.ERROR_MESSAGE, clip(reason))
                    .set(FAILOVER_JOBS.CURRENT_STEP, next == null ? null : next.name())
                    .set(FAILOVER_JOBS.FINAL_SYNC_JOB_ID, jobId != null ? jobId : waiting.getFinalSyncJobId())
                    .set(FAILOVER_JOBS.VERSION, FAILOVER_JOBS.VERSION.plus(1))
                    .set(FAILOVER_JOBS.UPDATED_AT, now())
                    .where(FAILOVER_JOBS.ID.eq(waiting.getId()))
                    .execute();
            return FINAL_SYNC_FAILED;
        });
    }

    /** A cleanup of a completed test failover; any other failover is not cleaned up. */
    public String cleanupRequested(FailoverCleanupRequested request) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (!markProcessed(tx, request.getEventId())) {
                return DUPLICATE;
            }
            FailoverJobsRecord record = tx.selectFrom(FAILOVER_JOBS).where(FAILOVER_JOBS.ID.eq(request.getFailoverId()))
                    .forUpdate().fetchOne();
            if (record == null) {
                return "unknown_failover";
            }
            boolean cleanable = ProcessStatus.completed.name().equals(record.getStatus())
                    && FailoverType.test.name().equals(record.getFailoverType()) && record.getTargetVmId() != null;
            if (!cleanable) {
                return "not_cleanable_" + record.getStatus();
            }
            // An earlier attempt that failed leaves its row; this attempt records its own.
            tx.deleteFrom(JOB_STEPS).where(JOB_STEPS.FAILOVER_ID.eq(record.getId()))
                    .and(JOB_STEPS.STEP.eq(FailoverStep.cleanup.name())).execute();
            tx.update(FAILOVER_JOBS)
                    .set(FAILOVER_JOBS.STATUS, ProcessStatus.cleaning_up.name())
                    .set(FAILOVER_JOBS.CURRENT_STEP, FailoverStep.cleanup.name())
                    .set(FAILOVER_JOBS.VERSION, FAILOVER_JOBS.VERSION.plus(1))
                    .set(FAILOVER_JOBS.UPDATED_AT, now())
                    .where(FAILOVER_JOBS.ID.eq(record.getId()))
                    .execute();
            return CLEANUP_REQUESTED;
        });
    }

    // ---- reads -------------------------------------------------------------------------------------

    /** Whether this service handled the event already. */
    public boolean isProcessed(String eventId) {
        return dsl.fetchExists(PROCESSED_EVENTS,
                PROCESSED_EVENTS.CONSUMER.eq(consumer).and(PROCESSED_EVENTS.EVENT_ID.eq(eventId)));
    }

    /** What a skipped step's record says. */
    public static String skippedMessage(FailoverType type) {
        return "not part of a " + type + " failover";
    }

    public Optional<FailoverProcess> load(String failoverId) {
        FailoverJobsRecord record = dsl.selectFrom(FAILOVER_JOBS).where(FAILOVER_JOBS.ID.eq(failoverId)).fetchOne();
        if (record == null) {
            return Optional.empty();
        }
        Map<FailoverStep, StepRecord> steps = new EnumMap<>(FailoverStep.class);
        for (JobStepsRecord step : dsl.selectFrom(JOB_STEPS).where(JOB_STEPS.FAILOVER_ID.eq(failoverId)).fetch()) {
            StepRecord parsed = step(step);
            steps.put(parsed.step(), parsed);
        }
        return Optional.of(process(record, steps));
    }

    /** The failovers that still have something to do, oldest first. */
    public List<String> unfinished() {
        return dsl.select(FAILOVER_JOBS.ID).from(FAILOVER_JOBS)
                .where(FAILOVER_JOBS.STATUS.in(ProcessStatus.running.name(), ProcessStatus.cleaning_up.name()))
                .orderBy(FAILOVER_JOBS.CREATED_AT, FAILOVER_JOBS.ID)
                .fetch(FAILOVER_JOBS.ID);
    }

    /** The volumes the target VM is built from, root disk first. */
    public List<String> volumeIds(String failoverId) {
        return dsl.select(FAILOVER_VOLUMES.VOLUME_ID).from(FAILOVER_VOLUMES)
                .where(FAILOVER_VOLUMES.FAILOVER_ID.eq(failoverId))
                .orderBy(FAILOVER_VOLUMES.SEQ)
                .fetch(FAILOVER_VOLUMES.VOLUME_ID);
    }

    /** The VM's size as its context in the read model records it, when it is there. */
    public Optional<Sizing> sizing(String contextId) {
        Record3<Integer, Long, String> row = dsl.select(VM_REPLICATION_CONTEXTS.CPU_COUNT,
                        VM_REPLICATION_CONTEXTS.MEMORY_MB, VM_REPLICATION_CONTEXTS.OS_TYPE)
                .from(VM_REPLICATION_CONTEXTS).where(VM_REPLICATION_CONTEXTS.CONTEXT_ID.eq(contextId)).fetchOne();
        if (row == null || row.value1() == null || row.value1() <= 0 || row.value2() == null || row.value2() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Sizing(row.value1(), row.value2(), row.value3()));
    }

    /**
     * The network the context's replications were requested for ({@code target_network} of its newest
     * job that names one, in the read model), when one did; a live failover VM is placed on it.
     */
    public Optional<String> targetNetwork(String contextId) {
        return dsl.select(REPLICATION_JOBS.TARGET_NETWORK).from(REPLICATION_JOBS)
                .where(REPLICATION_JOBS.CONTEXT_ID.eq(contextId))
                .and(REPLICATION_JOBS.TARGET_NETWORK.isNotNull())
                .and(org.jooq.impl.DSL.trim(REPLICATION_JOBS.TARGET_NETWORK).ne(""))
                .orderBy(REPLICATION_JOBS.CREATED_AT.desc(), REPLICATION_JOBS.ID.desc())
                .limit(1)
                .fetchOptional(REPLICATION_JOBS.TARGET_NETWORK);
    }

    // ---- step results ------------------------------------------------------------------------------

    /** Records a step as started, once (a step started before keeps its row). */
    public void stepStarted(FailoverProcess process, FailoverStep step, String message, String jobId) {
        OffsetDateTime now = now();
        insertStep(dsl, process.failoverId(), step, StepStatus.started, message, jobId, now, null);
    }

    /** Ends a step and moves the failover to {@code next} (null: none, the end of its steps). */
    public FailoverProcess stepEnded(FailoverProcess process, FailoverStep step, StepStatus status, String message,
            String jobId, FailoverStep next) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.CURRENT_STEP, next == null ? null : next.name());
        return transition(process, changes, step, status, message, jobId);
    }

    /** A step failed: the failover fails at it, with this reason, and goes on to {@code next} (rollback or none). */
    public FailoverProcess stepFailed(FailoverProcess process, FailoverStep step, String reason, FailoverStep next) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.FAILED_STEP, step.name());
        changes.put(FAILOVER_JOBS.ERROR_MESSAGE, clip(reason));
        changes.put(FAILOVER_JOBS.CURRENT_STEP, next == null ? null : next.name());
        return transition(process, changes, step, StepStatus.failed, reason, null);
    }

    /** Closes the step whose failure an event recorded while it was open. */
    public FailoverProcess closeFailedStep(FailoverProcess process, FailoverStep step) {
        return transition(process, new LinkedHashMap<>(), step, StepStatus.failed, process.errorMessage(),
                process.finalSyncJobId());
    }

    /** Records the final sync's request id and absolute deadline, before the request is sent. */
    public FailoverProcess finalSyncPlanned(FailoverProcess process, String requestId, Instant deadline) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.FINAL_SYNC_REQUEST_ID, requestId);
        changes.put(FAILOVER_JOBS.FINAL_SYNC_DEADLINE_AT, time(deadline));
        return transition(process, changes, null, null, null, null);
    }

    /** Records the target VM as soon as it exists, so that a rollback can remove it. */
    public FailoverProcess targetVmCreated(FailoverProcess process, String targetVmId) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.TARGET_VM_ID, targetVmId);
        return transition(process, changes, null, null, null, null);
    }

    /** Ends the rollback; a rollback that failed adds its reason to the failover's. */
    public FailoverProcess rollbackEnded(FailoverProcess process, StepStatus status, String message,
            boolean sourcePoweredBackOn) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.CURRENT_STEP, null);
        changes.put(FAILOVER_JOBS.SOURCE_POWERED_BACK_ON, sourcePoweredBackOn);
        if (status == StepStatus.failed) {
            changes.put(FAILOVER_JOBS.ERROR_MESSAGE, clip(process.errorMessage() + "; rollback failed: " + message));
        }
        return transition(process, changes, FailoverStep.rollback, status, message, null);
    }

    /** The status update is done: the failover completed. */
    public FailoverProcess completed(FailoverProcess process, String message) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.STATUS, ProcessStatus.completed.name());
        changes.put(FAILOVER_JOBS.CURRENT_STEP, null);
        changes.put(FAILOVER_JOBS.COMPLETED_AT, now());
        return transition(process, changes, FailoverStep.status_update, StepStatus.completed, message, null);
    }

    /** The failure is reported: the failover failed. */
    public FailoverProcess failed(FailoverProcess process) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.STATUS, ProcessStatus.failed.name());
        changes.put(FAILOVER_JOBS.CURRENT_STEP, null);
        changes.put(FAILOVER_JOBS.COMPLETED_AT, now());
        return transition(process, changes, null, null, null, null);
    }

    /** The test failover's VM is gone. */
    public FailoverProcess cleanedUp(FailoverProcess process, String message) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.STATUS, ProcessStatus.cleaned_up.name());
        changes.put(FAILOVER_JOBS.CURRENT_STEP, null);
        return transition(process, changes, FailoverStep.cleanup, StepStatus.completed, message, null);
    }

    /** The cleanup failed: the failover stays completed (its VM is still there) and can be cleaned up again. */
    public FailoverProcess cleanupFailed(FailoverProcess process, String message) {
        Map<Field<?>, Object> changes = new LinkedHashMap<>();
        changes.put(FAILOVER_JOBS.STATUS, ProcessStatus.completed.name());
        changes.put(FAILOVER_JOBS.CURRENT_STEP, null);
        return transition(process, changes, FailoverStep.cleanup, StepStatus.failed, message, null);
    }

    // ---- internals ---------------------------------------------------------------------------------

    private FailoverProcess transition(FailoverProcess process, Map<Field<?>, Object> changes, FailoverStep step,
            StepStatus status, String message, String jobId) {
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            OffsetDateTime now = now();
            int updated = tx.update(FAILOVER_JOBS)
                    .set(changes)
                    .set(FAILOVER_JOBS.VERSION, FAILOVER_JOBS.VERSION.plus(1))
                    .set(FAILOVER_JOBS.UPDATED_AT, now)
                    .where(FAILOVER_JOBS.ID.eq(process.failoverId()))
                    .and(FAILOVER_JOBS.VERSION.eq(process.version()))
                    .execute();
            if (updated == 0) {
                throw new StaleProcessException(process.failoverId(), process.version());
            }
            if (step != null) {
                insertStep(tx, process.failoverId(), step, status, message, jobId, now, now);
                tx.update(JOB_STEPS)
                        .set(JOB_STEPS.STATUS, status.name())
                        .set(JOB_STEPS.MESSAGE, clip(message))
                        .set(JOB_STEPS.JOB_ID, jobId != null ? org.jooq.impl.DSL.val(jobId) : JOB_STEPS.JOB_ID)
                        .set(JOB_STEPS.COMPLETED_AT, now)
                        .where(JOB_STEPS.FAILOVER_ID.eq(process.failoverId()))
                        .and(JOB_STEPS.STEP.eq(step.name()))
                        .execute();
            }
        });
        return load(process.failoverId()).orElseThrow();
    }

    /** The failover, locked, when it waits for the final sync of this request; else null. */
    private static FailoverJobsRecord lockWaiting(DSLContext tx, String failoverId, String requestId) {
        if (failoverId == null) {
            return null;
        }
        FailoverJobsRecord record = tx.selectFrom(FAILOVER_JOBS).where(FAILOVER_JOBS.ID.eq(failoverId)).forUpdate()
                .fetchOne();
        boolean waiting = record != null
                && ProcessStatus.running.name().equals(record.getStatus())
                && FailoverStep.final_sync.name().equals(record.getCurrentStep())
                && record.getFailedStep() == null
                && record.getFinalSyncCompletedAt() == null
                && requestId != null && requestId.equals(record.getFinalSyncRequestId());
        return waiting ? record : null;
    }

    private boolean markProcessed(DSLContext tx, String eventId) {
        return tx.insertInto(PROCESSED_EVENTS)
                .set(PROCESSED_EVENTS.CONSUMER, consumer)
                .set(PROCESSED_EVENTS.EVENT_ID, eventId)
                .set(PROCESSED_EVENTS.PROCESSED_AT, now())
                .onConflictDoNothing()
                .execute() == 1;
    }

    private static void insertStep(DSLContext tx, String failoverId, FailoverStep step, StepStatus status,
            String message, String jobId, OffsetDateTime startedAt, OffsetDateTime completedAt) {
        tx.insertInto(JOB_STEPS)
                .set(JOB_STEPS.FAILOVER_ID, failoverId)
                .set(JOB_STEPS.STEP, step.name())
                .set(JOB_STEPS.SEQ, FailoverRules.seq(step))
                .set(JOB_STEPS.STATUS, status.name())
                .set(JOB_STEPS.MESSAGE, clip(message))
                .set(JOB_STEPS.JOB_ID, jobId)
                .set(JOB_STEPS.STARTED_AT, startedAt)
                .set(JOB_STEPS.COMPLETED_AT, completedAt)
                .onConflictDoNothing()
                .execute();
    }

    private static void replaceVolumes(DSLContext tx, String failoverId, List<VolumeAttachment> volumes) {
        tx.deleteFrom(FAILOVER_VOLUMES).where(FAILOVER_VOLUMES.FAILOVER_ID.eq(failoverId)).execute();
        for (int i = 0; i < volumes.size(); i++) {
            VolumeAttachment volume = volumes.get(i);
            tx.insertInto(FAILOVER_VOLUMES)
                    .set(FAILOVER_VOLUMES.FAILOVER_ID, failoverId)
                    .set(FAILOVER_VOLUMES.DISK_ID, volume.getDiskId())
                    .set(FAILOVER_VOLUMES.SEQ, i)
                    .set(FAILOVER_VOLUMES.VOLUME_ID, volume.getVolumeId())
                    .onConflictDoNothing()
                    .execute();
        }
    }

    private static FailoverProcess process(FailoverJobsRecord r, Map<FailoverStep, StepRecord> steps) {
        return new FailoverProcess(r.getId(), r.getContextId(), r.getVmwareVmId(), r.getVmName(), r.getVmPath(),
                r.getVcenterHost(), r.getDatacenter(), FailoverType.valueOf(r.getFailoverType()),
                ProcessStatus.valueOf(r.getStatus()), step(r.getCurrentStep()), r.getPowerOnSourceOnFailure(),
                r.getTestNetwork(), r.getFinalSyncDeadlineMinutes(), r.getFinalSyncRequestId(),
                instant(r.getFinalSyncDeadlineAt()), instant(r.getFinalSyncCompletedAt()), r.getFinalSyncJobId(),
                r.getTargetVmId(), step(r.getFailedStep()), r.getErrorMessage(), r.getSourcePoweredBackOn(),
                r.getRequestedBy(), instant(r.getCreatedAt()), r.getVersion(), steps);
    }

    private static StepRecord step(JobStepsRecord r) {
        return new StepRecord(FailoverStep.valueOf(r.getStep()), r.getSeq(), StepStatus.valueOf(r.getStatus()),
                r.getMessage(), r.getJobId(), instant(r.getStartedAt()), instant(r.getCompletedAt()));
    }

    private static FailoverStep step(String name) {
        return name == null ? null : FailoverStep.valueOf(name);
    }

    private static String clip(String message) {
        return message == null || message.length() <= 4000 ? message : message.substring(0, 3999) + "…";
    }

    private OffsetDateTime now() {
        return time(clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
