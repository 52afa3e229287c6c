package io.migratekit.progress;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How progress-service follows jobs ({@code migratekit.progress.*}, each overridable by environment,
 * e.g. {@code MIGRATEKIT_PROGRESS_POLL_INTERVAL=5s}). Its Kafka Streams settings are
 * {@link io.migratekit.platform.streams.StreamsProperties}, Kafka's address is {@code spring.kafka.*},
 * the VMA's {@code migratekit.vma.url}.
 */
@ConfigurationProperties("migratekit.progress")
public class ProgressProperties {

    /** Time between two polls of one job. */
    private Duration pollInterval = Duration.ofSeconds(2);
    /** How long the VMA may answer 404 for a job before the job fails (VMA_JOB_NOT_FOUND). */
    private Duration notFoundGrace = Duration.ofSeconds(30);
    /** Failed polls in a row that fail the job (VMA_UNREACHABLE). */
    private int maxConsecutiveFailures = 5;
    /** Longest wait between two failed polls of one job. */
    private Duration failureBackoffMax = Duration.ofSeconds(30);
    /** How long the VMA may report no progress before the job fails (STALLED). */
    private Duration stallTimeout = Duration.ofMinutes(10);
    /** How long a job the VMA reports fully copied waits for missing change ids before it completes without them. */
    private Duration changeIdWait = Duration.ofSeconds(60);
    /** Deadline of one progress request. */
    private Duration pollTimeout = Duration.ofSeconds(5);
    /** Progress requests in flight at once, over all jobs of this instance. */
    private int maxInFlight = 64;
    /** Threads that complete VMA responses (shared by all polls). */
    private int httpThreads = 2;
    /** How often each stream task starts due polls and applies their outcomes. */
    private Duration tick = Duration.ofMillis(100);
    /** How long an ended job is remembered, so duplicates of its events change nothing. */
    private Duration endedRetention = Duration.ofDays(7);
    /** How often ended jobs past the retention are forgotten. */
    private Duration purgeInterval = Duration.ofMinutes(10);

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getNotFoundGrace() {
        return notFoundGrace;
    }

    public void setNotFoundGrace(Duration notFoundGrace) {
        this.notFoundGrace = notFoundGrace;
    }

    public int getMaxConsecutiveFailures() {
        return maxConsecutiveFailures;
    }

    public void setMaxConsecutiveFailures(int maxConsecutiveFailures) {
        this.maxConsecutiveFailures = maxConsecutiveFailures;
    }

    public Duration getFailureBackoffMax() {
        return failureBackoffMax;
    }

    public void setFailureBackoffMax(Duration failureBackoffMax) {
        this.failureBackoffMax = failureBackoffMax;
    }

    public Duration getStallTimeout() {
        return stallTimeout;
    }

    public void setStallTimeout(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    public Duration getChangeIdWait() {
        return changeIdWait;
    }

    public void setChangeIdWait(Duration changeIdWait) {
        this.changeIdWait = changeIdWait;
    }

    public Duration getPollTimeout() {
        return pollTimeout;
    }

    public void setPollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public int getHttpThreads() {
        return httpThreads;
    }

    public void setHttpThreads(int httpThreads) {
        this.httpThreads = httpThreads;
    }

    public Duration getTick() {
        return tick;
    }

    public void setTick(Duration tick) {
        this.tick = tick;
    }

    public Duration getEndedRetention() {
        return endedRetention;
    }

    public void setEndedRetention(Duration endedRetention) {
        this.endedRetention = endedRetention;
    }

    public Duration getPurgeInterval() {
        return purgeInterval;
    }

    public void setPurgeInterval(Duration purgeInterval) {
        this.purgeInterval = purgeInterval;
    }
}
