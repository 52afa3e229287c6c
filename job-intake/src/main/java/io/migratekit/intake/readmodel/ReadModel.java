package io.migratekit.intake.readmodel;

import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.REPLICATION_REQUESTS;
import static io.migratekit.db.Tables.VM_DISKS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import io.migratekit.db.tables.records.ReplicationJobsRecord;
import io.migratekit.db.tables.records.ReplicationRequestsRecord;
import io.migratekit.db.tables.records.VmDisksRecord;
import io.migratekit.db.tables.records.VmReplicationContextsRecord;
import io.migratekit.intake.events.KnownJob;
import io.migratekit.intake.readmodel.Views.ContextDetail;
import io.migratekit.intake.readmodel.Views.ContextSummary;
import io.migratekit.intake.readmodel.Views.ContextView;
import io.migratekit.intake.readmodel.Views.DiskView;
import io.migratekit.intake.readmodel.Views.JobView;
import io.migratekit.intake.readmodel.Views.RequestView;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The queries job-intake answers from the read model (jOOQ, PostgreSQL). Reads only: every table
 * has its writer elsewhere (job-service's projector). Owns the query shapes, not the data.
 */
public class ReadModel {

    /** The job status the projector writes when every disk is copied. */
    public static final String JOB_COMPLETED = "completed";
    /** The job status the projector writes when the job failed. */
    public static final String JOB_FAILED = "failed";
    /** The outcome the projector writes for a request that has none yet. */
    public static final String OUTCOME_PENDING = "pending";
    static final int HISTORY_LIMIT = 50;

    private final DSLContext db;

    public ReadModel(DSLContext db) {
        this.db = db;
    }

    public Optional<JobView> job(String jobId) {
        return db.selectFrom(REPLICATION_JOBS).where(REPLICATION_JOBS.ID.eq(jobId)).fetchOptional()
                .map(job -> job(job).withDisks(disks(jobId)));
    }

    /** Jobs, newest first, optionally of one VM name and/or one status. */
    public List<JobView> jobs(String vmName, String status, int limit, int offset) {
        Condition where = DSL.noCondition();
        if (vmName != null) {
            where = where.and(REPLICATION_JOBS.SOURCE_VM_NAME.eq(vmName));
        }
        if (status != null) {
            where = where.and(REPLICATION_JOBS.STATUS.eq(status));
        }
        return db.selectFrom(REPLICATION_JOBS).where(where)
                .orderBy(REPLICATION_JOBS.CREATED_AT.desc(), REPLICATION_JOBS.ID.desc())
                .limit(limit).offset(offset)
                .fetch(ReadModel::job);
    }

    public List<DiskView> disks(String jobId) {
        return db.selectFrom(VM_DISKS).where(VM_DISKS.JOB_ID.eq(jobId)).orderBy(VM_DISKS.DISK_ID)
                .fetch(ReadModel::disk);
    }

    /** How the estate is sorted: by VM name, by status (then name), or most recently updated first. */
    public enum ContextOrder {
        NAME, STATUS, UPDATED
    }

    /** Which contexts the estate shows: VM names containing {@code nameContains} (any case), of one status; null for any. */
    public record ContextFilter(String nameContains, String status) {

        Condition condition() {
            Condition where = DSL.noCondition();
            if (nameContains != null && !nameContains.isBlank()) {
                where = where.and(VM_REPLICATION_CONTEXTS.VM_NAME.containsIgnoreCase(nameContains));
            }
            if (status != null && !status.isBlank()) {
                where = where.and(VM_REPLICATION_CONTEXTS.CURRENT_STATUS.eq(status));
            }
            return where;
        }
    }

    /**
     * A page of the contexts that pass the filter, in that order, each with its current and last
     * successful job (one more query for the page's jobs, whatever its size).
     */
    public List<ContextSummary> contexts(ContextFilter filter, ContextOrder order, boolean descending, int limit,
            int offset) {
        List<ContextView> page = db.selectFrom(VM_REPLICATION_CONTEXTS).where(filter.condition())
                .orderBy(switch (order) {
                    case NAME -> List.of(descending ? VM_REPLICATION_CONTEXTS.VM_NAME.desc()
                            : VM_REPLICATION_CONTEXTS.VM_NAME.asc(), VM_REPLICATION_CONTEXTS.CONTEXT_ID.asc());
                    case STATUS -> List.of(descending ? VM_REPLICATION_CONTEXTS.CURRENT_STATUS.desc()
                            : VM_REPLICATION_CONTEXTS.CURRENT_STATUS.asc(), VM_REPLICATION_CONTEXTS.VM_NAME.asc(),
                            VM_REPLICATION_CONTEXTS.CONTEXT_ID.asc());
                    case UPDATED -> List.of(descending ? VM_REPLICATION_CONTEXTS.UPDATED_AT.desc()
                            : VM_REPLICATION_CONTEXTS.UPDATED_AT.asc(), VM_REPLICATION_CONTEXTS.CONTEXT_ID.asc());
                })
                .limit(limit).offset(offset)
                .fetch(ReadModel::context);
        Set<String> jobIds = new HashSet<>();
        page.forEach(context -> {
            jobIds.add(context.currentJobId());
            jobIds.add(context.lastSuccessfulJobId());
        });
        jobIds.remove(null);
        Map<String, JobView> jobs = jobIds.isEmpty() ? Map.of()
                : db.selectFrom(REPLICATION_JOBS).where(REPLICATION_JOBS.ID.in(jobIds)).fetch(ReadModel::job)
                        .stream().collect(Collectors.toMap(JobView::jobId, job -> job));
        return page.stream().map(context -> new ContextSummary(context,
                context.currentJobId() == null ? null : jobs.get(context.currentJobId()),
                context.lastSuccessfulJobId() == null ? null : jobs.get(context.lastSuccessfulJobId()))).toList();
    }

    /** How many contexts pass the filter. */
    public int countContexts(ContextFilter filter) {
        return db.fetchCount(VM_REPLICATION_CONTEXTS, filter.condition());
    }

    /** Every context of that VM name (normally one; two VMs in different folders may share a name). */
    public List<ContextDetail> contextsNamed(String vmName) {
        return db.selectFrom(VM_REPLICATION_CONTEXTS).where(VM_REPLICATION_CONTEXTS.VM_NAME.eq(vmName))
                .orderBy(VM_REPLICATION_CONTEXTS.UPDATED_AT.desc())
                .fetch(this::detail);
    }

    private ContextDetail detail(VmReplicationContextsRecord record) {
        ContextView context = context(record);
        List<JobView> history = db.selectFrom(REPLICATION_JOBS)
                .where(REPLICATION_JOBS.CONTEXT_ID.eq(context.contextId()))
                .orderBy(REPLICATION_JOBS.CREATED_AT.desc(), REPLICATION_JOBS.ID.desc())
                .limit(HISTORY_LIMIT)
                .fetch(ReadModel::job);
        JobView current = context.currentJobId() == null ? null
                : history.stream().filter(job -> job.jobId().equals(context.currentJobId())).findFirst()
                        .orElseGet(() -> db.selectFrom(REPLICATION_JOBS)
                                .where(REPLICATION_JOBS.ID.eq(context.currentJobId())).fetchOptional()
                                .map(ReadModel::job).orElse(null));
        List<DiskView> disks = history.isEmpty() ? List.of() : disks(history.get(0).jobId());
        return new ContextDetail(context, current, history, disks);
    }

    public Optional<RequestView> request(String requestId) {
        return db.selectFrom(REPLICATION_REQUESTS).where(REPLICATION_REQUESTS.REQUEST_ID.eq(requestId))
                .fetchOptional().map(ReadModel::request);
    }

    /** What the change-id callback and the event stream need of a job, when the projector wrote it. */
    public Optional<KnownJob> knownJob(String jobId) {
        return db.select(REPLICATION_JOBS.ID, REPLICATION_JOBS.VMWARE_VM_ID, REPLICATION_JOBS.CONTEXT_ID,
                        REPLICATION_JOBS.REQUEST_ID, REPLICATION_JOBS.CREATED_AT, REPLICATION_JOBS.REQUESTED_BY,
                        REPLICATION_JOBS.SCHEDULED_BY, REPLICATION_JOBS.SCHEDULE_EXECUTION_ID,
                        REPLICATION_JOBS.VM_GROUP_ID, REPLICATION_JOBS.FAILOVER_ID)
                .from(REPLICATION_JOBS).where(REPLICATION_JOBS.ID.eq(jobId))
                .fetchOptional(row -> new KnownJob(row.value1(), row.value2(), row.value3(), row.value4(),
                        diskIds(jobId), row.value5().toInstant(), row.value6(), row.value7(), row.value8(),
                        row.value9(), row.value10()));
    }

    /** Whether the job is completed or failed (false for an unknown job). */
    public boolean jobEnded(String jobId) {
        return db.fetchExists(REPLICATION_JOBS, REPLICATION_JOBS.ID.eq(jobId)
                .and(REPLICATION_JOBS.STATUS.in(JOB_COMPLETED, JOB_FAILED)));
    }

    public List<String> diskIds(String jobId) {
        return db.select(VM_DISKS.DISK_ID).from(VM_DISKS).where(VM_DISKS.JOB_ID.eq(jobId)).orderBy(VM_DISKS.DISK_ID)
                .fetch(VM_DISKS.DISK_ID);
    }

    /**
     * A job that is neither completed nor failed, of the VM at a path, with the base the decision gave
     * one of its disks: {@code diskKnown} false while the projector has not written that disk,
     * {@code baseChangeId} null when the disk has none (a full copy).
     */
    public record RunningJobBase(String jobId, String vmwareVmId, String vcenterHost, boolean diskKnown,
            String baseChangeId) {
    }

    /**
     * The running jobs of every VM at that inventory path (more than one only when VMs of different
     * vCenters share a path, or while the projector has not yet written an ended job's end), newest
     * first, each with its own base for the disk.
     */
    public List<RunningJobBase> runningJobBases(String vmPath, String diskId) {
        return db.select(REPLICATION_JOBS.ID, REPLICATION_JOBS.VMWARE_VM_ID, REPLICATION_JOBS.VCENTER_HOST,
                        VM_DISKS.DISK_ID, VM_DISKS.PREVIOUS_CHANGE_ID)
                .from(REPLICATION_JOBS)
                .leftJoin(VM_DISKS).on(VM_DISKS.JOB_ID.eq(REPLICATION_JOBS.ID)).and(VM_DISKS.DISK_ID.eq(diskId))
                .where(REPLICATION_JOBS.SOURCE_VM_PATH.eq(vmPath))
                .and(REPLICATION_JOBS.STATUS.notIn(JOB_COMPLETED, JOB_FAILED))
                .orderBy(REPLICATION_JOBS.CREATED_AT.desc(), REPLICATION_JOBS.ID.desc())
                .fetch(row -> new RunningJobBase(row.value1(), row.value2(), row.value3(), row.value4() != null,
                        row.value5()));
    }

    private static JobView job(ReplicationJobsRecord r) {
        return new JobView(r.getId(), r.getContextId(), r.getVmwareVmId(), r.getRequestId(), r.getSourceVmName(),
                r.getSourceVmPath(), r.getVcenterHost(), r.getDatacenter(), r.getReplicationType(), r.getStatus(),
                r.getProgressPercent(), r.getCurrentOperation(), r.getVmaSyncType(), r.getBytesTransferred(),
                r.getTotalBytes(), r.getThroughputMbps(), r.getEtaSeconds(), iso(r.getLastPollAt()),
                r.getFailureReason(), r.getErrorMessage(), r.getOsseaConfigId(), r.getTargetNetwork(),
                r.getScheduleExecutionId(), r.getVmGroupId(), r.getScheduledBy(), r.getRequestedBy(),
                r.getFailoverId(), iso(r.getCreatedAt()), iso(r.getStartedAt()), iso(r.getCompletedAt()),
                iso(r.getUpdatedAt()), null);
    }

    private static DiskView disk(VmDisksRecord r) {
        return new DiskView(r.getDiskId(), r.getJobId(), r.getLabel(), r.getVmdkPath(), r.getSizeGb(),
                r.getCapacityBytes(), r.getDatastore(), r.getProvisioningType(), r.getUnitNumber(), r.getVolumeId(),
                r.getNbdExportName(), r.getDevicePath(), r.getBytesTransferred(), r.getTotalBytes(),
                r.getProgressPercent(), r.getStatus(), r.getChangeId(), r.getPreviousChangeId(),
                iso(r.getCreatedAt()), iso(r.getUpdatedAt()));
    }

    private static ContextView context(VmReplicationContextsRecord r) {
        return new ContextView(r.getContextId(), r.getVmwareVmId(), r.getVmName(), r.getVmPath(), r.getVcenterHost(),
                r.getDatacenter(), r.getCurrentStatus(), r.getCurrentJobId(), r.getLastSuccessfulJobId(),
                r.getTotalJobsRun(), r.getSuccessfulJobs(), r.getFailedJobs(), r.getCpuCount(), r.getMemoryMb(),
                r.getOsType(), r.getPowerState(), r.getVmxVersion(), r.getActiveFailoverId(), iso(r.getCreatedAt()),
                iso(r.getUpdatedAt()));
    }

    private static RequestView request(ReplicationRequestsRecord r) {
        boolean pending = r.getOutcome() == null || r.getOutcome().isBlank()
                || OUTCOME_PENDING.equals(r.getOutcome().toLowerCase(Locale.ROOT));
        return new RequestView(r.getRequestId(), pending ? "pending" : "decided", pending ? null : r.getOutcome(),
                r.getVmwareVmId(), r.getVmName(), r.getRequestedBy(), r.getStartReplication(), r.getFailoverId(),
                r.getJobId(), r.getContextId(), r.getReason(), r.getMessage(), iso(r.getCreatedAt()),
                iso(r.getDecidedAt()));
    }

    private static String iso(OffsetDateTime time) {
        return time == null ? null : DateTimeFormatter.ISO_INSTANT.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
