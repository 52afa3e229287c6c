package io.migratekit.schemas;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanedUp;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverRejected;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.FinalSyncRequested;
import io.migratekit.events.GroupMembershipChanged;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.MachineGroupDefined;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.ScheduleDefined;
import io.migratekit.events.ScheduleExecutionCompleted;
import io.migratekit.events.ScheduleExecutionStarted;
import io.migratekit.events.ScheduleTriggerRequested;
import io.migratekit.events.VmContext;
import io.migratekit.events.VmDiscovered;
import io.migratekit.events.VolumesSuperseded;
import java.util.List;

/**
 * The registry of every topic of the pipeline: one constant per topic, one event type per topic,
 * every record keyed by the VMware VM id (the scheduler's schedule and group topics by the schedule
 * or group id, {@link Topic#keyField}). Nothing else in the code base spells a topic name.
 * Writers are named per topic; a command topic (…Requested) may have several producers, a fact
 * topic has exactly one.
 */
public final class Topics {

    private Topics() {
    }

    /** Command. */
    public static final Topic<ReplicationRequested> REPLICATION_REQUESTED =
            new Topic<>("migratekit.replication-requested", ReplicationRequested.class, false,
                    List.of("job-intake", "replication-client (GUI backend, scheduler)", "failover-service"),
                    List.of("discovery-service", "job-service (projector)"));
    /** Fact. */
    public static final Topic<VmDiscovered> VM_DISCOVERED =
            new Topic<>("migratekit.vm-discovered", VmDiscovered.class, false,
                    List.of("discovery-service"),
                    List.of("job-service (decision)"));
    /** Fact. */
    public static final Topic<DiscoveryFailed> DISCOVERY_FAILED =
            new Topic<>("migratekit.discovery-failed", DiscoveryFailed.class, false,
                    List.of("discovery-service"),
                    List.of("job-intake", "job-service (projector)", "failover-service"));
    /** Fact. */
    public static final Topic<ContextCreated> CONTEXT_CREATED =
            new Topic<>("migratekit.context-created", ContextCreated.class, false,
                    List.of("job-service (decision)"),
                    List.of("job-intake", "job-service (projector)"));
    /** Fact. */
    public static final Topic<JobCreated> JOB_CREATED =
            new Topic<>("migratekit.job-created", JobCreated.class, false,
                    List.of("job-service (decision)"),
                    List.of("job-service (workflow, projector)", "job-intake"));
    /** Fact. */
    public static final Topic<ReplicationRejected> REPLICATION_REJECTED =
            new Topic<>("migratekit.replication-rejected", ReplicationRejected.class, false,
                    List.of("job-service (decision)"),
                    List.of("job-intake", "job-service (projector)", "failover-service"));
    /** Fact. */
    public static final Topic<JobStarted> JOB_STARTED =
            new Topic<>("migratekit.job-started", JobStarted.class, false,
                    List.of("job-service (workflow)"),
                    List.of("job-intake", "job-service (decision, projector)", "progress-service", "failover-service"));
    /** Fact. */
    public static final Topic<JobProgress> JOB_PROGRESS =
            new Topic<>("migratekit.job-progress", JobProgress.class, false,
                    List.of("progress-service"),
                    List.of("job-service (projector)", "job-intake (event streams)"));
    /** Fact. */
    public static final Topic<ChangeIdRecorded> CHANGE_ID_RECORDED =
            new Topic<>("migratekit.change-id-recorded", ChangeIdRecorded.class, false,
                    List.of("job-intake (VMA copy-engine callback)"),
                    List.of("job-service (decision, projector)", "progress-service"));
    /** Fact. */
    public static final Topic<JobCompleted> JOB_COMPLETED =
            new Topic<>("migratekit.job-completed", JobCompleted.class, false,
                    List.of("progress-service"),
                    List.of("job-service (decision, projector)", "job-intake", "failover-service"));
    /** Fact. */
    public static final Topic<JobFailed> JOB_FAILED =
            new Topic<>("migratekit.job-failed", JobFailed.class, false,
                    List.of("job-service (workflow)", "progress-service"),
                    List.of("job-service (decision, projector)", "job-intake", "failover-service"));
    /** State changelog, compacted. */
    public static final Topic<VmContext> VM_CONTEXTS =
            new Topic<>("migratekit.vm-contexts", VmContext.class, true,
                    List.of("job-service (decision)"),
                    List.of("job-service (projector)", "downstream subscribers"));
    /** Command. */
    public static final Topic<FailoverRequested> FAILOVER_REQUESTED =
            new Topic<>("migratekit.failover-requested", FailoverRequested.class, false,
                    List.of("job-intake"),
                    List.of("job-service (decision)"));
    /** Fact: the failover passed validation against the context. */
    public static final Topic<FailoverAccepted> FAILOVER_ACCEPTED =
            new Topic<>("migratekit.failover-accepted", FailoverAccepted.class, false,
                    List.of("job-service (decision)"),
                    List.of("job-intake", "failover-service"));
    /** Fact. */
    public static final Topic<FailoverRejected> FAILOVER_REJECTED =
            new Topic<>("migratekit.failover-rejected", FailoverRejected.class, false,
                    List.of("job-service (decision)"),
                    List.of("job-intake"));
    /** Fact. */
    public static final Topic<FailoverStepChanged> FAILOVER_STEP_CHANGED =
            new Topic<>("migratekit.failover-step-changed", FailoverStepChanged.class, false,
                    List.of("failover-service"),
                    List.of("downstream subscribers"));
    /** Command. */
    public static final Topic<FinalSyncRequested> FINAL_SYNC_REQUESTED =
            new Topic<>("migratekit.final-sync-requested", FinalSyncRequested.class, false,
                    List.of("failover-service"),
                    List.of("downstream subscribers"));
    /** Fact. */
    public static final Topic<FailoverCompleted> FAILOVER_COMPLETED =
            new Topic<>("migratekit.failover-completed", FailoverCompleted.class, false,
                    List.of("failover-service"),
                    List.of("job-service (decision)"));
    /** Fact. */
    public static final Topic<FailoverFailed> FAILOVER_FAILED =
            new Topic<>("migratekit.failover-failed", FailoverFailed.class, false,
                    List.of("failover-service"),
                    List.of("job-service (decision)"));
    /** Command. */
    public static final Topic<FailoverCleanupRequested> FAILOVER_CLEANUP_REQUESTED =
            new Topic<>("migratekit.failover-cleanup-requested", FailoverCleanupRequested.class, false,
                    List.of("job-intake"),
                    List.of("failover-service"));
    /** Fact. */
    public static final Topic<FailoverCleanedUp> FAILOVER_CLEANED_UP =
            new Topic<>("migratekit.failover-cleaned-up", FailoverCleanedUp.class, false,
                    List.of("failover-service"),
                    List.of("job-service (decision)"));
    /** Fact: a completed job superseded earlier volumes, which may now be released. */
    public static final Topic<VolumesSuperseded> VOLUMES_SUPERSEDED =
            new Topic<>("migratekit.volumes-superseded", VolumesSuperseded.class, false,
                    List.of("job-service (decision)"),
                    List.of("job-service (volume release)"));

