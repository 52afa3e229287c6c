package io.migratekit.scheduler.store;

import static io.migratekit.db.Tables.EXECUTION_VMS;
import static io.migratekit.db.Tables.GROUP_MEMBERSHIPS;
import static io.migratekit.db.Tables.MACHINE_GROUPS;
import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.SCHEDULES;
import static io.migratekit.db.Tables.SCHEDULE_EXECUTIONS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import io.migratekit.db.tables.records.ExecutionVmsRecord;
import io.migratekit.db.tables.records.ScheduleExecutionsRecord;
import io.migratekit.db.tables.records.SchedulesRecord;
import io.migratekit.events.GroupMembershipChanged;
import io.migratekit.events.MachineGroupDefined;
import io.migratekit.events.ScheduleDefined;
import io.migratekit.scheduler.plan.ExecutionPlan;
import io.migratekit.scheduler.plan.ExecutionPlan.Counts;
import io.migratekit.scheduler.plan.ExecutionPlan.VmState;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * scheduler-service's tables (jOOQ, PostgreSQL), their one writer: the definitions materialized from
 * job-intake's changelogs, the executions with their claim (a scheduled execution's id is derived from
 * its due time, so only one insert of it succeeds) and every VM's state. Reads job-service's
 * {@code vm_replication_contexts} and {@code replication_jobs} for what a replication request names
 * about a VM. Decides nothing.
 */
public class SchedulerStore {

    /**
     * A VM of a schedule's groups with what a request needs about it: its context, and the target
     * (CloudStack config, network) of its last successful job, which a scheduled sync keeps.
     */
    public record Member(String vmwareVmId, String contextId, String groupId, int groupCap, String vmName,
            String vmPath, String vcenterHost, String datacenter, Long osseaConfigId, String targetNetwork) {
    }

    private final DSLContext db;
    private final Clock clock;

