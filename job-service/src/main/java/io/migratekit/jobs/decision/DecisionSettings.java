package io.migratekit.jobs.decision;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the decision topology needs besides its serdes: the clock that stamps its events, the source
 * of new ids, and how long a decided request id is remembered to drop duplicates (and how often the
 * forgotten ones are purged).
 *
 * @param clock                    stamps {@code occurred_at}, {@code updated_at} and the decided-request entries
 * @param ids                      new event, job and context ids
 * @param decidedRequestRetention  how long a decided request id is remembered
 * @param purgeInterval            how often (wall-clock) expired request ids are purged
 */
public record DecisionSettings(Clock clock, IdSource ids, Duration decidedRequestRetention, Duration purgeInterval) {

    public DecisionSettings {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ids, "ids");
        if (decidedRequestRetention == null || decidedRequestRetention.isNegative() || decidedRequestRetention.isZero()) {
            throw new IllegalArgumentException("the decided-request retention must be positive");
        }
        if (purgeInterval == null || purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalArgumentException("the purge interval must be positive");
        }
    }

    /** Production settings: the UTC system clock, standard ids. */
    public static DecisionSettings standard(Duration decidedRequestRetention, Duration purgeInterval) {
        return new DecisionSettings(Clock.systemUTC(), IdSource.standard(), decidedRequestRetention, purgeInterval);
    }
}
