package io.migratekit.jobs.projection;

import static io.migratekit.db.Tables.DISK_CHANGE_IDS;
import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.REPLICATION_REQUESTS;
import static io.migratekit.db.Tables.VM_DISKS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;
import static io.migratekit.jobs.projection.StatementShape.value;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.greatest;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.insertInto;
import static org.jooq.impl.DSL.least;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.update;
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
import java.sql.Connection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
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
 * Each statement shape is built and rendered once ({@link StatementShape}) and executed with the
 * event's values; the reads an event's writes depend on (the job's status) are inside the statements.
 * Consecutive events of one type that touch no common row (job, request, context, change-id event)
 * form a run whose statements are sent together, one JDBC batch per statement of the type: the tables
 * end as if the events were written one at a time, because the events of a run commute and each
 * event's own statements keep their order. It decides nothing about the pipeline and reads nothing but
 * the rows it upserts.
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
    private static final String INITIAL = "initial";

    private static final StatementShape REQUEST = requestShape();
    private static final StatementShape OUTCOME = outcomeShape();
    private static final StatementShape JOB_CREATED = jobCreatedShape();
    private static final StatementShape DISK_SPEC = diskSpecShape();
    private static final StatementShape JOB_STARTED = jobStartedShape();
    private static final StatementShape DISK_VOLUME = diskVolumeShape();
    private static final StatementShape JOB_PROGRESS = jobProgressShape();
    private static final StatementShape DISK_PROGRESS = diskProgressShape();
    private static final StatementShape CHANGE_ID = changeIdShape();
    private static final StatementShape DISK_CHANGE_ID = diskChangeIdShape();
    private static final StatementShape JOB_COMPLETED = jobCompletedShape();
    private static final StatementShape DISK_FINAL_CHANGE_ID = diskFinalChangeIdShape();
    private static final StatementShape JOB_FAILED = jobFailedShape();
    private static final StatementShape TERMINATE_DISKS = terminateDisksShape();
    private static final StatementShape VM_CONTEXT = vmContextShape();

    /** The projection of each event type the read model is built from (generated Avro classes are final). */
    private static final Map<Class<?>, Projection<?>> PROJECTIONS = Map.ofEntries(
            projection(ReplicationRequested.class, e -> List.of(request(e.getCorrelationId())),
                    ReadModelProjector::onReplicationRequested),
            projection(DiscoveryFailed.class, e -> List.of(request(e.getCorrelationId())),
                    ReadModelProjector::onDiscoveryFailed),
            projection(ContextCreated.class, e -> List.of(request(e.getCorrelationId())),
                    ReadModelProjector::onContextCreated),
            projection(ReplicationRejected.class, e -> List.of(request(e.getCorrelationId())),
                    ReadModelProjector::onReplicationRejected),
            projection(JobCreated.class, e -> List.of(job(e.getJobId()), request(e.getCorrelationId())),
                    ReadModelProjector::onJobCreated),
            projection(JobStarted.class, e -> List.of(job(e.getJobId()), request(e.getCorrelationId())),
                    ReadModelProjector::onJobStarted),
            projection(JobProgress.class, e -> List.of(job(e.getJobId())), ReadModelProjector::onJobProgress),
            projection(ChangeIdRecorded.class, e -> List.of(job(e.getJobId()), "change-id event " + e.getEventId()),
                    ReadModelProjector::onChangeIdRecorded),
            projection(JobCompleted.class, e -> List.of(job(e.getJobId())), ReadModelProjector::onJobCompleted),
            projection(JobFailed.class, e -> List.of(job(e.getJobId()), request(e.getCorrelationId())),
                    ReadModelProjector::onJobFailed),
            projection(VmContext.class, e -> List.of("context " + e.getContextId(), "vm " + e.getVmwareVmId()),
                    ReadModelProjector::onVmContext));

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
        projectAll(List.of(event));
    }

    /**
     * Projects the events in their order in one transaction: all of them, or — when one fails — none
     * (the exception is that of the first statement that failed, which, in a run, need not be of the
     * run's first event that would fail alone).
     */
    public void projectAll(List<? extends SpecificRecord> events) {
        List<Run<?>> runs = runs(events);
        dsl.transaction(configuration -> configuration.dsl().connection(connection -> {
            for (Run<?> run : runs) {
                run.write(connection);
            }
        }));
    }

    /**
     * The events cut into runs of consecutive events of one type that share no row key; fails on an
     * event the read model is not built from before anything is written.
     */
    private static List<Run<?>> runs(List<? extends SpecificRecord> events) {
        List<Run<?>> runs = new ArrayList<>();
        Run<?> run = null;
        Set<String> keys = new HashSet<>();
        for (SpecificRecord event : events) {
            Projection<?> projection = PROJECTIONS.get(event.getClass());
            if (projection == null) {
                throw new IllegalArgumentException("the read model is not built from " + event.getSchema().getName());
            }
            List<String> eventKeys = projection.keys(event);
            if (run == null || run.projection() != projection || !Collections.disjoint(keys, eventKeys)) {
                run = new Run<>(projection, new ArrayList<>());
                runs.add(run);
                keys.clear();
            }
            run.events().add(event);
            keys.addAll(eventKeys);
        }
        return runs;
    }

    private static String job(String jobId) {
        return "job " + jobId;
    }

    private static String request(String requestId) {
        return "request " + requestId;
    }

    /**
     * How one event type is written: the keys of the rows an event of it touches (events that share
     * none commute) and the writing of a run of such events.
     */
    private record Projection<E extends SpecificRecord>(Class<E> type, Function<E, List<String>> rowKeys,
            BiConsumer<Connection, List<E>> write) {

        List<String> keys(SpecificRecord event) {
            return rowKeys.apply(type.cast(event));
        }
    }

    /** Consecutive events of one type that share no row key. */
    private record Run<E extends SpecificRecord>(Projection<E> projection, List<SpecificRecord> events) {

        void write(Connection connection) {
            List<E> typed = new ArrayList<>(events.size());
            for (SpecificRecord event : events) {
                typed.add(projection.type().cast(event));
            }
            projection.write().accept(connection, typed);
        }
    }

    private static <E extends SpecificRecord> Map.Entry<Class<?>, Projection<?>> projection(Class<E> type,
            Function<E, List<String>> rowKeys, BiConsumer<Connection, List<E>> write) {
        return Map.entry(type, new Projection<>(type, rowKeys, write));
    }

    private static void onReplicationRequested(Connection connection, List<ReplicationRequested> events) {
        var r = REPLICATION_REQUESTS;
        StatementShape.Rows requests = REQUEST.rows();
        for (ReplicationRequested event : events) {
            requests.add()
                    .set(r.REQUEST_ID, event.getCorrelationId())
                    .set(r.VMWARE_VM_ID, event.getVmwareVmId())
                    .set(r.VM_NAME, event.getRequest().getSourceVm().getName())
                    .set(r.REQUESTED_BY, event.getRequest().getRequestedBy())
                    .set(r.START_REPLICATION, event.getRequest().getStartReplication())
                    .set(r.FAILOVER_ID, event.getRequest().getFailoverId())
                    .set(r.CREATED_AT, time(event.getOccurredAt()));
        }
        requests.execute(connection);
    }

    private static void onDiscoveryFailed(Connection connection, List<DiscoveryFailed> events) {
        StatementShape.Rows outcomes = OUTCOME.rows();
        for (DiscoveryFailed event : events) {
            outcome(outcomes, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), event.getVmName(), UNKNOWN,
                    true, event.getFailoverId(), OUTCOME_DISCOVERY_FAILED, null, null, event.getReason().name(),
                    abbreviate(event.getMessage()), event.getOccurredAt(), true));
        }
        outcomes.execute(connection);
    }

    private static void onContextCreated(Connection connection, List<ContextCreated> events) {
        StatementShape.Rows outcomes = OUTCOME.rows();
        for (ContextCreated event : events) {
            boolean contextOnly = !event.getStartReplication();
            outcome(outcomes, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), event.getVmName(),
                    event.getRequestedBy(), event.getStartReplication(), null,
                    contextOnly ? OUTCOME_CONTEXT_CREATED : OUTCOME_PENDING, null, event.getContextId(), null, null,
                    event.getOccurredAt(), contextOnly));
        }
        outcomes.execute(connection);
    }

    private static void onReplicationRejected(Connection connection, List<ReplicationRejected> events) {
        StatementShape.Rows outcomes = OUTCOME.rows();
        for (ReplicationRejected event : events) {
            boolean startReplication = event.getReason() != RejectionReason.VM_ALREADY_MANAGED;
            outcome(outcomes, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), event.getVmName(), UNKNOWN,
                    startReplication, event.getFailoverId(), OUTCOME_REJECTED, null, event.getContextId(),
                    event.getReason().name(), abbreviate(event.getMessage()), event.getOccurredAt(), true));
        }
        outcomes.execute(connection);
    }

    private static void onJobCreated(Connection connection, List<JobCreated> events) {
        var j = REPLICATION_JOBS;
        var d = VM_DISKS;
        StatementShape.Rows jobs = JOB_CREATED.rows();
        StatementShape.Rows disks = DISK_SPEC.rows();
        StatementShape.Rows terminations = TERMINATE_DISKS.rows();
        StatementShape.Rows outcomes = OUTCOME.rows();
        for (JobCreated event : events) {
            OffsetDateTime at = time(event.getOccurredAt());
            jobs.add()
                    .set(j.ID, event.getJobId())
                    .set(j.CONTEXT_ID, event.getContextId())
                    .set(j.VMWARE_VM_ID, event.getVmwareVmId())
                    .set(j.REQUEST_ID, event.getCorrelationId())
                    .set(j.SOURCE_VM_NAME, event.getVm().getName())
                    .set(j.SOURCE_VM_PATH, event.getVm().getPath())
                    .set(j.VCENTER_HOST, event.getVm().getVcenterHost())
                    .set(j.DATACENTER, event.getVm().getDatacenter())
                    .set(j.REPLICATION_TYPE, event.getReplicationType().name())
                    .set(j.OSSEA_CONFIG_ID, event.getOsseaConfigId())
                    .set(j.TARGET_NETWORK, event.getTargetNetwork())
                    .set(j.SCHEDULE_EXECUTION_ID, event.getScheduleExecutionId())
                    .set(j.VM_GROUP_ID, event.getVmGroupId())
                    .set(j.SCHEDULED_BY, event.getScheduledBy())
                    .set(j.REQUESTED_BY, event.getRequestedBy())
                    .set(j.FAILOVER_ID, event.getFailoverId())
                    .set(j.CREATED_AT, at)
                    .set(j.UPDATED_AT, at);

            Map<String, String> previousChangeIds = new HashMap<>();
            for (DiskChangeId changeId : event.getPreviousChangeIds()) {
                previousChangeIds.put(changeId.getDiskId(), changeId.getChangeId());
            }
            List<DiskSpec> specs = event.getVm().getDisks();
            for (int i = 0; i < specs.size(); i++) {
                DiskSpec disk = specs.get(i);
                String diskId = disk.getId() != null ? disk.getId() : "disk-" + (i + 1);
                disks.add()
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
                        .set(d.PREVIOUS_CHANGE_ID, previousChangeIds.get(diskId))
                        .set(d.CREATED_AT, at)
                        .set(d.UPDATED_AT, at);
            }
            terminations.add().set(d.JOB_ID, event.getJobId());
            outcome(outcomes, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), event.getVm().getName(),
                    event.getRequestedBy(), true, event.getFailoverId(), OUTCOME_JOB_CREATED, event.getJobId(),
                    event.getContextId(), null, null, event.getOccurredAt(), true));
        }
        jobs.execute(connection);
        disks.execute(connection);
        terminations.execute(connection);
        outcomes.execute(connection);
    }

    private static void onJobStarted(Connection connection, List<JobStarted> events) {
        var d = VM_DISKS;
        StatementShape.Rows jobs = JOB_STARTED.rows();
        StatementShape.Rows disks = DISK_VOLUME.rows();
        StatementShape.Rows terminations = TERMINATE_DISKS.rows();
        StatementShape.Rows outcomes = OUTCOME.rows();
        for (JobStarted event : events) {
            OffsetDateTime at = time(event.getOccurredAt());
            placeholderJob(jobs.add(), event.getJobId(), event.getContextId(), event.getVmwareVmId(),
                    event.getCorrelationId(), event.getVmPath(), event.getReplicationType().name(),
                    event.getFailoverId(), at)
                    .set(REPLICATION_JOBS.STARTED_AT, at);
            for (VolumeAttachment volume : event.getVolumes()) {
                disks.add()
                        .set(d.JOB_ID, event.getJobId())
                        .set(d.DISK_ID, volume.getDiskId())
                        .set(d.CONTEXT_ID, event.getContextId())
                        .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                        .set(d.VOLUME_ID, volume.getVolumeId())
                        .set(d.NBD_EXPORT_NAME, volume.getNbdExportName())
                        .set(d.DEVICE_PATH, volume.getDevicePath())
                        .set(d.CREATED_AT, at)
                        .set(d.UPDATED_AT, at);
            }
            terminations.add().set(d.JOB_ID, event.getJobId());
            outcome(outcomes, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), NOT_YET_KNOWN, UNKNOWN,
                    true, event.getFailoverId(), OUTCOME_JOB_STARTED, event.getJobId(), event.getContextId(), null,
                    null, event.getOccurredAt(), false));
        }
        jobs.execute(connection);
        disks.execute(connection);
        terminations.execute(connection);
        outcomes.execute(connection);
    }

    /**
     * Progress is the newest report from before the job ended, whatever the arrival order: a report
     * older than the one shown, or from after the job's end, changes nothing. What the job's end owns
     * (a completed job's 100 % and bytes, a terminal job's operation and no ETA) stays as the end set it.
     */
    private static void onJobProgress(Connection connection, List<JobProgress> events) {
        var j = REPLICATION_JOBS;
        var d = VM_DISKS;
        StatementShape.Rows jobs = JOB_PROGRESS.rows();
        for (JobProgress event : events) {
            placeholderJob(jobs.add(), event.getJobId(), event.getContextId(), event.getVmwareVmId(),
                    event.getCorrelationId(), NOT_YET_KNOWN, INITIAL, null, time(event.getOccurredAt()))
                    .set(j.PROGRESS_PERCENT, event.getPercent())
                    .set(j.CURRENT_OPERATION, event.getCurrentOperation())
                    .set(j.VMA_SYNC_TYPE, event.getSyncType())
                    .set(j.BYTES_TRANSFERRED, event.getBytesTransferred())
                    .set(j.TOTAL_BYTES, event.getTotalBytes())
                    .set(j.THROUGHPUT_MBPS, event.getThroughputMbps())
                    .set(j.ETA_SECONDS, event.getEtaSeconds())
                    .set(j.LAST_POLL_AT, time(event.getOccurredAt()));
        }
        int[] applied = jobs.execute(connection);

        // The disks only of the reports the job took.
        StatementShape.Rows disks = DISK_PROGRESS.rows();
        StatementShape.Rows terminations = TERMINATE_DISKS.rows();
        for (int i = 0; i < events.size(); i++) {
            if (applied[i] == 0) {
                continue;
            }
            JobProgress event = events.get(i);
            OffsetDateTime at = time(event.getOccurredAt());
            for (DiskProgress disk : event.getDisks()) {
                disks.add()
                        .set(d.JOB_ID, event.getJobId())
                        .set(d.DISK_ID, disk.getDiskId())
                        .set(d.CONTEXT_ID, event.getContextId())
                        .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                        .set(d.BYTES_TRANSFERRED, disk.getBytesTransferred())
                        .set(d.TOTAL_BYTES, disk.getTotalBytes())
                        .set(d.PROGRESS_PERCENT, disk.getPercent())
                        .set(d.CREATED_AT, at)
                        .set(d.UPDATED_AT, at);
            }
            terminations.add().set(d.JOB_ID, event.getJobId());
        }
        disks.execute(connection);
        terminations.execute(connection);
    }

    private static void onChangeIdRecorded(Connection connection, List<ChangeIdRecorded> events) {
        var c = DISK_CHANGE_IDS;
        var d = VM_DISKS;
        StatementShape.Rows changeIds = CHANGE_ID.rows();
        StatementShape.Rows disks = DISK_CHANGE_ID.rows();
        StatementShape.Rows terminations = TERMINATE_DISKS.rows();
        for (ChangeIdRecorded event : events) {
            OffsetDateTime at = time(event.getOccurredAt());
            changeIds.add()
                    .set(c.EVENT_ID, event.getEventId())
                    .set(c.JOB_ID, event.getJobId())
                    .set(c.CONTEXT_ID, event.getContextId())
                    .set(c.VMWARE_VM_ID, event.getVmwareVmId())
                    .set(c.DISK_ID, event.getDiskId())
                    .set(c.CHANGE_ID, event.getChangeId())
                    .set(c.PREVIOUS_CHANGE_ID, event.getPreviousChangeId())
                    .set(c.RECORDED_AT, at);
            disks.add()
                    .set(d.JOB_ID, event.getJobId())
                    .set(d.DISK_ID, event.getDiskId())
                    .set(d.CONTEXT_ID, event.getContextId())
                    .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                    .set(d.CHANGE_ID, event.getChangeId())
                    .set(d.CREATED_AT, at)
                    .set(d.UPDATED_AT, at);
            terminations.add().set(d.JOB_ID, event.getJobId());
        }
        changeIds.execute(connection);
        disks.execute(connection);
        terminations.execute(connection);
    }

    private static void onJobCompleted(Connection connection, List<JobCompleted> events) {
        var j = REPLICATION_JOBS;
        var d = VM_DISKS;
        StatementShape.Rows jobs = JOB_COMPLETED.rows();
        StatementShape.Rows disks = DISK_FINAL_CHANGE_ID.rows();
        StatementShape.Rows terminations = TERMINATE_DISKS.rows();
        for (JobCompleted event : events) {
            OffsetDateTime at = time(event.getOccurredAt());
            placeholderJob(jobs.add(), event.getJobId(), event.getContextId(), event.getVmwareVmId(),
                    event.getCorrelationId(), NOT_YET_KNOWN, event.getReplicationType().name(),
                    event.getFailoverId(), at)
                    .set(j.BYTES_TRANSFERRED, event.getBytesTransferred())
                    .set(j.COMPLETED_AT, at);
            for (DiskChangeId changeId : event.getChangeIds()) {
                disks.add()
                        .set(d.JOB_ID, event.getJobId())
                        .set(d.DISK_ID, changeId.getDiskId())
                        .set(d.CONTEXT_ID, event.getContextId())
                        .set(d.VMWARE_VM_ID, event.getVmwareVmId())
                        .set(d.CHANGE_ID, changeId.getChangeId())
                        .set(d.CREATED_AT, at)
                        .set(d.UPDATED_AT, at);
            }
            terminations.add().set(d.JOB_ID, event.getJobId());
        }
        jobs.execute(connection);
        disks.execute(connection);
        terminations.execute(connection);
    }

    private static void onJobFailed(Connection connection, List<JobFailed> events) {
        var j = REPLICATION_JOBS;
        StatementShape.Rows jobs = JOB_FAILED.rows();
        StatementShape.Rows terminations = TERMINATE_DISKS.rows();
        StatementShape.Rows outcomes = OUTCOME.rows();
        for (JobFailed event : events) {
            OffsetDateTime at = time(event.getOccurredAt());
            placeholderJob(jobs.add(), event.getJobId(), event.getContextId(), event.getVmwareVmId(),
                    event.getCorrelationId(), NOT_YET_KNOWN, INITIAL, event.getFailoverId(), at)
                    .set(j.FAILURE_REASON, event.getReason().name())
                    .set(j.ERROR_MESSAGE, abbreviate(event.getMessage()))
                    .set(j.CURRENT_OPERATION, event.getStep())
                    .set(j.COMPLETED_AT, at);
            terminations.add().set(VM_DISKS.JOB_ID, event.getJobId());
            outcome(outcomes, new Outcome(event.getCorrelationId(), event.getVmwareVmId(), NOT_YET_KNOWN, UNKNOWN,
                    true, event.getFailoverId(), OUTCOME_JOB_FAILED, event.getJobId(), event.getContextId(),
                    event.getReason().name(), abbreviate(event.getMessage()), event.getOccurredAt(), false));
        }
        jobs.execute(connection);
        terminations.execute(connection);
        outcomes.execute(connection);
    }

    private static void onVmContext(Connection connection, List<VmContext> events) {
        var c = VM_REPLICATION_CONTEXTS;
        StatementShape.Rows contexts = VM_CONTEXT.rows();
        for (VmContext event : events) {
            contexts.add()
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
                    .set(c.STATE_VERSION, event.getVersion());
        }
        contexts.execute(connection);
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

    /** Adds the values of an outcome of a request to {@link #OUTCOME}'s rows. */
    private static void outcome(StatementShape.Rows outcomes, Outcome o) {
        var r = REPLICATION_REQUESTS;
        OffsetDateTime at = time(o.occurredAt());
        outcomes.add()
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
                .set(r.DECIDED_AT, o.decided() ? at : null);
    }

    /** Adds the values of a job row created by an event that is not {@code JobCreated} (it fills them later). */
    private static StatementShape.Rows placeholderJob(StatementShape.Rows jobs, String jobId, String contextId,
            String vmwareVmId, String requestId, String vmPath, String replicationType, String failoverId,
            OffsetDateTime at) {
        var j = REPLICATION_JOBS;
        return jobs
                .set(j.ID, jobId)
                .set(j.CONTEXT_ID, contextId)
                .set(j.VMWARE_VM_ID, vmwareVmId)
                .set(j.REQUEST_ID, requestId)
                .set(j.SOURCE_VM_PATH, vmPath)
                .set(j.REPLICATION_TYPE, replicationType)
                .set(j.FAILOVER_ID, failoverId)
                .set(j.CREATED_AT, at)
                .set(j.UPDATED_AT, at);
    }

    private static StatementShape requestShape() {
        var r = REPLICATION_REQUESTS;
        return StatementShape.of("the request upsert", insertInto(r)
                .set(r.REQUEST_ID, value(r.REQUEST_ID))
                .set(r.VMWARE_VM_ID, value(r.VMWARE_VM_ID))
                .set(r.VM_NAME, value(r.VM_NAME))
                .set(r.REQUESTED_BY, value(r.REQUESTED_BY))
                .set(r.START_REPLICATION, value(r.START_REPLICATION))
                .set(r.FAILOVER_ID, value(r.FAILOVER_ID))
                .set(r.OUTCOME, inline(OUTCOME_PENDING))
                .set(r.CREATED_AT, value(r.CREATED_AT))
                .onConflict(r.REQUEST_ID)
                .doUpdate()
                .set(r.VMWARE_VM_ID, excluded(r.VMWARE_VM_ID))
                .set(r.VM_NAME, excluded(r.VM_NAME))
                .set(r.REQUESTED_BY, excluded(r.REQUESTED_BY))
                .set(r.START_REPLICATION, excluded(r.START_REPLICATION))
                .set(r.FAILOVER_ID, excluded(r.FAILOVER_ID))
                .set(r.CREATED_AT, excluded(r.CREATED_AT)));
    }

    /**
     * Records an outcome of a request: the outcome only moves to a higher rank, ids are filled once,
     * reason and message come with the highest-ranked outcome that has them. Creates the row with
     * placeholder request columns when the request event has not been projected yet, and fills
     * placeholders it finds; the request event overwrites them whenever it comes.
     */
    private static StatementShape outcomeShape() {
        var r = REPLICATION_REQUESTS;
        Condition higher = outcomeRank(excluded(r.OUTCOME)).gt(outcomeRank(r.OUTCOME));
        return StatementShape.of("the request outcome upsert", insertInto(r)
                .set(r.REQUEST_ID, value(r.REQUEST_ID))
                .set(r.VMWARE_VM_ID, value(r.VMWARE_VM_ID))
                .set(r.VM_NAME, value(r.VM_NAME))
                .set(r.REQUESTED_BY, value(r.REQUESTED_BY))
                .set(r.START_REPLICATION, value(r.START_REPLICATION))
                .set(r.FAILOVER_ID, value(r.FAILOVER_ID))
                .set(r.OUTCOME, value(r.OUTCOME))
                .set(r.JOB_ID, value(r.JOB_ID))
                .set(r.CONTEXT_ID, value(r.CONTEXT_ID))
                .set(r.REASON, value(r.REASON))
                .set(r.MESSAGE, value(r.MESSAGE))
                .set(r.CREATED_AT, value(r.CREATED_AT))
                .set(r.DECIDED_AT, value(r.DECIDED_AT))
                .onConflict(r.REQUEST_ID)
                .doUpdate()
                .set(r.VM_NAME, when(r.VM_NAME.eq(inline(NOT_YET_KNOWN)), excluded(r.VM_NAME)).otherwise(r.VM_NAME))
                .set(r.REQUESTED_BY, when(r.REQUESTED_BY.eq(inline(UNKNOWN)), excluded(r.REQUESTED_BY))
                        .otherwise(r.REQUESTED_BY))
                .set(r.FAILOVER_ID, coalesce(r.FAILOVER_ID, excluded(r.FAILOVER_ID)))
                .set(r.CREATED_AT, least(r.CREATED_AT, excluded(r.CREATED_AT)))
                .set(r.OUTCOME, when(higher, excluded(r.OUTCOME)).otherwise(r.OUTCOME))
                .set(r.JOB_ID, coalesce(r.JOB_ID, excluded(r.JOB_ID)))
                .set(r.CONTEXT_ID, coalesce(r.CONTEXT_ID, excluded(r.CONTEXT_ID)))
                .set(r.REASON, when(higher.and(excluded(r.REASON).isNotNull()), excluded(r.REASON)).otherwise(r.REASON))
                .set(r.MESSAGE, when(higher.and(excluded(r.MESSAGE).isNotNull()), excluded(r.MESSAGE))
                        .otherwise(r.MESSAGE))
                .set(r.DECIDED_AT, coalesce(r.DECIDED_AT, excluded(r.DECIDED_AT))));
    }

    private static StatementShape jobCreatedShape() {
        var j = REPLICATION_JOBS;
        return StatementShape.of("the job creation upsert", insertInto(j)
                .set(j.ID, value(j.ID))
                .set(j.CONTEXT_ID, value(j.CONTEXT_ID))
                .set(j.VMWARE_VM_ID, value(j.VMWARE_VM_ID))
                .set(j.REQUEST_ID, value(j.REQUEST_ID))
                .set(j.SOURCE_VM_NAME, value(j.SOURCE_VM_NAME))
                .set(j.SOURCE_VM_PATH, value(j.SOURCE_VM_PATH))
                .set(j.VCENTER_HOST, value(j.VCENTER_HOST))
                .set(j.DATACENTER, value(j.DATACENTER))
                .set(j.REPLICATION_TYPE, value(j.REPLICATION_TYPE))
                .set(j.STATUS, inline(PENDING))
                .set(j.OSSEA_CONFIG_ID, value(j.OSSEA_CONFIG_ID))
                .set(j.TARGET_NETWORK, value(j.TARGET_NETWORK))
                .set(j.SCHEDULE_EXECUTION_ID, value(j.SCHEDULE_EXECUTION_ID))
                .set(j.VM_GROUP_ID, value(j.VM_GROUP_ID))
                .set(j.SCHEDULED_BY, value(j.SCHEDULED_BY))
                .set(j.REQUESTED_BY, value(j.REQUESTED_BY))
                .set(j.FAILOVER_ID, value(j.FAILOVER_ID))
                .set(j.CREATED_AT, value(j.CREATED_AT))
                .set(j.UPDATED_AT, value(j.UPDATED_AT))
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
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT))));
    }

    private static StatementShape diskSpecShape() {
        var d = VM_DISKS;
        return StatementShape.of("the disk specification upsert", insertInto(d)
                .set(d.JOB_ID, value(d.JOB_ID))
                .set(d.DISK_ID, value(d.DISK_ID))
                .set(d.CONTEXT_ID, value(d.CONTEXT_ID))
                .set(d.VMWARE_VM_ID, value(d.VMWARE_VM_ID))
                .set(d.LABEL, value(d.LABEL))
                .set(d.VMDK_PATH, value(d.VMDK_PATH))
                .set(d.SIZE_GB, value(d.SIZE_GB))
                .set(d.CAPACITY_BYTES, value(d.CAPACITY_BYTES))
                .set(d.DATASTORE, value(d.DATASTORE))
                .set(d.PROVISIONING_TYPE, value(d.PROVISIONING_TYPE))
                .set(d.UNIT_NUMBER, value(d.UNIT_NUMBER))
                .set(d.STATUS, liveDiskStatus())
                .set(d.PREVIOUS_CHANGE_ID, value(d.PREVIOUS_CHANGE_ID))
                .set(d.CREATED_AT, value(d.CREATED_AT))
                .set(d.UPDATED_AT, value(d.UPDATED_AT))
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
                .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT))));
    }

    private static StatementShape jobStartedShape() {
        var j = REPLICATION_JOBS;
        return StatementShape.of("the job start upsert", insertInto(j)
                .set(placeholderJob())
                .set(j.STATUS, inline(REPLICATING))
                .set(j.STARTED_AT, value(j.STARTED_AT))
                .onConflict(j.ID)
                .doUpdate()
                .set(j.STATUS, when(jobRank(j.STATUS).lt(inline(1)), inline(REPLICATING)).otherwise(j.STATUS))
                .set(j.STARTED_AT, coalesce(j.STARTED_AT, excluded(j.STARTED_AT)))
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT))));
    }

    private static StatementShape diskVolumeShape() {
        var d = VM_DISKS;
        return StatementShape.of("the disk volume upsert", insertInto(d)
                .set(d.JOB_ID, value(d.JOB_ID))
                .set(d.DISK_ID, value(d.DISK_ID))
                .set(d.CONTEXT_ID, value(d.CONTEXT_ID))
                .set(d.VMWARE_VM_ID, value(d.VMWARE_VM_ID))
                .set(d.VOLUME_ID, value(d.VOLUME_ID))
                .set(d.NBD_EXPORT_NAME, value(d.NBD_EXPORT_NAME))
                .set(d.DEVICE_PATH, value(d.DEVICE_PATH))
                .set(d.STATUS, liveDiskStatus())
                .set(d.CREATED_AT, value(d.CREATED_AT))
                .set(d.UPDATED_AT, value(d.UPDATED_AT))
                .onConflict(d.JOB_ID, d.DISK_ID)
                .doUpdate()
                .set(d.VOLUME_ID, excluded(d.VOLUME_ID))
                .set(d.NBD_EXPORT_NAME, excluded(d.NBD_EXPORT_NAME))
                .set(d.DEVICE_PATH, excluded(d.DEVICE_PATH))
                .set(d.STATUS, when(jobRank(d.STATUS).lt(inline(1)), inline(REPLICATING)).otherwise(d.STATUS))
                .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT))));
    }

    private static StatementShape jobProgressShape() {
        var j = REPLICATION_JOBS;
        Condition completed = j.STATUS.eq(inline(COMPLETED));
        Condition terminal = j.STATUS.in(inline(COMPLETED), inline(FAILED));
        return StatementShape.of("the job progress upsert", insertInto(j)
                .set(placeholderJob())
                .set(j.STATUS, inline(REPLICATING))
                .set(j.PROGRESS_PERCENT, value(j.PROGRESS_PERCENT))
                .set(j.CURRENT_OPERATION, value(j.CURRENT_OPERATION))
                .set(j.VMA_SYNC_TYPE, value(j.VMA_SYNC_TYPE))
                .set(j.BYTES_TRANSFERRED, value(j.BYTES_TRANSFERRED))
                .set(j.TOTAL_BYTES, value(j.TOTAL_BYTES))
                .set(j.THROUGHPUT_MBPS, value(j.THROUGHPUT_MBPS))
                .set(j.ETA_SECONDS, value(j.ETA_SECONDS))
                .set(j.LAST_POLL_AT, value(j.LAST_POLL_AT))
                .onConflict(j.ID)
                .doUpdate()
                .set(j.STATUS, when(jobRank(j.STATUS).lt(inline(1)), inline(REPLICATING)).otherwise(j.STATUS))
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
                .and(j.COMPLETED_AT.isNull().or(j.COMPLETED_AT.ge(excluded(j.LAST_POLL_AT)))));
    }

    private static StatementShape diskProgressShape() {
        var d = VM_DISKS;
        return StatementShape.of("the disk progress upsert", insertInto(d)
                .set(d.JOB_ID, value(d.JOB_ID))
                .set(d.DISK_ID, value(d.DISK_ID))
                .set(d.CONTEXT_ID, value(d.CONTEXT_ID))
                .set(d.VMWARE_VM_ID, value(d.VMWARE_VM_ID))
                .set(d.STATUS, liveDiskStatus())
                .set(d.BYTES_TRANSFERRED, value(d.BYTES_TRANSFERRED))
                .set(d.TOTAL_BYTES, value(d.TOTAL_BYTES))
                .set(d.PROGRESS_PERCENT, value(d.PROGRESS_PERCENT))
                .set(d.CREATED_AT, value(d.CREATED_AT))
                .set(d.UPDATED_AT, value(d.UPDATED_AT))
                .onConflict(d.JOB_ID, d.DISK_ID)
                .doUpdate()
                .set(d.BYTES_TRANSFERRED, excluded(d.BYTES_TRANSFERRED))
                .set(d.TOTAL_BYTES, excluded(d.TOTAL_BYTES))
                .set(d.PROGRESS_PERCENT, when(d.STATUS.eq(inline(COMPLETED)), d.PROGRESS_PERCENT)
                        .otherwise(excluded(d.PROGRESS_PERCENT)))
                .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT))));
    }

    private static StatementShape changeIdShape() {
        var c = DISK_CHANGE_IDS;
        return StatementShape.of("the change-id insert", insertInto(c)
                .set(c.EVENT_ID, value(c.EVENT_ID))
                .set(c.JOB_ID, value(c.JOB_ID))
                .set(c.CONTEXT_ID, value(c.CONTEXT_ID))
                .set(c.VMWARE_VM_ID, value(c.VMWARE_VM_ID))
                .set(c.DISK_ID, value(c.DISK_ID))
                .set(c.CHANGE_ID, value(c.CHANGE_ID))
                .set(c.PREVIOUS_CHANGE_ID, value(c.PREVIOUS_CHANGE_ID))
                .set(c.RECORDED_AT, value(c.RECORDED_AT))
                .onConflictDoNothing());
    }

    private static StatementShape diskChangeIdShape() {
        var d = VM_DISKS;
        return StatementShape.of("the disk change-id upsert", insertInto(d)
                .set(d.JOB_ID, value(d.JOB_ID))
                .set(d.DISK_ID, value(d.DISK_ID))
                .set(d.CONTEXT_ID, value(d.CONTEXT_ID))
                .set(d.VMWARE_VM_ID, value(d.VMWARE_VM_ID))
                .set(d.STATUS, inline(REPLICATING))
                .set(d.CHANGE_ID, value(d.CHANGE_ID))
                .set(d.CREATED_AT, value(d.CREATED_AT))
                .set(d.UPDATED_AT, value(d.UPDATED_AT))
                .onConflict(d.JOB_ID, d.DISK_ID)
                .doUpdate()
                .set(d.CHANGE_ID, when(d.STATUS.in(inline(COMPLETED), inline(FAILED)),
                        coalesce(d.CHANGE_ID, excluded(d.CHANGE_ID))).otherwise(excluded(d.CHANGE_ID)))
                .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT))));
    }

    private static StatementShape jobCompletedShape() {
        var j = REPLICATION_JOBS;
        return StatementShape.of("the job completion upsert", insertInto(j)
                .set(placeholderJob())
                .set(j.STATUS, inline(COMPLETED))
                .set(j.PROGRESS_PERCENT, inline(100.0))
                .set(j.BYTES_TRANSFERRED, value(j.BYTES_TRANSFERRED))
                .set(j.CURRENT_OPERATION, inline(COMPLETED))
                .set(j.COMPLETED_AT, value(j.COMPLETED_AT))
                .onConflict(j.ID)
                .doUpdate()
                .set(j.STATUS, inline(COMPLETED))
                .set(j.PROGRESS_PERCENT, inline(100.0))
                .set(j.BYTES_TRANSFERRED, excluded(j.BYTES_TRANSFERRED))
                .set(j.CURRENT_OPERATION, excluded(j.CURRENT_OPERATION))
                .set(j.ETA_SECONDS, inline(null, j.ETA_SECONDS))
                .set(j.COMPLETED_AT, excluded(j.COMPLETED_AT))
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT)))
                .where(j.STATUS.notIn(inline(COMPLETED), inline(FAILED))));
    }

    /** A completed job's final change ids, onto its disks that are not terminal yet, only if the job is completed. */
    private static StatementShape diskFinalChangeIdShape() {
        var d = VM_DISKS;
        var j = REPLICATION_JOBS;
        return StatementShape.of("the disk final change-id upsert",
                insertInto(d, d.JOB_ID, d.DISK_ID, d.CONTEXT_ID, d.VMWARE_VM_ID, d.STATUS, d.CHANGE_ID, d.CREATED_AT,
                        d.UPDATED_AT)
                        .select(select(value(d.JOB_ID), value(d.DISK_ID), value(d.CONTEXT_ID), value(d.VMWARE_VM_ID),
                                inline(REPLICATING), value(d.CHANGE_ID), value(d.CREATED_AT), value(d.UPDATED_AT))
                                .whereExists(selectOne().from(j)
                                        .where(j.ID.eq(value(d.JOB_ID)), j.STATUS.eq(inline(COMPLETED)))))
                        .onConflict(d.JOB_ID, d.DISK_ID)
                        .doUpdate()
                        .set(d.CHANGE_ID, excluded(d.CHANGE_ID))
                        .set(d.UPDATED_AT, greatest(d.UPDATED_AT, excluded(d.UPDATED_AT)))
                        .where(d.STATUS.notIn(inline(COMPLETED), inline(FAILED))));
    }

    private static StatementShape jobFailedShape() {
        var j = REPLICATION_JOBS;
        return StatementShape.of("the job failure upsert", insertInto(j)
                .set(placeholderJob())
                .set(j.STATUS, inline(FAILED))
                .set(j.FAILURE_REASON, value(j.FAILURE_REASON))
                .set(j.ERROR_MESSAGE, value(j.ERROR_MESSAGE))
                .set(j.CURRENT_OPERATION, value(j.CURRENT_OPERATION))
                .set(j.COMPLETED_AT, value(j.COMPLETED_AT))
                .onConflict(j.ID)
                .doUpdate()
                .set(j.STATUS, inline(FAILED))
                .set(j.FAILURE_REASON, excluded(j.FAILURE_REASON))
                .set(j.ERROR_MESSAGE, excluded(j.ERROR_MESSAGE))
                .set(j.CURRENT_OPERATION, excluded(j.CURRENT_OPERATION))
                .set(j.ETA_SECONDS, inline(null, j.ETA_SECONDS))
                .set(j.COMPLETED_AT, excluded(j.COMPLETED_AT))
                .set(j.UPDATED_AT, greatest(j.UPDATED_AT, excluded(j.UPDATED_AT)))
                .where(j.STATUS.notIn(inline(COMPLETED), inline(FAILED))));
    }

    /**
     * Once the job is completed or failed, gives each of its disks that is not yet terminal the same
     * status (and a completed disk 100 %), stamped with the job's end; a job that is not terminal
     * changes nothing.
     */
    private static StatementShape terminateDisksShape() {
        var d = VM_DISKS;
        var j = REPLICATION_JOBS;
        return StatementShape.of("the disk termination", update(d)
                .set(d.STATUS, j.STATUS)
                .set(d.PROGRESS_PERCENT, when(j.STATUS.eq(inline(COMPLETED)), inline(100.0))
                        .otherwise(d.PROGRESS_PERCENT))
                .set(d.UPDATED_AT, greatest(d.UPDATED_AT, j.COMPLETED_AT))
                .from(j)
                .where(j.ID.eq(value(d.JOB_ID)), j.STATUS.in(inline(COMPLETED), inline(FAILED)),
                        d.JOB_ID.eq(j.ID), d.STATUS.notIn(inline(COMPLETED), inline(FAILED))));
    }

    private static StatementShape vmContextShape() {
        var c = VM_REPLICATION_CONTEXTS;
        return StatementShape.of("the context upsert", insertInto(c)
                .set(c.CONTEXT_ID, value(c.CONTEXT_ID))
                .set(c.VMWARE_VM_ID, value(c.VMWARE_VM_ID))
                .set(c.VM_NAME, value(c.VM_NAME))
                .set(c.VM_PATH, value(c.VM_PATH))
                .set(c.VCENTER_HOST, value(c.VCENTER_HOST))
                .set(c.DATACENTER, value(c.DATACENTER))
                .set(c.CURRENT_STATUS, value(c.CURRENT_STATUS))
                .set(c.CURRENT_JOB_ID, value(c.CURRENT_JOB_ID))
                .set(c.LAST_SUCCESSFUL_JOB_ID, value(c.LAST_SUCCESSFUL_JOB_ID))
                .set(c.TOTAL_JOBS_RUN, value(c.TOTAL_JOBS_RUN))
                .set(c.SUCCESSFUL_JOBS, value(c.SUCCESSFUL_JOBS))
                .set(c.FAILED_JOBS, value(c.FAILED_JOBS))
                .set(c.CPU_COUNT, value(c.CPU_COUNT))
                .set(c.MEMORY_MB, value(c.MEMORY_MB))
                .set(c.OS_TYPE, value(c.OS_TYPE))
                .set(c.POWER_STATE, value(c.POWER_STATE))
                .set(c.VMX_VERSION, value(c.VMX_VERSION))
                .set(c.ACTIVE_FAILOVER_ID, value(c.ACTIVE_FAILOVER_ID))
                .set(c.CREATED_AT, value(c.CREATED_AT))
                .set(c.UPDATED_AT, value(c.UPDATED_AT))
                .set(c.STATE_VERSION, value(c.STATE_VERSION))
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
                .where(c.STATE_VERSION.lt(excluded(c.STATE_VERSION))));
    }

    /** The columns of a job row created by an event that is not {@code JobCreated}; it fills them later. */
    private static Map<Field<?>, Field<?>> placeholderJob() {
        var j = REPLICATION_JOBS;
        Map<Field<?>, Field<?>> values = new LinkedHashMap<>();
        values.put(j.ID, value(j.ID));
        values.put(j.CONTEXT_ID, value(j.CONTEXT_ID));
        values.put(j.VMWARE_VM_ID, value(j.VMWARE_VM_ID));
        values.put(j.REQUEST_ID, value(j.REQUEST_ID));
        values.put(j.SOURCE_VM_NAME, inline(NOT_YET_KNOWN));
        values.put(j.SOURCE_VM_PATH, value(j.SOURCE_VM_PATH));
        values.put(j.REPLICATION_TYPE, value(j.REPLICATION_TYPE));
        values.put(j.REQUESTED_BY, inline(UNKNOWN));
        values.put(j.FAILOVER_ID, value(j.FAILOVER_ID));
        values.put(j.CREATED_AT, value(j.CREATED_AT));
        values.put(j.UPDATED_AT, value(j.UPDATED_AT));
        return values;
    }

    /**
     * The status a new disk row of the job starts with, from the job's row as stored now (the job's
     * upsert came first): pending while the job is (or there is no job row), replicating otherwise; the
     * disk termination applies a terminal one.
     */
    private static Field<String> liveDiskStatus() {
        var j = REPLICATION_JOBS;
        Field<String> jobStatus = coalesce(DSL.field(select(j.STATUS).from(j).where(j.ID.eq(value(VM_DISKS.JOB_ID)))),
                inline(PENDING));
        return when(jobStatus.eq(inline(PENDING)), inline(PENDING)).otherwise(inline(REPLICATING));
    }

    private static Field<Integer> outcomeRank(Field<String> outcome) {
        return when(outcome.eq(inline(OUTCOME_PENDING)), inline(0))
                .when(outcome.in(inline(OUTCOME_CONTEXT_CREATED), inline(OUTCOME_JOB_CREATED), inline(OUTCOME_REJECTED),
                        inline(OUTCOME_DISCOVERY_FAILED)), inline(1))
                .when(outcome.eq(inline(OUTCOME_JOB_STARTED)), inline(2))
                .when(outcome.eq(inline(OUTCOME_JOB_FAILED)), inline(3))
                .otherwise(inline(0));
    }

    /** pending 0, replicating 1, completed/failed 2 (terminal). */
    private static Field<Integer> jobRank(Field<String> status) {
        return when(status.eq(inline(PENDING)), inline(0))
                .when(status.eq(inline(REPLICATING)), inline(1))
                .when(status.in(inline(COMPLETED), inline(FAILED)), inline(2))
                .otherwise(inline(0));
    }

    private static String abbreviate(String message) {
        return message == null || message.length() <= 4000 ? message : message.substring(0, 3999) + "…";
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
