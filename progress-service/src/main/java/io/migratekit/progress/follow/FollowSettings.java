package io.migratekit.progress.follow;

import java.time.Duration;
import java.util.Objects;

/**
 * The time limits and thresholds the follow rules decide with. A value, validated on creation;
 * it owns no clock and reads no configuration (the service binds {@code migratekit.progress.*}).
 *
 * @param pollInterval           time between two polls of one job
 * @param notFoundGrace          how long the VMA may answer 404 for a job before it fails
 * @param maxConsecutiveFailures failed polls in a row (unreachable, timeout, HTTP error) that fail the job
 * @param failureBackoffMax      the longest wait between two failed polls (the backoff doubles up to it)
 * @param stallTimeout           how long the VMA may report no progress at all before the job fails
 * @param changeIdWait           how long a job the VMA reports fully copied may wait for missing change ids
 */
public record FollowSettings(Duration pollInterval, Duration notFoundGrace, int maxConsecutiveFailures,
        Duration failureBackoffMax, Duration stallTimeout, Duration changeIdWait) {

    public FollowSettings {
        positive(pollInterval, "pollInterval");
        notNegative(notFoundGrace, "notFoundGrace");
        positive(failureBackoffMax, "failureBackoffMax");
        positive(stallTimeout, "stallTimeout");
        notNegative(changeIdWait, "changeIdWait");
        if (maxConsecutiveFailures < 1) {
            throw new IllegalArgumentException("maxConsecutiveFailures must be at least 1");
        }
    }

    /** The documented defaults: 2 s interval, 30 s grace, 5 failures, 30 s max backoff, 10 min stall, 60 s wait. */
    public static FollowSettings defaults() {
        return new FollowSettings(Duration.ofSeconds(2), Duration.ofSeconds(30), 5, Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofSeconds(60));
    }

    /** The wait before the next poll after {@code failures} failed polls in a row: interval × 2^failures, capped. */
    public long backoffMillis(int failures) {
        long base = pollInterval.toMillis();
        int doublings = Math.min(Math.max(failures, 0), 20);
        return Math.min(base << doublings, Math.max(failureBackoffMax.toMillis(), base));
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
