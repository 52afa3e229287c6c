package io.migratekit.failover.engine;

import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.StepStatus;
import io.migratekit.failover.process.FailoverEvents;
import io.migratekit.failover.process.FailoverRules;
import io.migratekit.failover.store.FailoverStore;
import io.migratekit.schemas.Topics;

/**
 * What each incoming event means for a failover: an accepted failover is recorded (validation
 * completed, the steps its type lacks skipped) and started; the final sync's {@code JobStarted},
 * {@code JobCompleted}, {@code JobFailed}, {@code ReplicationRejected} and {@code DiscoveryFailed} —
 * matched by failover id and the recorded request id — are recorded while the failover waits for
 * them; a cleanup request is recorded for a completed test failover. Each is one transaction with the
 * event's id in {@code processed_events}, so a redelivered event changes nothing; a record that
 * changed triggers the {@link FailoverRunner}. Returns one word for the event log.
 */
public class FailoverInbox {

    static final String NOT_A_FINAL_SYNC = "not_a_final_sync";

    private final FailoverStore store;
    private final FailoverRunner runner;
    private final FailoverEvents events;
    private final FailoverPublisher publisher;

    public FailoverInbox(FailoverStore store, FailoverRunner runner, FailoverEvents events, FailoverPublisher publisher) {
        this.store = store;
        this.runner = runner;
        this.events = events;
        this.publisher = publisher;
    }

    /**
     * Has every unfinished failover driven again from its record (the runner's optimistic version and
     * idempotent steps make a second driver harmless): after a rebalance, those of a dead instance.
     */
    public void resumeUnfinished() {
        runner.resumeAll();
    }

    public String onAccepted(FailoverAccepted accepted) {
        String validation = "accepted by the decision: context " + accepted.getContextId() + ", last completed "
                + "replication job " + accepted.getLastSuccessfulJobId() + ", " + accepted.getVolumes().size()
                + " volume(s)";
        if (!store.isProcessed(accepted.getEventId())) {
            // The step events go out before the record, so none is lost if the service stops in between.
            publisher.publish(Topics.FAILOVER_STEP_CHANGED, accepted.getVmwareVmId(), events.stepChanged(
                    accepted.getFailoverId(), accepted.getVmwareVmId(), accepted.getContextId(), FailoverEvents.PROCESS,
                    FailoverStep.validation, StepStatus.completed, validation, accepted.getLastSuccessfulJobId()));
            for (FailoverStep skipped : FailoverRules.skippedSteps(accepted.getFailoverType())) {
                publisher.publish(Topics.FAILOVER_STEP_CHANGED, accepted.getVmwareVmId(), events.stepChanged(
                        accepted.getFailoverId(), accepted.getVmwareVmId(), accepted.getContextId(),
                        FailoverEvents.PROCESS, skipped, StepStatus.skipped,
                        FailoverStore.skippedMessage(accepted.getFailoverType()), null));
            }
        }
        String outcome = store.accept(accepted, validation);
        runner.trigger(accepted.getFailoverId());
        return outcome;
    }

    public String onJobStarted(JobStarted started) {
        if (started.getFailoverId() == null) {
            return NOT_A_FINAL_SYNC;
        }
        return store.finalSyncStarted(started);
    }

    public String onJobCompleted(JobCompleted completed) {
        if (completed.getFailoverId() == null) {
            return NOT_A_FINAL_SYNC;
        }
        return triggerIfRecorded(completed.getFailoverId(), store.finalSyncCompleted(completed));
    }

    public String onJobFailed(JobFailed failed) {
        if (failed.getFailoverId() == null) {
            return NOT_A_FINAL_SYNC;
        }
        String reason = "final sync job " + failed.getJobId() + " failed at " + failed.getStep() + " ("
                + failed.getReason() + "): " + failed.getMessage();
        return triggerIfRecorded(failed.getFailoverId(), store.finalSyncFailed(failed.getEventId(),
                failed.getFailoverId(), failed.getCorrelationId(), failed.getJobId(), reason));
    }

    public String onReplicationRejected(ReplicationRejected rejected) {
        if (rejected.getFailoverId() == null) {
            return NOT_A_FINAL_SYNC;
        }
        String reason = "the final sync request was refused (" + rejected.getReason() + "): " + rejected.getMessage();
        return triggerIfRecorded(rejected.getFailoverId(), store.finalSyncFailed(rejected.getEventId(),
                rejected.getFailoverId(), rejected.getCorrelationId(), null, reason));
    }

    public String onDiscoveryFailed(DiscoveryFailed failed) {
        if (failed.getFailoverId() == null) {
            return NOT_A_FINAL_SYNC;
        }
        String reason = "the final sync's discovery failed (" + failed.getReason() + "): " + failed.getMessage();
        return triggerIfRecorded(failed.getFailoverId(), store.finalSyncFailed(failed.getEventId(),
                failed.getFailoverId(), failed.getCorrelationId(), null, reason));
    }

    public String onCleanupRequested(FailoverCleanupRequested request) {
        return triggerIfRecorded(request.getFailoverId(), store.cleanupRequested(request));
    }

    private String triggerIfRecorded(String failoverId, String outcome) {
        if (FailoverStore.CHANGED.contains(outcome)) {
            runner.trigger(failoverId);
        }
        return outcome;
    }
}
