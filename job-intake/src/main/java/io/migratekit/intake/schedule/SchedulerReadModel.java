package io.migratekit.intake.schedule;

import static io.migratekit.db.Tables.EXECUTION_VMS;
import static io.migratekit.db.Tables.GROUP_MEMBERSHIPS;
import static io.migratekit.db.Tables.MACHINE_GROUPS;
import static io.migratekit.db.Tables.SCHEDULES;
import static io.migratekit.db.Tables.SCHEDULE_EXECUTIONS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import io.migratekit.db.tables.records.MachineGroupsRecord;
import io.migratekit.db.tables.records.ScheduleExecutionsRecord;
import io.migratekit.db.tables.records.SchedulesRecord;
import io.migratekit.intake.schedule.ScheduleViews.ContextView;
import io.migratekit.intake.schedule.ScheduleViews.ExecutionView;
import io.migratekit.intake.schedule.ScheduleViews.ExecutionVmView;
import io.migratekit.intake.schedule.ScheduleViews.GroupView;
import io.migratekit.intake.schedule.ScheduleViews.MemberView;
import io.migratekit.intake.schedule.ScheduleViews.ScheduleView;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The scheduler queries of job-intake (jOOQ, PostgreSQL): scheduler-service's tables, and job-service's
 * contexts a membership names. Reads only: scheduler-service is the one writer of its tables.
 */
public class SchedulerReadModel {

    private final DSLContext db;

    public SchedulerReadModel(DSLContext db) {
        this.db = db;
    }

    public Optional<SchedulesRecord> scheduleRecord(String id) {
        return db.selectFrom(SCHEDULES).where(SCHEDULES.SCHEDULE_ID.eq(id)).fetchOptional();
    }

    public Optional<ScheduleView> schedule(String id) {
        return scheduleRecord(id).map(SchedulerReadModel::view);
    }

    public List<ScheduleView> schedules(int limit, int offset) {
        return db.selectFrom(SCHEDULES).orderBy(SCHEDULES.NAME).limit(limit).offset(offset)
                .fetch(SchedulerReadModel::view);
    }

    /** The id of the schedule with this name, if any. */
    public Optional<String> scheduleNamed(String name) {
        return db.select(SCHEDULES.SCHEDULE_ID).from(SCHEDULES).where(SCHEDULES.NAME.eq(name)).fetchOptional(0,
                String.class);
    }

    public Optional<MachineGroupsRecord> groupRecord(String id) {
        return db.selectFrom(MACHINE_GROUPS).where(MACHINE_GROUPS.GROUP_ID.eq(id)).fetchOptional();
    }

    public Optional<GroupView> group(String id) {
        return groupRecord(id).map(this::view);
    }

    public List<GroupView> groups(String scheduleId, int limit, int offset) {
        return db.selectFrom(MACHINE_GROUPS)
                .where(scheduleId == null ? DSL.noCondition() : MACHINE_GROUPS.SCHEDULE_ID.eq(scheduleId))
                .orderBy(MACHINE_GROUPS.PRIORITY, MACHINE_GROUPS.NAME).limit(limit).offset(offset).fetch(this::view);
    }

    public Optional<String> groupNamed(String name) {
        return db.select(MACHINE_GROUPS.GROUP_ID).from(MACHINE_GROUPS).where(MACHINE_GROUPS.NAME.eq(name))
                .fetchOptional(0, String.class);
    }

