package io.migratekit.jobs.decision;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the decision's Kafka Streams application and of its duplicate-request memory
 * (environment: {@code MIGRATEKIT_STREAMS_APPLICATION_ID}, {@code MIGRATEKIT_STREAMS_STATE_DIR},
 * {@code MIGRATEKIT_STREAMS_THREADS}, {@code MIGRATEKIT_STREAMS_DECIDED_REQUEST_RETENTION}, ...).
 * The replication factor of its internal topics is the platform's {@code migratekit.topics.replication-factor}.
 */
@ConfigurationProperties("migratekit.streams")
public class StreamsProperties {

    /** The Streams application id: consumer group, transactional id prefix and internal topic prefix. */
    private String applicationId = "migratekit-job-service";
    /** Where the state stores live on local disk (one directory per application id inside). */
    private String stateDir = System.getProperty("java.io.tmpdir") + "/migratekit-job-service-streams";
    /** Stream threads of this instance. */
    private int threads = 1;
    /** How long a decided request id is remembered to drop duplicates. */
    private Duration decidedRequestRetention = Duration.ofHours(24);
    /** How often expired request ids are purged. */
    private Duration purgeInterval = Duration.ofMinutes(10);
    /** How long shutdown waits for the stream threads. */
    private Duration closeTimeout = Duration.ofSeconds(30);

    public String getApplicationId() {
        return applicationId;
    }

    public void setApplicationId(String applicationId) {
        this.applicationId = applicationId;
    }

    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

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

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }
}
