package io.migratekit.intake.readmodel;

import static io.migratekit.db.Tables.FAILOVER_JOBS;
import static io.migratekit.db.Tables.JOB_STEPS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import io.migratekit.db.tables.records.FailoverJobsRecord;
import io.migratekit.db.tables.records.JobStepsRecord;
import io.migratekit.intake.readmodel.FailoverViews.ContextRef;
import io.migratekit.intake.readmodel.FailoverViews.FailoverView;
import io.migratekit.intake.readmodel.FailoverViews.StepView;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The failover queries of job-intake (jOOQ, PostgreSQL): failovers and their steps as
 * failover-service records them, and the context a failover request names. Reads only.
 */
public class FailoverReadModel {

    private final DSLContext db;

    public FailoverReadModel(DSLContext db) {
        this.db = db;
    }

    /** The contexts with this id, or else with this VM name (normally one; two VMs may share a name). */
    public List<ContextRef> contexts(String contextId, String vmName) {
        Condition where = contextId != null ? VM_REPLICATION_CONTEXTS.CONTEXT_ID.eq(contextId)
                : VM_REPLICATION_CONTEXTS.VM_NAME.eq(vmName);
        return db.select(VM_REPLICATION_CONTEXTS.CONTEXT_ID, VM_REPLICATION_CONTEXTS.VMWARE_VM_ID,
                        VM_REPLICATION_CONTEXTS.VM_NAME)
                .from(VM_REPLICATION_CONTEXTS).where(where)
                .orderBy(VM_REPLICATION_CONTEXTS.CONTEXT_ID)
                .fetch(row -> new ContextRef(row.value1(), row.value2(), row.value3()));
    }

    public Optional<FailoverView> failover(String failoverId) {
        return db.selectFrom(FAILOVER_JOBS).where(FAILOVER_JOBS.ID.eq(failoverId)).fetchOptional()
                .map(record -> view(record).withSteps(steps(failoverId)));
    }

    /** Failovers, newest first, optionally of one VM name. */
    public List<FailoverView> failovers(String vmName, int limit, int offset) {
        Condition where = vmName == null ? DSL.noCondition() : FAILOVER_JOBS.VM_NAME.eq(vmName);
        return db.selectFrom(FAILOVER_JOBS).where(where)
                .orderBy(FAILOVER_JOBS.CREATED_AT.desc(), FAILOVER_JOBS.ID.desc())
                .limit(limit).offset(offset)
                .fetch(FailoverReadModel::view);
    }

    public List<StepView> steps(String failoverId) {
        return db.selectFrom(JOB_STEPS).where(JOB_STEPS.FAILOVER_ID.eq(failoverId))
                .orderBy(JOB_STEPS.SEQ, JOB_STEPS.STARTED_AT)
                .fetch(FailoverReadModel::step);
    }

    private static FailoverView view(FailoverJobsRecord r) {
        return new FailoverView(r.getId(), r.getContextId(), r.getVmwareVmId(), r.getVmName(), r.getFailoverType(),
                r.getStatus(), r.getCurrentStep(), r.getPowerOnSourceOnFailure(), r.getTestNetwork(),
                r.getFinalSyncDeadlineMinutes(), r.getFinalSyncRequestId(), iso(r.getFinalSyncDeadlineAt()),
                r.getFinalSyncJobId(), r.getTargetVmId(), r.getFailedStep(), r.getErrorMessage(),
                r.getSourcePoweredBackOn(), r.getRequestedBy(), iso(r.getCreatedAt()), iso(r.getCompletedAt()),
                iso(r.getUpdatedAt()), null);
    }

    private static StepView step(JobStepsRecord r) {
        return new StepView(r.getStep(), r.getSeq(), r.getStatus(), r.getMessage(), r.getJobId(),
                iso(r.getStartedAt()), iso(r.getCompletedAt()));
    }

    private static String iso(OffsetDateTime time) {
        return time == null ? null : DateTimeFormatter.ISO_INSTANT.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
