package io.migratekit.progress;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of progress-service's Kafka Streams application, under the same {@code migratekit.streams.*}
 * keys as every Streams service of the pipeline (environment: {@code MIGRATEKIT_STREAMS_APPLICATION_ID},
 * {@code MIGRATEKIT_STREAMS_STATE_DIR}, {@code MIGRATEKIT_STREAMS_THREADS},
 * {@code MIGRATEKIT_STREAMS_CLOSE_TIMEOUT}). The replication factor of its internal topics is the
 * platform's {@code migratekit.topics.replication-factor}.
 */
@ConfigurationProperties("migratekit.streams")
public class StreamsProperties {

    /** The Streams application id: consumer group, transactional id prefix and internal topic prefix. */
    private String applicationId = "migratekit-progress-service";
    /**
     * Where the followed-jobs store lives on local disk (one directory per application id inside); the
     * changelog restores it when lost, a persistent directory only makes restarts faster.
     */
    private String stateDir = System.getProperty("java.io.tmpdir") + "/migratekit-progress-service-streams";
    /** Stream threads of this instance. */
    private int threads = 1;
    /** How long shutdown waits for Kafka Streams to close cleanly. */
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

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }
}
