package io.migratekit.failover.process;

/**
 * Where a failover is as a whole ({@code failover_jobs.status}): running its steps, ended
 * (completed or failed), or — a completed test failover only — being cleaned up and cleaned up.
 */
public enum ProcessStatus {
    running,
    completed,
    failed,
    cleaning_up,
    cleaned_up;

    /** Whether the process still has something to do. */
    public boolean isActive() {
        return this == running || this == cleaning_up;
    }
}
