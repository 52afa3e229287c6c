package io.migratekit.intake.schedule;

import io.migratekit.events.GroupMembershipChanged;
import io.migratekit.events.MachineGroupDefined;
import io.migratekit.events.ScheduleDefined;
import io.migratekit.events.ScheduleTriggerRequested;
import io.migratekit.intake.api.Acknowledged;
import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.Topics;
import java.time.Duration;

/**
 * Publishes the scheduler's definition events and trigger commands (keyed by schedule, group or VM
 * id) and waits for the broker's acknowledgement, so that a 2xx answer means the change is durable.
 * scheduler-service materializes them; this class owns neither the events' content nor the tables.
 */
public class ScheduleCommands {

    static final String SCHEDULES_PATH = "/api/v1/schedules/";
    static final String GROUPS_PATH = "/api/v1/machine-groups/";

    private final EventPublisher publisher;
    private final Duration publishTimeout;

    public ScheduleCommands(EventPublisher publisher, Duration publishTimeout) {
        this.publisher = publisher;
        this.publishTimeout = publishTimeout;
    }

    public void define(ScheduleDefined schedule) {
        Acknowledged.await(() -> publisher.publish(Topics.SCHEDULES, schedule.getScheduleId(), schedule),
                "schedule " + schedule.getScheduleId(), SCHEDULES_PATH + schedule.getScheduleId(), publishTimeout);
    }

    public void define(MachineGroupDefined group) {
        Acknowledged.await(() -> publisher.publish(Topics.MACHINE_GROUPS, group.getGroupId(), group),
                "machine group " + group.getGroupId(), GROUPS_PATH + group.getGroupId(), publishTimeout);
    }

    public void change(GroupMembershipChanged membership, String groupId) {
        Acknowledged.await(() -> publisher.publish(Topics.GROUP_MEMBERSHIPS, membership.getVmwareVmId(), membership),
                "membership of " + membership.getContextId(), GROUPS_PATH + groupId + "/vms", publishTimeout);
    }

    public void trigger(ScheduleTriggerRequested trigger) {
        Acknowledged.await(() -> publisher.publish(Topics.SCHEDULE_TRIGGER_REQUESTED, trigger.getScheduleId(), trigger),
                "trigger of schedule " + trigger.getScheduleId(), SCHEDULES_PATH + trigger.getScheduleId()
                        + "/executions", publishTimeout);
    }
}
