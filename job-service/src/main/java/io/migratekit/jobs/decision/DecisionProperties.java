package io.migratekit.jobs.decision;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The decision's own settings, its duplicate-request memory, under the Streams keys
 * (environment: {@code MIGRATEKIT_STREAMS_DECIDED_REQUEST_RETENTION},
 * {@code MIGRATEKIT_STREAMS_PURGE_INTERVAL}). The Streams application's settings (application id,
 * state directory, threads, close timeout) are the platform's
 * {@link io.migratekit.platform.streams.StreamsProperties} under the same prefix.
 */
@ConfigurationProperties("migratekit.streams")
public class DecisionProperties {

    /** How long a decided request id is remembered to drop duplicates. */
    private Duration decidedRequestRetention = Duration.ofHours(24);
    /** How often expired request ids are purged. */
    private Duration purgeInterval = Duration.ofMinutes(10);

    public Duration getDecidedRequestRetention() {
        return decidedRequestRetention;
    }

    public void setDecidedRequestRetention(Duration decidedRequestRetention) {
        this.decidedRequestRetention = decidedRequestRetention;
    }

    public Duration getPurgeInterval() {
        return purgeInterval;
    }

    public void setPurgeInterval(Duration purgeInterval) {
        this.purgeInterval = purgeInterval;
    }
}