    public SchedulerStore(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Creates, replaces or deletes the schedule; a deleted schedule's groups keep no schedule. */
    public void apply(ScheduleDefined e) {
        OffsetDateTime now = now();
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            if (e.getDeleted()) {
                t.deleteFrom(SCHEDULES).where(SCHEDULES.SCHEDULE_ID.eq(e.getScheduleId())).execute();
                t.update(MACHINE_GROUPS).setNull(MACHINE_GROUPS.SCHEDULE_ID)
                        .where(MACHINE_GROUPS.SCHEDULE_ID.eq(e.getScheduleId())).execute();
                return;
            }
            SchedulesRecord r = t.newRecord(SCHEDULES);
            r.setScheduleId(e.getScheduleId());
            r.setName(e.getName());
            r.setDescription(e.getDescription());
            r.setCronExpression(e.getCronExpression());
            r.setTimezone(e.getTimezone());
            r.setReplicationType(e.getReplicationType() == null ? "auto" : e.getReplicationType());
            r.setMaxConcurrentJobs(e.getMaxConcurrentJobs());
            r.setRetryAttempts(e.getRetryAttempts());
            r.setRetryDelayMinutes(e.getRetryDelayMinutes());
            r.setEnabled(e.getEnabled());
            r.setSkipIfRunning(e.getSkipIfRunning());
            r.setChangedBy(e.getChangedBy());
            r.setCreatedAt(now);
            r.setUpdatedAt(now);
            t.insertInto(SCHEDULES).set(r).onConflict(SCHEDULES.SCHEDULE_ID).doUpdate()
                    .set(SCHEDULES.NAME, r.getName())
                    .set(SCHEDULES.DESCRIPTION, r.getDescription())
                    .set(SCHEDULES.CRON_EXPRESSION, r.getCronExpression())
                    .set(SCHEDULES.TIMEZONE, r.getTimezone())
                    .set(SCHEDULES.REPLICATION_TYPE, r.getReplicationType())
                    .set(SCHEDULES.MAX_CONCURRENT_JOBS, r.getMaxConcurrentJobs())
                    .set(SCHEDULES.RETRY_ATTEMPTS, r.getRetryAttempts())
                    .set(SCHEDULES.RETRY_DELAY_MINUTES, r.getRetryDelayMinutes())
                    .set(SCHEDULES.ENABLED, r.getEnabled())
                    .set(SCHEDULES.SKIP_IF_RUNNING, r.getSkipIfRunning())
                    .set(SCHEDULES.CHANGED_BY, r.getChangedBy())
                    .set(SCHEDULES.UPDATED_AT, now)
                    .execute();
        });
    }

    /** Creates, replaces or deletes the group; a deleted group's memberships go with it. */
    public void apply(MachineGroupDefined e) {
        OffsetDateTime now = now();
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            if (e.getDeleted()) {
                t.deleteFrom(MACHINE_GROUPS).where(MACHINE_GROUPS.GROUP_ID.eq(e.getGroupId())).execute();
                t.deleteFrom(GROUP_MEMBERSHIPS).where(GROUP_MEMBERSHIPS.GROUP_ID.eq(e.getGroupId())).execute();
                return;
            }
            t.insertInto(MACHINE_GROUPS)
                    .set(MACHINE_GROUPS.GROUP_ID, e.getGroupId())
                    .set(MACHINE_GROUPS.NAME, e.getName())
                    .set(MACHINE_GROUPS.DESCRIPTION, e.getDescription())
                    .set(MACHINE_GROUPS.SCHEDULE_ID, e.getScheduleId())
                    .set(MACHINE_GROUPS.MAX_CONCURRENT_VMS, e.getMaxConcurrentVms())
                    .set(MACHINE_GROUPS.PRIORITY, e.getPriority())
                    .set(MACHINE_GROUPS.CHANGED_BY, e.getChangedBy())
                    .set(MACHINE_GROUPS.CREATED_AT, now)
                    .set(MACHINE_GROUPS.UPDATED_AT, now)
                    .onConflict(MACHINE_GROUPS.GROUP_ID).doUpdate()
                    .set(MACHINE_GROUPS.NAME, e.getName())
                    .set(MACHINE_GROUPS.DESCRIPTION, e.getDescription())
                    .set(MACHINE_GROUPS.SCHEDULE_ID, e.getScheduleId())
                    .set(MACHINE_GROUPS.MAX_CONCURRENT_VMS, e.getMaxConcurrentVms())
                    .set(MACHINE_GROUPS.PRIORITY, e.getPriority())
                    .set(MACHINE_GROUPS.CHANGED_BY, e.getChangedBy())
                    .set(MACHINE_GROUPS.UPDATED_AT, now)
                    .execute();
        });
    }

    /** Puts the VM into its group (replacing any earlier one), or takes it out when the group is null. */
    public void apply(GroupMembershipChanged e) {
        if (e.getGroupId() == null) {
            db.deleteFrom(GROUP_MEMBERSHIPS).where(GROUP_MEMBERSHIPS.VMWARE_VM_ID.eq(e.getVmwareVmId())).execute();
            return;
        }
        OffsetDateTime at = OffsetDateTime.ofInstant(e.getOccurredAt(), ZoneOffset.UTC);
        db.insertInto(GROUP_MEMBERSHIPS)
                .set(GROUP_MEMBERSHIPS.VMWARE_VM_ID, e.getVmwareVmId())
                .set(GROUP_MEMBERSHIPS.CONTEXT_ID, e.getContextId())
                .set(GROUP_MEMBERSHIPS.GROUP_ID, e.getGroupId())
                .set(GROUP_MEMBERSHIPS.ENABLED, e.getEnabled())
                .set(GROUP_MEMBERSHIPS.PRIORITY, e.getPriority())
                .set(GROUP_MEMBERSHIPS.ADDED_BY, e.getChangedBy())
                .set(GROUP_MEMBERSHIPS.ADDED_AT, at)
                .onConflict(GROUP_MEMBERSHIPS.VMWARE_VM_ID).doUpdate()
                .set(GROUP_MEMBERSHIPS.CONTEXT_ID, e.getContextId())
                .set(GROUP_MEMBERSHIPS.GROUP_ID, e.getGroupId())
                .set(GROUP_MEMBERSHIPS.ENABLED, e.getEnabled())
                .set(GROUP_MEMBERSHIPS.PRIORITY, e.getPriority())
                .execute();
    }

    public List<SchedulesRecord> enabledSchedules() {
        return db.selectFrom(SCHEDULES).where(SCHEDULES.ENABLED.isTrue()).orderBy(SCHEDULES.SCHEDULE_ID).fetch();
    }

    public Optional<SchedulesRecord> schedule(String scheduleId) {
        return db.selectFrom(SCHEDULES).where(SCHEDULES.SCHEDULE_ID.eq(scheduleId)).fetchOptional();
    }

    /** The latest due time a cron execution (run or skipped) was recorded for. */
    public Optional<Instant> lastScheduledDue(String scheduleId) {
        return Optional.ofNullable(db.select(DSL.max(SCHEDULE_EXECUTIONS.DUE_AT)).from(SCHEDULE_EXECUTIONS)
                .where(SCHEDULE_EXECUTIONS.SCHEDULE_ID.eq(scheduleId))
                .and(SCHEDULE_EXECUTIONS.TRIGGERED_BY.eq(ExecutionIds.SCHEDULER))
                .fetchOne(0, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    /** Inserts the execution unless its id exists; true when this call inserted it (the caller runs it). */
    public boolean claim(ScheduleExecutionsRecord execution) {
        return db.insertInto(SCHEDULE_EXECUTIONS).set(execution).onConflictDoNothing().execute() == 1;
    }

    /** The enabled members of the schedule's groups: groups by priority, then members by priority. */
    public List<Member> members(String scheduleId) {
        return db.select(GROUP_MEMBERSHIPS.VMWARE_VM_ID, GROUP_MEMBERSHIPS.CONTEXT_ID, GROUP_MEMBERSHIPS.GROUP_ID,
                        MACHINE_GROUPS.MAX_CONCURRENT_VMS, VM_REPLICATION_CONTEXTS.VM_NAME,
                        VM_REPLICATION_CONTEXTS.VM_PATH, VM_REPLICATION_CONTEXTS.VCENTER_HOST,
                        VM_REPLICATION_CONTEXTS.DATACENTER)
                .from(GROUP_MEMBERSHIPS)
                .join(MACHINE_GROUPS).on(MACHINE_GROUPS.GROUP_ID.eq(GROUP_MEMBERSHIPS.GROUP_ID))
                .leftJoin(VM_REPLICATION_CONTEXTS).on(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID.eq(GROUP_MEMBERSHIPS.VMWARE_VM_ID))
                .where(MACHINE_GROUPS.SCHEDULE_ID.eq(scheduleId)).and(GROUP_MEMBERSHIPS.ENABLED.isTrue())
                .orderBy(MACHINE_GROUPS.PRIORITY, MACHINE_GROUPS.NAME, GROUP_MEMBERSHIPS.PRIORITY,
                        GROUP_MEMBERSHIPS.VMWARE_VM_ID)
                .fetch(r -> new Member(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), r.value8(), null, null));
    }

    /** What a request needs about one VM of an execution (the context as the read model has it now). */
    public Optional<Member> member(String executionId, String vmwareVmId) {
        return db.select(EXECUTION_VMS.VMWARE_VM_ID, EXECUTION_VMS.CONTEXT_ID, EXECUTION_VMS.GROUP_ID,
                        EXECUTION_VMS.GROUP_MAX_CONCURRENT_VMS, VM_REPLICATION_CONTEXTS.VM_NAME,
                        VM_REPLICATION_CONTEXTS.VM_PATH, VM_REPLICATION_CONTEXTS.VCENTER_HOST,
                        VM_REPLICATION_CONTEXTS.DATACENTER, REPLICATION_JOBS.OSSEA_CONFIG_ID,
                        REPLICATION_JOBS.TARGET_NETWORK)
                .from(EXECUTION_VMS)
                .leftJoin(VM_REPLICATION_CONTEXTS).on(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID.eq(EXECUTION_VMS.VMWARE_VM_ID))
                .leftJoin(REPLICATION_JOBS).on(REPLICATION_JOBS.ID.eq(VM_REPLICATION_CONTEXTS.LAST_SUCCESSFUL_JOB_ID))
                .where(EXECUTION_VMS.EXECUTION_ID.eq(executionId)).and(EXECUTION_VMS.VMWARE_VM_ID.eq(vmwareVmId))
                .fetchOptional(r -> new Member(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), r.value8(), r.value9(), r.value10()));
    }

    /** Records the execution's VMs, in request order, and the execution as running with its eligible count. */
    public void start(String executionId, List<Member> members, OffsetDateTime startedAt) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            int seq = 0;
            for (Member m : members) {
                ExecutionVmsRecord r = t.newRecord(EXECUTION_VMS);
                r.setExecutionId(executionId);
                r.setVmwareVmId(m.vmwareVmId());
                r.setContextId(m.contextId());
                r.setGroupId(m.groupId());
                r.setGroupMaxConcurrentVms(m.groupCap());
                r.setSeq(seq++);
                r.setStatus(ExecutionPlan.VmStatus.QUEUED.name().toLowerCase());
                r.setAttempt(0);
                r.setUpdatedAt(startedAt);
                t.insertInto(EXECUTION_VMS).set(r).onConflictDoNothing().execute();
            }
            t.update(SCHEDULE_EXECUTIONS).set(SCHEDULE_EXECUTIONS.STATUS, "running")
                    .set(SCHEDULE_EXECUTIONS.STARTED_AT, startedAt)
                    .set(SCHEDULE_EXECUTIONS.VMS_ELIGIBLE, members.size())
                    .set(SCHEDULE_EXECUTIONS.QUEUED, members.size())
                    .where(SCHEDULE_EXECUTIONS.EXECUTION_ID.eq(executionId)).execute();
        });
    }

    /** Records one VM's state and the execution's counts together. */
    public void record(String executionId, VmState vm, String requestId, String jobId, Instant retryAt, Counts counts) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            var update = t.update(EXECUTION_VMS)
                    .set(EXECUTION_VMS.STATUS, vm.status().name().toLowerCase())
                    .set(EXECUTION_VMS.ATTEMPT, vm.attempt())
                    .set(EXECUTION_VMS.FAILURES, vm.failures())
                    .set(EXECUTION_VMS.REASON, vm.reason())
                    .set(EXECUTION_VMS.RETRY_AT, retryAt == null ? null : OffsetDateTime.ofInstant(retryAt, ZoneOffset.UTC))
                    .set(EXECUTION_VMS.UPDATED_AT, now());
            if (requestId != null) {
                update = update.set(EXECUTION_VMS.REQUEST_ID, requestId);
            }
            if (jobId != null) {
                update = update.set(EXECUTION_VMS.JOB_ID, jobId);
            }
            update.where(EXECUTION_VMS.EXECUTION_ID.eq(executionId)).and(EXECUTION_VMS.VMWARE_VM_ID.eq(vm.vm().vmwareVmId()))
                    .execute();
            counts(t, executionId, counts);
        });
    }

    /** The execution ended with this status and these counts. */
    public void finish(String executionId, String status, Counts counts) {
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            counts(t, executionId, counts);
            t.update(SCHEDULE_EXECUTIONS).set(SCHEDULE_EXECUTIONS.STATUS, status)
                    .set(SCHEDULE_EXECUTIONS.COMPLETED_AT, now())
                    .where(SCHEDULE_EXECUTIONS.EXECUTION_ID.eq(executionId)).execute();
        });
    }

    private static void counts(DSLContext t, String executionId, Counts c) {
        t.update(SCHEDULE_EXECUTIONS)
                .set(SCHEDULE_EXECUTIONS.VMS_ELIGIBLE, c.vmsEligible())
                .set(SCHEDULE_EXECUTIONS.JOBS_CREATED, c.jobsCreated())
                .set(SCHEDULE_EXECUTIONS.JOBS_COMPLETED, c.jobsCompleted())
                .set(SCHEDULE_EXECUTIONS.JOBS_FAILED, c.jobsFailed())
                .set(SCHEDULE_EXECUTIONS.JOBS_SKIPPED, c.jobsSkipped())
                .set(SCHEDULE_EXECUTIONS.QUEUED, c.queued())
                .where(SCHEDULE_EXECUTIONS.EXECUTION_ID.eq(executionId)).execute();
    }

    public Optional<ScheduleExecutionsRecord> execution(String executionId) {
        return db.selectFrom(SCHEDULE_EXECUTIONS).where(SCHEDULE_EXECUTIONS.EXECUTION_ID.eq(executionId)).fetchOptional();
    }

    /** The executions this instance ran and did not finish (to resume after a restart). */
    public List<ScheduleExecutionsRecord> unfinished(String owner) {
        return db.selectFrom(SCHEDULE_EXECUTIONS).where(SCHEDULE_EXECUTIONS.OWNER.eq(owner))
                .and(SCHEDULE_EXECUTIONS.STATUS.in("scheduled", "running"))
                .orderBy(SCHEDULE_EXECUTIONS.SCHEDULED_AT).fetch();
    }

    public List<ExecutionVmsRecord> vms(String executionId) {
        return db.selectFrom(EXECUTION_VMS).where(EXECUTION_VMS.EXECUTION_ID.eq(executionId))
                .orderBy(EXECUTION_VMS.SEQ).fetch();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