    public List<MemberView> members(String groupId) {
        return db.select(GROUP_MEMBERSHIPS.CONTEXT_ID, GROUP_MEMBERSHIPS.VMWARE_VM_ID, VM_REPLICATION_CONTEXTS.VM_NAME,
                        GROUP_MEMBERSHIPS.GROUP_ID, GROUP_MEMBERSHIPS.ENABLED, GROUP_MEMBERSHIPS.PRIORITY,
                        GROUP_MEMBERSHIPS.ADDED_BY, GROUP_MEMBERSHIPS.ADDED_AT)
                .from(GROUP_MEMBERSHIPS)
                .leftJoin(VM_REPLICATION_CONTEXTS).on(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID.eq(GROUP_MEMBERSHIPS.VMWARE_VM_ID))
                .where(GROUP_MEMBERSHIPS.GROUP_ID.eq(groupId))
                .orderBy(GROUP_MEMBERSHIPS.PRIORITY, GROUP_MEMBERSHIPS.VMWARE_VM_ID)
                .fetch(r -> new MemberView(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), iso(r.value8())));
    }

    /** The context's VM and the group it is in now (null when in none). */
    public Optional<ContextMembership> context(String contextId) {
        return db.select(VM_REPLICATION_CONTEXTS.CONTEXT_ID, VM_REPLICATION_CONTEXTS.VMWARE_VM_ID,
                        VM_REPLICATION_CONTEXTS.VM_NAME, GROUP_MEMBERSHIPS.GROUP_ID)
                .from(VM_REPLICATION_CONTEXTS)
                .leftJoin(GROUP_MEMBERSHIPS).on(GROUP_MEMBERSHIPS.VMWARE_VM_ID.eq(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID))
                .where(VM_REPLICATION_CONTEXTS.CONTEXT_ID.eq(contextId))
                .fetchOptional(r -> new ContextMembership(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** A context and its group. */
    public record ContextMembership(String contextId, String vmwareVmId, String vmName, String groupId) {
    }

    public List<ContextView> ungrouped(int limit, int offset) {
        return db.select(VM_REPLICATION_CONTEXTS.CONTEXT_ID, VM_REPLICATION_CONTEXTS.VMWARE_VM_ID,
                        VM_REPLICATION_CONTEXTS.VM_NAME, VM_REPLICATION_CONTEXTS.CURRENT_STATUS)
                .from(VM_REPLICATION_CONTEXTS)
                .whereNotExists(DSL.selectOne().from(GROUP_MEMBERSHIPS)
                        .where(GROUP_MEMBERSHIPS.VMWARE_VM_ID.eq(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID)))
                .orderBy(VM_REPLICATION_CONTEXTS.VM_NAME, VM_REPLICATION_CONTEXTS.CONTEXT_ID)
                .limit(limit).offset(offset)
                .fetch(r -> new ContextView(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** The schedule's executions, newest first, each with its VMs. */
    public List<ExecutionView> executions(String scheduleId, int limit, int offset) {
        return db.selectFrom(SCHEDULE_EXECUTIONS).where(SCHEDULE_EXECUTIONS.SCHEDULE_ID.eq(scheduleId))
                .orderBy(SCHEDULE_EXECUTIONS.DUE_AT.desc(), SCHEDULE_EXECUTIONS.EXECUTION_ID.desc())
                .limit(limit).offset(offset).fetch(this::view);
    }

    private ExecutionView view(ScheduleExecutionsRecord e) {
        List<ExecutionVmView> vms = db.selectFrom(EXECUTION_VMS).where(EXECUTION_VMS.EXECUTION_ID.eq(e.getExecutionId()))
                .orderBy(EXECUTION_VMS.SEQ)
                .fetch(v -> new ExecutionVmView(v.getVmwareVmId(), v.getContextId(), v.getGroupId(), v.getStatus(),
                        v.getReason(), v.getAttempt(), v.getJobId()));
        return new ExecutionView(e.getExecutionId(), e.getScheduleId(), e.getStatus(), e.getSkipReason(),
                e.getTriggeredBy(), e.getReason(), iso(e.getDueAt()), iso(e.getScheduledAt()), iso(e.getStartedAt()),
                iso(e.getCompletedAt()), e.getVmsEligible(), e.getJobsCreated(), e.getJobsCompleted(), e.getJobsFailed(),
                e.getJobsSkipped(), e.getQueued(), vms);
    }

    private static ScheduleView view(SchedulesRecord s) {
        return new ScheduleView(s.getScheduleId(), s.getName(), s.getDescription(), s.getCronExpression(),
                s.getTimezone(), s.getReplicationType(), s.getMaxConcurrentJobs(), s.getRetryAttempts(),
                s.getRetryDelayMinutes(), s.getEnabled(), s.getSkipIfRunning(), s.getChangedBy(), iso(s.getCreatedAt()),
                iso(s.getUpdatedAt()));
    }

    private GroupView view(MachineGroupsRecord g) {
        int members = db.fetchCount(GROUP_MEMBERSHIPS, GROUP_MEMBERSHIPS.GROUP_ID.eq(g.getGroupId()));
        return new GroupView(g.getGroupId(), g.getName(), g.getDescription(), g.getScheduleId(), g.getMaxConcurrentVms(),
                g.getPriority(), members, g.getChangedBy(), iso(g.getCreatedAt()), iso(g.getUpdatedAt()));
    }

    static String iso(OffsetDateTime at) {
        return at == null ? null : DateTimeFormatter.ISO_INSTANT.format(at.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
