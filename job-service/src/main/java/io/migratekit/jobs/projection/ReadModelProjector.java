package io.migratekit.jobs.projection;

import static io.migratekit.db.Tables.DISK_CHANGE_IDS;
import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.REPLICATION_REQUESTS;
import static io.migratekit.db.Tables.VM_DISKS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.least;
import static org.jooq.impl.DSL.when;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.DiskProgress;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmContext;
import io.migratekit.events.VolumeAttachment;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * Projects the pipeline's events into the read model (PostgreSQL): the tables
 * {@code vm_replication_contexts}, {@code replication_jobs}, {@code vm_disks}, {@code disk_change_ids}
 * and {@code replication_requests}, of which it is the only writer. Every write is an idempotent
 * upsert, so a redelivered or replayed event changes nothing and events of different topics may arrive
 * in any order. An event is projected in one transaction, or a batch of events (a poll's worth) in one
 * transaction, in their order, all or none ({@link #projectAll}): one commit per batch instead of one
 * per event. Rules:
 * <ul>
 *   <li>a row is created by whichever event arrives first, with placeholders for what that event does
 *       not know; the event that owns a column (the request for request columns, {@code JobCreated} for
 *       job and disk specifications) overwrites it whenever it arrives;</li>
 *   <li>statuses and outcomes only move forward by rank, and a terminal one never changes again;</li>
 *   <li>a context row only takes a newer {@code state_version}.</li>
 * </ul>
 * It decides nothing about the pipeline and reads nothing but the rows it upserts.
 */
public final class ReadModelProjector {

    static final String PENDING = "pending";
    static final String REPLICATING = "replicating";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";

    static final String OUTCOME_PENDING = "pending";
    static final String OUTCOME_CONTEXT_CREATED = "context_created";
    static final String OUTCOME_JOB_CREATED = "job_created";
    static final String OUTCOME_JOB_STARTED = "job_started";
    static final String OUTCOME_REJECTED = "rejected";
    static final String OUTCOME_DISCOVERY_FAILED = "discovery_failed";
    static final String OUTCOME_JOB_FAILED = "job_failed";

    private static final String UNKNOWN = "unknown";
    private static final String NOT_YET_KNOWN = "";

    /** The projection of each event type the read model is built from (generated Avro classes are final). */
    private static final Map<Class<?>, Projection> PROJECTIONS = Map.ofEntries(
            projection(ReplicationRequested.class, ReadModelProjector::onReplicationRequested),
            projection(DiscoveryFailed.class, ReadModelProjector::onDiscoveryFailed),
            projection(ContextCreated.class, ReadModelProjector::onContextCreated),
            projection(ReplicationRejected.class, ReadModelProjector::onReplicationRejected),
            projection(JobCreated.class, ReadModelProjector::onJobCreated),
            projection(JobStarted.class, ReadModelProjector::onJobStarted),
            projection(JobProgress.class, ReadModelProjector::onJobProgress),
            projection(ChangeIdRecorded.class, ReadModelProjector::onChangeIdRecorded),
            projection(JobCompleted.class, ReadModelProjector::onJobCompleted),
            projection(JobFailed.class, ReadModelProjector::onJobFailed),
            projection(VmContext.class, ReadModelProjector::onVmContext));

    private final DSLContext dsl;

    public ReadModelProjector(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Whether this is an event the read model is built from. */
    public static boolean projects(Object value) {
        return value != null && PROJECTIONS.containsKey(value.getClass());
    }

    /** Projects one event (of a type that {@link #projects}) in its own transaction. */
    public void project(SpecificRecord event) {
        dsl.transaction(configuration -> project(configuration.dsl(), event));
    }

    /**
     * Projects the events in their order in one transaction: all of them, or — when one fails — none
     * (the exception is the first failure's).
     */
    public void projectAll(List<? extends SpecificRecord> events) {
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            for (SpecificRecord event : events) {
                project(tx, event);
            }
        });
    }

    private static void project(DSLContext tx, SpecificRecord event) {
        Projection projection = PROJECTIONS.get(event.getClass());
        if (projection == null) {
            throw new IllegalArgumentException("the read model is not built from " + event.getSchema().getName());
        }
        projection.apply(tx, event);
    }

    /** Writes one event in the given transaction. */
    private interface Projection {
        void apply(DSLContext tx, SpecificRecord event);
    }

    private static <E extends SpecificRecord> Map.Entry<Class<?>, Projection> projection(Class<E> type,
            BiConsumer<DSLContext, E> write) {
        return Map.entry(type, (tx, event) -> write.accept(tx, type.cast(event)));
    }

    private static void onReplicationRequested(DSLContext tx, ReplicationRequested event) {
        var r = REPLICATION_REQUESTS;
        tx.insertInto(r)
                .set(r.REQUEST_ID, event.getCorrelationId())
                .set(r.VMWARE_VM_ID, event.getVmwareVmId())
                .set(r.VM_NAME, event.getRequest().getSourceVm().getName())
                .set(r.REQUESTED_BY, event.getRequest().getRequestedBy())
                .set(r.START_REPLICATION, event.getRequest().getStartReplication())
                .set(r.FAILOVER_ID, event.getRequest().getFailoverId())
                .set(r.OUTCOME, OUTCOME_PENDING)
                .set(r.CREATED_AT, time(event.getOccurredAt()))
                .onConflict(r.REQUEST_ID)
                .doUpdate()
                .set(r.VMWARE_VM_ID, excluded(r.VMWARE_VM_ID))
                .set(r.VM_NAME, excluded(r.VM_NAME))
                .set(r.REQUESTED_BY, excluded(r.REQUESTED_BY))
                .set(r.START_REPLICATION, excluded(r.START_REPLICATION))
                .set(r.FAILOVER_ID, excluded(r.FAILOVER_ID))
                .set(r.CREATED_AT, excluded(r.CREATED_AT))
                .execute();
    }

    private static void onDiscoveryFailed(DSLContext tx, DiscoveryFailed event) {
        outcome(tx, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), event.getVmName(), UNKNOWN, true,
                event.getFailoverId(), OUTCOME_DISCOVERY_FAILED, null, null, event.getReason().name(),
                abbreviate(event.getMessage()), event.getOccurredAt(), true));
    }

    private static void onContextCreated(DSLContext tx, ContextCreated event) {
        boolean contextOnly = !event.getStartReplication();
        outcome(tx, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), event.getVmName(),
                event.getRequestedBy(), event.getStartReplication(), null,
                contextOnly ? OUTCOME_CONTEXT_CREATED : OUTCOME_PENDING, null, event.getContextId(), null, null,
                event.getOccurredAt(), contextOnly));
    }

    private static void onReplicationRejected(DSLContext tx, ReplicationRejected event) {
        boolean startReplication = event.getReason() != RejectionReason.VM_ALREADY_MANAGED;
        outcome(tx, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), event.getVmName(), UNKNOWN,
                startReplication, event.getFailoverId(), OUTCOME_REJECTED, null, event.getContextId(),
                event.getReason().name(), abbreviate(event.getMessage()), event.getOccurredAt(), true));
    }

    private static void onJobCreated(DSLContext tx, JobCreated event) {
        var j = REPLICATION_JOBS;
        OffsetDateTime at = time(event.getOccurredAt());
        tx.insertInto(j)
                .set(j.ID, event.getJobId())
                .set(j.CONTEXT_ID, event.getContextId())
                .set(j.VMWARE_VM_ID, event.getVmwareVmId())
                .set(j.REQUEST_ID, event.getCorrelationId())
                .set(j.SOURCE_VM_NAME, event.getVm().getName())
                .set(j.SOURCE_VM_PATH, event.getVm().getPath())
                .set(j.VCENTER_HOST, event.getVm().getVcenterHost())
                .set(j.DATACENTER, event.getVm().getDatacenter())
                .set(j.REPLICATION_TYPE, event.getReplicationType().name())
                .set(j.STATUS, PENDING)
                .set(j.OSSEA_CONFIG_ID, event.getOsseaConfigId())
                .set(j.TARGET_NETWORK, event.getTargetNetwork())
                .set(j.SCHEDULE_EXECUTION_ID, event.getScheduleExecutionId())
                .set(j.VM_GROUP_ID, event.getVmGroupId())
                .set(j.SCHEDULED_BY, event.getScheduledBy())
                .set(j.REQUESTED_BY, event.getRequestedBy())
                .set(j.FAILOVER_ID, event.getFailoverId())
                .set(j.CREATED_AT, at)
                .set(j.UPDATED_AT, at)
                .onConflict(j.ID)
                .doUpdate()
                .set(j.CONTEXT_ID, excluded(j.CONTEXT_ID))
                .set(j.VMWARE_VM_ID, excluded(j.VMWARE_VM_ID))
                .set(j.REQUEST_ID, excluded(j.REQUEST_ID))
                .set(j.SOURCE_VM_NAME, excluded(j.SOURCE_VM_NAME))
                .set(j.SOURCE_VM_PATH, excluded(j.SOURCE_VM_PATH))
                .set(j.VCENTER_HOST, excluded(j.VCENTER_HOST))
                .set(j.DATACENTER, excluded(j.DATACENTER))
                .set(j.REPLICATION_TYPE, excluded(j.REPLICATION_TYPE))
                .set(j.OSSEA_CONFIG_ID, excluded(j.OSSEA_CONFIG_ID))
                .set(j.TARGET_NETWORK, excluded(j.TARGET_NETWORK))
                .set(j.SCHEDULE_EXECUTION_ID, excluded(j.SCHEDULE_EXECUTION_ID))
                .set(j.VM_GROUP_ID, excluded(j.VM_GROUP_ID))
                .set(j.SCHEDULED_BY, excluded(j.SCHEDULED_BY))
                .set(j.REQUESTED_BY, excluded(j.REQUESTED_BY))
                .set(j.FAILOVER_ID, excluded(j.FAILOVER_ID))
                .set(j.CREATED_AT, excluded(j.CREATED_AT))
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT)))
                .execute();

        String diskStatus = liveDiskStatus(tx, event.getJobId());
        Map<String, String> previousChangeIds = new HashMap<>();
        for (DiskChangeId changeId : event.getPreviousChangeIds()) {
            previousChangeIds.put(changeId.getDiskId(), changeId.getChangeId());
        }
        List<DiskSpec> disks = event.getVm().getDisks();
        var d = VM_DISKS;
        for (int i = 0; i < disks.size(); i++) {
            DiskSpec disk = disks.get(i);
            String diskId = disk.getId() != null ? disk.getId() : "disk-" + (i + 1);
            tx.insertInto(d)
                    .set(d.JOB_ID, event.getJobId())
                    .set(d.DISK_ID, diskId)
                    .set(d.CONTEXT_ID, event.getContextId())
                    .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                    .set(d.LABEL, disk.getLabel())
                    .set(d.VMDK_PATH, disk.getVmdkPath())
                    .set(d.SIZE_GB, disk.getSizeGb())
                    .set(d.CAPACITY_BYTES, disk.getCapacityBytes())
                    .set(d.DATASTORE, disk.getDatastore())
                    .set(d.PROVISIONING_TYPE, disk.getProvisioningType())
                    .set(d.UNIT_NUMBER, disk.getUnitNumber())
                    .set(d.STATUS, diskStatus)
                    .set(d.PREVIOUS_CHANGE_ID, previousChangeIds.get(diskId))
                    .set(d.CREATED_AT, at)
                    .set(d.UPDATED_AT, at)
                    .onConflict(d.JOB_ID, d.DISK_ID)
                    .doUpdate()
                    .set(d.CONTEXT_ID, excluded(d.CONTEXT_ID))
                    .set(d.VMWARE_VM_ID, excluded(d.VMWARE_VM_ID))
                    .set(d.LABEL, excluded(d.LABEL))
                    .set(d.VMDK_PATH, excluded(d.VMDK_PATH))
                    .set(d.SIZE_GB, excluded(d.SIZE_GB))
                    .set(d.CAPACITY_BYTES, excluded(d.CAPACITY_BYTES))
                    .set(d.DATASTORE, excluded(d.DATASTORE))
                    .set(d.PROVISIONING_TYPE, excluded(d.PROVISIONING_TYPE))
                    .set(d.UNIT_NUMBER, excluded(d.UNIT_NUMBER))
                    .set(d.PREVIOUS_CHANGE_ID, excluded(d.PREVIOUS_CHANGE_ID))
                    .set(d.CREATED_AT, excluded(d.CREATED_AT))
                    .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT)))
                    .execute();
        }
        terminateDisks(tx, event.getJobId());
        outcome(tx, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), event.getVm().getName(),
                event.getRequestedBy(), true, event.getFailoverId(), OUTCOME_JOB_CREATED, event.getJobId(),
                event.getContextId(), null, null, event.getOccurredAt(), true));
    }

    private static void onJobStarted(DSLContext tx, JobStarted event) {
        var j = REPLICATION_JOBS;
        OffsetDateTime at = time(event.getOccurredAt());
        tx.insertInto(j)
                .set(placeholderJob(event.getJobId(), event.getContextId(), event.getVmwareVmId(),
                        event.getCorrelationId(), event.getVmPath(), event.getReplicationType().name(),
                        event.getFailoverId(), at))
                .set(j.STATUS, REPLICATING)
                .set(j.STARTED_AT, at)
                .onConflict(j.ID)
                .doUpdate()
                .set(j.STATUS, when(jobRank(j.STATUS).lt(1), DSL.inline(REPLICATING)).otherwise(j.STATUS))
                .set(j.STARTED_AT, coalesce(j.STARTED_AT, excluded(j.STARTED_AT)))
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT)))
                .execute();

        String diskStatus = liveDiskStatus(tx, event.getJobId());
        var d = VM_DISKS;
        for (VolumeAttachment volume : event.getVolumes()) {
            tx.insertInto(d)
                    .set(d.JOB_ID, event.getJobId())
                    .set(d.DISK_ID, volume.getDiskId())
                    .set(d.CONTEXT_ID, event.getContextId())
                    .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                    .set(d.VOLUME_ID, volume.getVolumeId())
                    .set(d.NBD_EXPORT_NAME, volume.getNbdExportName())
                    .set(d.DEVICE_PATH, volume.getDevicePath())
                    .set(d.STATUS, diskStatus)
                    .set(d.CREATED_AT, at)
                    .set(d.UPDATED_AT, at)
                    .onConflict(d.JOB_ID, d.DISK_ID)
                    .doUpdate()
                    .set(d.VOLUME_ID, excluded(d.VOLUME_ID))
                    .set(d.NBD_EXPORT_NAME, excluded(d.NBD_EXPORT_NAME))
                    .set(d.DEVICE_PATH, excluded(d.DEVICE_PATH))
                    .set(d.STATUS, when(jobRank(d.STATUS).lt(1), DSL.inline(REPLICATING)).otherwise(d.STATUS))
                    .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT)))
                    .execute();
        }
        terminateDisks(tx, event.getJobId());
        outcome(tx, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), NOT_YET_KNOWN, UNKNOWN, true,
                event.getFailoverId(), OUTCOME_JOB_STARTED, event.getJobId(), event.getContextId(), null, null,
                event.getOccurredAt(), false));
    }

    /**
     * Progress is the newest report from before the job ended, whatever the arrival order: a report
     * older than the one shown, or from after the job's end, changes nothing. What the job's end owns
     * (a completed job's 100 % and bytes, a terminal job's operation and no ETA) stays as the end set it.
     */
    private static void onJobProgress(DSLContext tx, JobProgress event) {
        var j = REPLICATION_JOBS;
        OffsetDateTime at = time(event.getOccurredAt());
        Condition completed = j.STATUS.eq(COMPLETED);
        Condition terminal = j.STATUS.in(COMPLETED, FAILED);
        int applied = tx.insertInto(j)
                .set(placeholderJob(event.getJobId(), event.getContextId(), event.getVmwareVmId(),
                        event.getCorrelationId(), NOT_YET_KNOWN, "initial", null, at))
                .set(j.STATUS, REPLICATING)
                .set(j.PROGRESS_PERCENT, event.getPercent())
                .set(j.CURRENT_OPERATION, event.getCurrentOperation())
                .set(j.VMA_SYNC_TYPE, event.getSyncType())
                .set(j.BYTES_TRANSFERRED, event.getBytesTransferred())
                .set(j.TOTAL_BYTES, event.getTotalBytes())
                .set(j.THROUGHPUT_MBPS, event.getThroughputMbps())
                .set(j.ETA_SECONDS, event.getEtaSeconds())
                .set(j.LAST_POLL_AT, at)
                .onConflict(j.ID)
                .doUpdate()
                .set(j.STATUS, when(jobRank(j.STATUS).lt(1), DSL.inline(REPLICATING)).otherwise(j.STATUS))
                .set(j.PROGRESS_PERCENT, when(completed, j.PROGRESS_PERCENT).otherwise(excluded(j.PROGRESS_PERCENT)))
                .set(j.BYTES_TRANSFERRED, when(completed, j.BYTES_TRANSFERRED).otherwise(excluded(j.BYTES_TRANSFERRED)))
                .set(j.CURRENT_OPERATION, when(terminal, j.CURRENT_OPERATION).otherwise(excluded(j.CURRENT_OPERATION)))
                .set(j.ETA_SECONDS, when(terminal, j.ETA_SECONDS).otherwise(excluded(j.ETA_SECONDS)))
                .set(j.VMA_SYNC_TYPE, excluded(j.VMA_SYNC_TYPE))
                .set(j.TOTAL_BYTES, excluded(j.TOTAL_BYTES))
                .set(j.THROUGHPUT_MBPS, excluded(j.THROUGHPUT_MBPS))
                .set(j.LAST_POLL_AT, excluded(j.LAST_POLL_AT))
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT)))
                .where(j.LAST_POLL_AT.isNull().or(j.LAST_POLL_AT.lt(excluded(j.LAST_POLL_AT))))
                .and(j.COMPLETED_AT.isNull().or(j.COMPLETED_AT.ge(excluded(j.LAST_POLL_AT))))
                .execute();
        if (applied == 0) {
            return;
        }
        var d = VM_DISKS;
        String diskStatus = liveDiskStatus(tx, event.getJobId());
        for (DiskProgress disk : event.getDisks()) {
            tx.insertInto(d)
                    .set(d.JOB_ID, event.getJobId())
                    .set(d.DISK_ID, disk.getDiskId())
                    .set(d.CONTEXT_ID, event.getContextId())
                    .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                    .set(d.STATUS, diskStatus)
                    .set(d.BYTES_TRANSFERRED, disk.getBytesTransferred())
                    .set(d.TOTAL_BYTES, disk.getTotalBytes())
                    .set(d.PROGRESS_PERCENT, disk.getPercent())
                    .set(d.CREATED_AT, at)
                    .set(d.UPDATED_AT, at)
                    .onConflict(d.JOB_ID, d.DISK_ID)
                    .doUpdate()
                    .set(d.BYTES_TRANSFERRED, excluded(d.BYTES_TRANSFERRED))
                    .set(d.TOTAL_BYTES, excluded(d.TOTAL_BYTES))
                    .set(d.PROGRESS_PERCENT, when(d.STATUS.eq(COMPLETED), d.PROGRESS_PERCENT)
                            .otherwise(excluded(d.PROGRESS_PERCENT)))
                    .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT)))
                    .execute();
        }
        terminateDisks(tx, event.getJobId());
    }

    private static void onChangeIdRecorded(DSLContext tx, ChangeIdRecorded event) {
        OffsetDateTime at = time(event.getOccurredAt());
        var c = DISK_CHANGE_IDS;
        tx.insertInto(c)
                .set(c.EVENT_ID, event.getEventId())
                .set(c.JOB_ID, event.getJobId())
                .set(c.CONTEXT_ID, event.getContextId())
                .set(c.VMWARE_VM_ID, event.getVmwareVmId())
                .set(c.DISK_ID, event.getDiskId())
                .set(c.CHANGE_ID, event.getChangeId())
                .set(c.PREVIOUS_CHANGE_ID, event.getPreviousChangeId())
                .set(c.RECORDED_AT, at)
                .onConflictDoNothing()
                .execute();

        var d = VM_DISKS;
        tx.insertInto(d)
                .set(d.JOB_ID, event.getJobId())
                .set(d.DISK_ID, event.getDiskId())
                .set(d.CONTEXT_ID, event.getContextId())
                .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                .set(d.STATUS, REPLICATING)
                .set(d.CHANGE_ID, event.getChangeId())
                .set(d.CREATED_AT, at)
                .set(d.UPDATED_AT, at)
                .onConflict(d.JOB_ID, d.DISK_ID)
                .doUpdate()
                .set(d.CHANGE_ID, when(d.STATUS.in(COMPLETED, FAILED), coalesce(d.CHANGE_ID, excluded(d.CHANGE_ID)))
                        .otherwise(excluded(d.CHANGE_ID)))
                .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT)))
                .execute();
        terminateDisks(tx, event.getJobId());
    }

    private static void onJobCompleted(DSLContext tx, JobCompleted event) {
        var j = REPLICATION_JOBS;
        OffsetDateTime at = time(event.getOccurredAt());
        tx.insertInto(j)
                .set(placeholderJob(event.getJobId(), event.getContextId(), event.getVmwareVmId(),
                        event.getCorrelationId(), NOT_YET_KNOWN, event.getReplicationType().name(),
                        event.getFailoverId(), at))
                .set(j.STATUS, COMPLETED)
                .set(j.PROGRESS_PERCENT, 100.0)
                .set(j.BYTES_TRANSFERRED, event.getBytesTransferred())
                .set(j.CURRENT_OPERATION, COMPLETED)
                .set(j.COMPLETED_AT, at)
                .onConflict(j.ID)
                .doUpdate()
                .set(j.STATUS, COMPLETED)
                .set(j.PROGRESS_PERCENT, 100.0)
                .set(j.BYTES_TRANSFERRED, excluded(j.BYTES_TRANSFERRED))
                .set(j.CURRENT_OPERATION, excluded(j.CURRENT_OPERATION))
                .set(j.ETA_SECONDS, (Long) null)
                .set(j.COMPLETED_AT, excluded(j.COMPLETED_AT))
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT)))
                .where(j.STATUS.notIn(COMPLETED, FAILED))
                .execute();

        if (COMPLETED.equals(jobStatus(tx, event.getJobId()))) {
            var d = VM_DISKS;
            for (DiskChangeId changeId : event.getChangeIds()) {
                tx.insertInto(d)
                        .set(d.JOB_ID, event.getJobId())
                        .set(d.DISK_ID, changeId.getDiskId())
                        .set(d.CONTEXT_ID, event.getContextId())
                        .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                        .set(d.STATUS, REPLICATING)
                        .set(d.CHANGE_ID, changeId.getChangeId())
                        .set(d.CREATED_AT, at)
                        .set(d.UPDATED_AT, at)
                        .onConflict(d.JOB_ID, d.DISK_ID)
                        .doUpdate()
                        .set(d.CHANGE_ID, excluded(d.CHANGE_ID))
                        .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT)))
                        .where(d.STATUS.notIn(COMPLETED, FAILED))
                        .execute();
            }
        }
        terminateDisks(tx, event.getJobId());
    }

    private static void onJobFailed(DSLContext tx, JobFailed event) {
        var j = REPLICATION_JOBS;
        OffsetDateTime at = time(event.getOccurredAt());
        tx.insertInto(j)
                .set(placeholderJob(event.getJobId(), event.getContextId(), event.getVmwareVmId(),
                        event.getCorrelationId(), NOT_YET_KNOWN, "initial", event.getFailoverId(), at))
                .set(j.STATUS, FAILED)
                .set(j.FAILURE_REASON, event.getReason().name())
                .set(j.ERROR_MESSAGE, abbreviate(event.getMessage()))
                .set(j.CURRENT_OPERATION, event.getStep())
                .set(j.COMPLETED_AT, at)
                .onConflict(j.ID)
                .doUpdate()
                .set(j.STATUS, FAILED)
                .set(j.FAILURE_REASON, excluded(j.FAILURE_REASON))
                .set(j.ERROR_MESSAGE, excluded(j.ERROR_MESSAGE))
                .set(j.CURRENT_OPERATION, excluded(j.CURRENT_OPERATION))
                .set(j.ETA_SECONDS, (Long) null)
                .set(j.COMPLETED_AT, excluded(j.COMPLETED_AT))
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT)))
                .where(j.STATUS.notIn(COMPLETED, FAILED))
                .execute();

        terminateDisks(tx, event.getJobId());
        outcome(tx, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), NOT_YET_KNOWN, UNKNOWN, true,
                event.getFailoverId(), OUTCOME_JOB_FAILED, event.getJobId(), event.getContextId(),
                event.getReason().name(), abbreviate(event.getMessage()), event.getOccurredAt(), false));
    }

    private static void onVmContext(DSLContext tx, VmContext event) {
        var c = VM_REPLICATION_CONTEXTS;
        tx.insertInto(c)
                .set(c.CONTEXT_ID, event.getContextId())
                .set(c.VMWARE_VM_ID, event.getVmwareVmId())
                .set(c.VM_NAME, event.getVmName())
                .set(c.VM_PATH, event.getVmPath())
                .set(c.VCENTER_HOST, event.getVcenterHost())
                .set(c.DATACENTER, event.getDatacenter())
                .set(c.CURRENT_STATUS, event.getCurrentStatus().name())
                .set(c.CURRENT_JOB_ID, event.getCurrentJobId())
                .set(c.LAST_SUCCESSFUL_JOB_ID, event.getLastSuccessfulJobId())
                .set(c.TOTAL_JOBS_RUN, event.getTotalJobsRun())
                .set(c.SUCCESSFUL_JOBS, event.getSuccessfulJobs())
                .set(c.FAILED_JOBS, event.getFailedJobs())
                .set(c.CPU_COUNT, event.getVm().getCpus())
                .set(c.MEMORY_MB, event.getVm().getMemoryMb())
                .set(c.OS_TYPE, event.getVm().getOsType())
                .set(c.POWER_STATE, event.getVm().getPowerState())
                .set(c.VMX_VERSION, event.getVm().getVmxVersion())
                .set(c.ACTIVE_FAILOVER_ID, event.getActiveFailoverId())
                .set(c.CREATED_AT, time(event.getCreatedAt()))
                .set(c.UPDATED_AT, time(event.getUpdatedAt()))
                .set(c.STATE_VERSION, event.getVersion())
                .onConflict(c.CONTEXT_ID)
                .doUpdate()
                .set(c.VMWARE_VM_ID, excluded(c.VMWARE_VM_ID))
                .set(c.VM_NAME, excluded(c.VM_NAME))
                .set(c.VM_PATH, excluded(c.VM_PATH))
                .set(c.VCENTER_HOST, excluded(c.VCENTER_HOST))
                .set(c.DATACENTER, excluded(c.DATACENTER))
                .set(c.CURRENT_STATUS, excluded(c.CURRENT_STATUS))
                .set(c.CURRENT_JOB_ID, excluded(c.CURRENT_JOB_ID))
                .set(c.LAST_SUCCESSFUL_JOB_ID, excluded(c.LAST_SUCCESSFUL_JOB_ID))
                .set(c.TOTAL_JOBS_RUN, excluded(c.TOTAL_JOBS_RUN))
                .set(c.SUCCESSFUL_JOBS, excluded(c.SUCCESSFUL_JOBS))
                .set(c.FAILED_JOBS, excluded(c.FAILED_JOBS))
                .set(c.CPU_COUNT, excluded(c.CPU_COUNT))
                .set(c.MEMORY_MB, excluded(c.MEMORY_MB))
                .set(c.OS_TYPE, excluded(c.OS_TYPE))
                .set(c.POWER_STATE, excluded(c.POWER_STATE))
                .set(c.VMX_VERSION, excluded(c.VMX_VERSION))
                .set(c.ACTIVE_FAILOVER_ID, excluded(c.ACTIVE_FAILOVER_ID))
                .set(c.CREATED_AT, excluded(c.CREATED_AT))
                .set(c.UPDATED_AT, excluded(c.UPDATED_AT))
                .set(c.STATE_VERSION, excluded(c.STATE_VERSION))
                .where(c.STATE_VERSION.lt(excluded(c.STATE_VERSION)))
                .execute();
    }

    /**
     * The request columns a job event can fill when its request row does not exist yet, and the
     * outcome it brings.
     *
     * @param decided whether this event is the decision on the request (sets {@code decided_at})
     */
    private record Outcome(String requestId, String vmwareVmId, String vmName, String requestedBy,
            boolean startReplication, String failoverId, String outcome, String jobId, String contextId, String reason,
            String message, Instant occurredAt, boolean decided) {
    }

    /**
     * Records an outcome of a request: the outcome only moves to a higher rank, ids are filled once,
     * reason and message come with the highest-ranked outcome that has them. Creates the row with
     * placeholder request columns when the request event has not been projected yet, and fills
     * placeholders it finds; the request event overwrites them whenever it comes.
     */
    private static void outcome(DSLContext tx, Outcome o) {
        var r = REPLICATION_REQUESTS;
        OffsetDateTime at = time(o.occurredAt());
        Condition higher = outcomeRank(excluded(r.OUTCOME)).gt(outcomeRank(r.OUTCOME));
        tx.insertInto(r)
                .set(r.REQUEST_ID, o.requestId())
                .set(r.VMWARE_VM_ID, o.vmwareVmId())
                .set(r.VM_NAME, o.vmName())
                .set(r.REQUESTED_BY, o.requestedBy())
                .set(r.START_REPLICATION, o.startReplication())
                .set(r.FAILOVER_ID, o.failoverId())
                .set(r.OUTCOME, o.outcome())
                .set(r.JOB_ID, o.jobId())
                .set(r.CONTEXT_ID, o.contextId())
                .set(r.REASON, o.reason())
                .set(r.MESSAGE, o.message())
                .set(r.CREATED_AT, at)
                .set(r.DECIDED_AT, o.decided() ? at : null)
                .onConflict(r.REQUEST_ID)
                .doUpdate()
                .set(r.VM_NAME, when(r.VM_NAME.eq(NOT_YET_KNOWN), excluded(r.VM_NAME)).otherwise(r.VM_NAME))
                .set(r.REQUESTED_BY, when(r.REQUESTED_BY.eq(UNKNOWN), excluded(r.REQUESTED_BY)).otherwise(r.REQUESTED_BY))
                .set(r.FAILOVER_ID, coalesce(r.FAILOVER_ID, excluded(r.FAILOVER_ID)))
                .set(r.CREATED_AT, least(r.CREATED_AT, excluded(r.CREATED_AT)))
                .set(r.OUTCOME, when(higher, excluded(r.OUTCOME)).otherwise(r.OUTCOME))
                .set(r.JOB_ID, coalesce(r.JOB_ID, excluded(r.JOB_ID)))
                .set(r.CONTEXT_ID, coalesce(r.CONTEXT_ID, excluded(r.CONTEXT_ID)))
                .set(r.REASON, when(higher.and(excluded(r.REASON).isNotNull()), excluded(r.REASON)).otherwise(r.REASON))
                .set(r.MESSAGE, when(higher.and(excluded(r.MESSAGE).isNotNull()), excluded(r.MESSAGE)).otherwise(r.MESSAGE))
                .set(r.DECIDED_AT, coalesce(r.DECIDED_AT, excluded(r.DECIDED_AT)))
                .execute();
    }

    private static Field<Integer> outcomeRank(Field<String> outcome) {
        return when(outcome.eq(OUTCOME_PENDING), DSL.inline(0))
                .when(outcome.in(OUTCOME_CONTEXT_CREATED, OUTCOME_JOB_CREATED, OUTCOME_REJECTED, OUTCOME_DISCOVERY_FAILED),
                        DSL.inline(1))
                .when(outcome.eq(OUTCOME_JOB_STARTED), DSL.inline(2))
                .when(outcome.eq(OUTCOME_JOB_FAILED), DSL.inline(3))
                .otherwise(DSL.inline(0));
    }

    /** pending 0, replicating 1, completed/failed 2 (terminal). */
    private static Field<Integer> jobRank(Field<String> status) {
        return when(status.eq(PENDING), DSL.inline(0))
                .when(status.eq(REPLICATING), DSL.inline(1))
                .when(status.in(COMPLETED, FAILED), DSL.inline(2))
                .otherwise(DSL.inline(0));
    }

    /** The columns of a job row created by an event that is not {@code JobCreated}; it fills them later. */
    private static Map<Field<?>, Object> placeholderJob(String jobId, String contextId, String vmwareVmId,
            String requestId, String vmPath, String replicationType, String failoverId, OffsetDateTime at) {
        var j = REPLICATION_JOBS;
        Map<Field<?>, Object> values = new HashMap<>();
        values.put(j.ID, jobId);
        values.put(j.CONTEXT_ID, contextId);
        values.put(j.VMWARE_VM_ID, vmwareVmId);
        values.put(j.REQUEST_ID, requestId);
        values.put(j.SOURCE_VM_NAME, NOT_YET_KNOWN);
        values.put(j.SOURCE_VM_PATH, vmPath);
        values.put(j.REPLICATION_TYPE, replicationType);
        values.put(j.REQUESTED_BY, UNKNOWN);
        values.put(j.FAILOVER_ID, failoverId);
        values.put(j.CREATED_AT, at);
        values.put(j.UPDATED_AT, at);
        return values;
    }

    /** The job's status as stored now (the caller upserted the job first in the same transaction). */
    private static String jobStatus(DSLContext tx, String jobId) {
        String status = tx.select(REPLICATION_JOBS.STATUS).from(REPLICATION_JOBS).where(REPLICATION_JOBS.ID.eq(jobId))
                .fetchOne(REPLICATION_JOBS.STATUS);
        return status == null ? PENDING : status;
    }

    /** The status a new disk row of the job starts with; {@link #terminateDisks} applies a terminal one. */
    private static String liveDiskStatus(DSLContext tx, String jobId) {
        return PENDING.equals(jobStatus(tx, jobId)) ? PENDING : REPLICATING;
    }

    /**
     * Once the job is completed or failed, gives each of its disks that is not yet terminal the same
     * status (and a completed disk 100 %), stamped with the job's end.
     */
    private static void terminateDisks(DSLContext tx, String jobId) {
        var j = REPLICATION_JOBS;
        var job = tx.select(j.STATUS, j.COMPLETED_AT).from(j).where(j.ID.eq(jobId)).fetchOne();
        if (job == null || !(COMPLETED.equals(job.value1()) || FAILED.equals(job.value1()))) {
            return;
        }
        String status = job.value1();
        var d = VM_DISKS;
        tx.update(d)
                .set(d.STATUS, status)
                .set(d.PROGRESS_PERCENT, COMPLETED.equals(status) ? DSL.val(100.0) : d.PROGRESS_PERCENT)
                .set(d.UPDATED_AT, greatest(d.UPDATED_AT, DSL.val(job.value2())))
                .where(d.JOB_ID.eq(jobId), d.STATUS.notIn(COMPLETED, FAILED))
                .execute();
    }

    private static String abbreviate(String message) {
        return message == null || message.length() <= 4000 ? message : message.substring(0, 3999) + "…";
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
