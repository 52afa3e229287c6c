package io.migratekit.scheduler.engine;

import io.migratekit.db.tables.records.SchedulesRecord;
import io.migratekit.platform.schedule.InvalidScheduleException;
import io.migratekit.platform.schedule.ScheduleCron;
import io.migratekit.scheduler.store.ExecutionIds;
import io.migratekit.scheduler.store.SchedulerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the cron times that are due, on every tick: for each enabled schedule, the due times since
 * the later of its last recorded cron execution and its last definition change. The newest of them
 * runs when it is at most the grace window old (on a running service: the time that just came);
 * every other one — a fire missed while no scheduler ran, or one older than the window — is
 * recorded as a {@code skipped} execution with reason {@code missed}. Each is claimed by its
 * deterministic id, so two instances ticking together, or one after a restart, fire it once.
 */
public class ScheduleTicker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ScheduleTicker.class);

    private final SchedulerStore store;
    private final ExecutionEngine engine;
    private final Clock clock;
    private final Duration grace;
    private final int maxMissedRecorded;

    public ScheduleTicker(SchedulerStore store, ExecutionEngine engine, Clock clock, Duration grace,
            int maxMissedRecorded) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.grace = grace;
        this.maxMissedRecorded = maxMissedRecorded;
    }

    @Override
    public void run() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("A scheduler tick failed, the next one tries again: {}", e.toString());
        }
    }

    /** One tick at the clock's time. */
    public void tick() {
        Instant now = clock.instant();
        for (SchedulesRecord schedule : store.enabledSchedules()) {
            Instant changed = schedule.getUpdatedAt().toInstant();
            Instant since = store.lastScheduledDue(schedule.getScheduleId()).filter(last -> last.isAfter(changed))
                    .orElse(changed);
            List<Instant> due;
            try {
                due = ScheduleCron.of(schedule.getCronExpression(), schedule.getTimezone())
                        .dueBetween(since, now, maxMissedRecorded);
            } catch (InvalidScheduleException e) {
                log.warn("Schedule {} cannot fire: {}", schedule.getScheduleId(), e.getMessage());
                continue;
            }
            for (int i = 0; i < due.size(); i++) {
                Instant dueAt = due.get(i);
                boolean newest = i == due.size() - 1;
                if (newest && !dueAt.isBefore(now.minus(grace))) {
                    engine.fire(schedule, dueAt, ExecutionIds.scheduled(schedule.getScheduleId(), dueAt),
                            ExecutionIds.SCHEDULER, null);
                } else {
                    engine.missed(schedule, dueAt);
                }
            }
        }
    }
}