    /** Definition changelog, compacted: the latest definition of every schedule (deleted ones flagged). */
    public static final Topic<ScheduleDefined> SCHEDULES =
            new Topic<>("migratekit.schedules", ScheduleDefined.class, true,
                    List.of("job-intake"),
                    List.of("scheduler-service"), "schedule_id");
    /** Definition changelog, compacted: the latest definition of every machine group (deleted ones flagged). */
    public static final Topic<MachineGroupDefined> MACHINE_GROUPS =
            new Topic<>("migratekit.machine-groups", MachineGroupDefined.class, true,
                    List.of("job-intake"),
                    List.of("scheduler-service"), "group_id");
    /** Membership changelog, compacted, keyed by VM: the latest record per VM is its one group. */
    public static final Topic<GroupMembershipChanged> GROUP_MEMBERSHIPS =
            new Topic<>("migratekit.group-memberships", GroupMembershipChanged.class, true,
                    List.of("job-intake"),
                    List.of("scheduler-service"));
    /** Command. */
    public static final Topic<ScheduleTriggerRequested> SCHEDULE_TRIGGER_REQUESTED =
            new Topic<>("migratekit.schedule-trigger-requested", ScheduleTriggerRequested.class, false,
                    List.of("job-intake"),
                    List.of("scheduler-service"), "schedule_id");
    /** Fact. */
    public static final Topic<ScheduleExecutionStarted> SCHEDULE_EXECUTION_STARTED =
            new Topic<>("migratekit.schedule-execution-started", ScheduleExecutionStarted.class, false,
                    List.of("scheduler-service"),
                    List.of("downstream subscribers"), "schedule_id");
    /** Fact. */
    public static final Topic<ScheduleExecutionCompleted> SCHEDULE_EXECUTION_COMPLETED =
            new Topic<>("migratekit.schedule-execution-completed", ScheduleExecutionCompleted.class, false,
                    List.of("scheduler-service"),
                    List.of("downstream subscribers"), "schedule_id");

    /**
     * Records no consumer could handle, as raw bytes, with the reason and origin in headers
     * (see {@link DeadLetters}). Writers: every consumer.
     */
    public static final String DEAD_LETTERS = "migratekit.dead-letters";

    private static final List<Topic<?>> ALL = List.of(
            REPLICATION_REQUESTED, VM_DISCOVERED, DISCOVERY_FAILED, CONTEXT_CREATED, JOB_CREATED,
            REPLICATION_REJECTED, JOB_STARTED, JOB_PROGRESS, CHANGE_ID_RECORDED, JOB_COMPLETED, JOB_FAILED,
            VM_CONTEXTS, FAILOVER_REQUESTED, FAILOVER_ACCEPTED, FAILOVER_REJECTED, FAILOVER_STEP_CHANGED,
            FINAL_SYNC_REQUESTED, FAILOVER_COMPLETED, FAILOVER_FAILED, FAILOVER_CLEANUP_REQUESTED, FAILOVER_CLEANED_UP,
            VOLUMES_SUPERSEDED, SCHEDULES, MACHINE_GROUPS, GROUP_MEMBERSHIPS, SCHEDULE_TRIGGER_REQUESTED,
            SCHEDULE_EXECUTION_STARTED, SCHEDULE_EXECUTION_COMPLETED);

    /** Every event topic, in flow order. */
    public static List<Topic<?>> all() {
        return ALL;
    }
}
