package io.migratekit.failover.process;

import io.migratekit.events.FailoverStep;
import io.migratekit.events.StepStatus;
import java.time.Instant;

/**
 * One recorded step of a failover ({@code job_steps}): when it started, how it ended, and the
 * replication job it concerns (the final sync).
 */
public record StepRecord(FailoverStep step, int seq, StepStatus status, String message, String jobId,
        Instant startedAt, Instant completedAt) {

    public boolean isOpen() {
        return status == StepStatus.started;
    }
}
