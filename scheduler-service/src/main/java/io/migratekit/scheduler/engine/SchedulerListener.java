package io.migratekit.scheduler.engine;

import io.migratekit.events.GroupMembershipChanged;
import io.migratekit.events.MachineGroupDefined;
import io.migratekit.events.ScheduleDefined;
import io.migratekit.events.ScheduleTriggerRequested;
import io.migratekit.platform.EventLog;
import io.migratekit.scheduler.store.ExecutionIds;
import io.migratekit.scheduler.store.SchedulerStore;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The scheduler's command edge, one consumer group shared by every instance (each record handled
 * once): materializes the definition changelogs into the scheduler's tables and runs a manual
 * trigger as its own execution (id derived from the trigger request, so a redelivered trigger runs
 * once). A definition that breaks a table rule (a name taken by a concurrent request) fails, is
 * retried and then dead-lettered with the reason by the platform's error handler.
 */
@KafkaListener(id = "scheduler-commands", groupId = "${migratekit.scheduler.group-id:scheduler-service}",
        topics = "#{__listener.topics()}")
public class SchedulerListener {

    private static final Logger log = LoggerFactory.getLogger(SchedulerListener.class);

    static final List<Topic<?>> TOPICS = List.of(Topics.SCHEDULES, Topics.MACHINE_GROUPS, Topics.GROUP_MEMBERSHIPS,
            Topics.SCHEDULE_TRIGGER_REQUESTED);

    private final SchedulerStore store;
    private final ExecutionEngine engine;

    public SchedulerListener(SchedulerStore store, ExecutionEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    public String[] topics() {
        return TOPICS.stream().map(Topic::name).toArray(String[]::new);
    }

    @KafkaHandler
    public void on(ScheduleDefined event) {
        store.apply(event);
        EventLog.handled(log, event, event.getDeleted() ? "schedule_deleted" : "schedule_saved");
    }

    @KafkaHandler
    public void on(MachineGroupDefined event) {
        store.apply(event);
        EventLog.handled(log, event, event.getDeleted() ? "group_deleted" : "group_saved");
    }

    @KafkaHandler
    public void on(GroupMembershipChanged event) {
        store.apply(event);
        EventLog.handled(log, event, event.getGroupId() == null ? "member_removed" : "member_saved");
    }

    @KafkaHandler
    public void on(ScheduleTriggerRequested event) {
        String outcome = store.schedule(event.getScheduleId())
                .map(schedule -> engine.fire(schedule, event.getOccurredAt(),
                        ExecutionIds.manual(event.getCorrelationId()), event.getRequestedBy(), event.getReason())
                        ? "execution_started" : "duplicate_trigger")
                .orElse("unknown_schedule");
        EventLog.handled(log, event, outcome);
    }
}
