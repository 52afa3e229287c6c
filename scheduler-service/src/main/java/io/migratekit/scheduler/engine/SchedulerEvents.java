package io.migratekit.scheduler.engine;

import io.migratekit.db.tables.records.ScheduleExecutionsRecord;
import io.migratekit.events.ScheduleExecutionCompleted;
import io.migratekit.events.ScheduleExecutionStarted;
import io.migratekit.platform.EventPublisher;
import io.migratekit.scheduler.plan.ExecutionPlan.Counts;
import io.migratekit.schemas.EventIds;
import io.migratekit.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * The scheduler's own facts, {@code ScheduleExecutionStarted} and {@code ScheduleExecutionCompleted}
 * (keyed by schedule id, correlated by execution id), published and acknowledged before the caller
 * goes on. Owns their content; not when they are due.
 */
public class SchedulerEvents {

    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration timeout;

    public SchedulerEvents(EventPublisher publisher, Clock clock, Duration timeout) {
        this.publisher = publisher;
        this.clock = clock;
        this.timeout = timeout;
    }

    public void started(ScheduleExecutionsRecord execution, int vmsEligible) {
        ScheduleExecutionStarted event = ScheduleExecutionStarted.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId(execution.getExecutionId())
                .setScheduleId(execution.getScheduleId())
                .setExecutionId(execution.getExecutionId())
                .setDueAt(execution.getDueAt().toInstant().truncatedTo(ChronoUnit.MILLIS))
                .setTriggeredBy(execution.getTriggeredBy())
                .setVmsEligible(vmsEligible)
                .build();
        send(() -> publisher.publish(Topics.SCHEDULE_EXECUTION_STARTED, execution.getScheduleId(), event), event);
    }

    public void completed(ScheduleExecutionsRecord execution, String status, String skipReason, Counts counts) {
        ScheduleExecutionCompleted event = ScheduleExecutionCompleted.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId(execution.getExecutionId())
                .setScheduleId(execution.getScheduleId())
                .setExecutionId(execution.getExecutionId())
                .setStatus(status)
                .setSkipReason(skipReason)
                .setVmsEligible(counts.vmsEligible())
                .setJobsCreated(counts.jobsCreated())
                .setJobsCompleted(counts.jobsCompleted())
                .setJobsFailed(counts.jobsFailed())
                .setJobsSkipped(counts.jobsSkipped())
                .build();
        send(() -> publisher.publish(Topics.SCHEDULE_EXECUTION_COMPLETED, execution.getScheduleId(), event), event);
    }

    private void send(Supplier<CompletableFuture<?>> send, SpecificRecord event) {
        try {
            send.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + event.getSchema().getName(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish " + event.getSchema().getName() + ": " + e, e);
        }
    }
}
