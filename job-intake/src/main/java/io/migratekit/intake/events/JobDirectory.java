package io.migratekit.intake.events;

import io.migratekit.intake.readmodel.ReadModel;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds a job by id without depending on the read-model projector's lag: first among the jobs the
 * live feed saw created, then in the read model, and, when asked to, waits a bounded time for it to
 * appear in either (a VMA callback may overtake the projector). Owns only that lookup.
 */
public class JobDirectory {

    static final Duration RECHECK = Duration.ofMillis(100);

    private final LiveJobEvents feed;
    private final ReadModel readModel;

    public JobDirectory(LiveJobEvents feed, ReadModel readModel) {
        this.feed = feed;
        this.readModel = readModel;
    }

    /** The job, waiting up to {@code wait} for it to become known; empty when it did not. */
    public Optional<KnownJob> find(String jobId, Duration wait) {
        return find(jobId, wait, job -> true);
    }

    /**
     * The job, waiting up to {@code wait} for it to become known as {@code complete} wants it (the
     * read model may show a job before all its disks); the job as last seen, or empty, after that.
     */
    public Optional<KnownJob> find(String jobId, Duration wait, Predicate<KnownJob> complete) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<KnownJob> job = feed.recentJob(jobId).or(() -> readModel.knownJob(jobId));
            long left = deadline - System.nanoTime();
            if (job.filter(complete).isPresent() || left <= 0) {
                return job;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(RECHECK.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Whether the read model shows the job as ended (completed or failed). */
    public boolean ended(String jobId) {
        return readModel.jobEnded(jobId);
    }
}
