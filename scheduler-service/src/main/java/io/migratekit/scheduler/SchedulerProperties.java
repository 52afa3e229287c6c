package io.migratekit.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** scheduler-service's own settings ({@code migratekit.scheduler.*}, environment {@code MIGRATEKIT_SCHEDULER_*}). */
@ConfigurationProperties("migratekit.scheduler")
public class SchedulerProperties {

    /** Consumer group of the command listener (shared by every instance); job events use {@code <group-id>-<instance-id>}. */
    private String groupId = "scheduler-service";
    /**
     * This instance's stable name: the executions it claims are its own, and it resumes them after a
     * restart. Two instances running at once need two names.
     */
    private String instanceId = "scheduler-1";
    /** How often due cron times are looked for. */
    private Duration tickInterval = Duration.ofSeconds(1);
    /** A cron time missed (the service was down) runs at start when at most this old; older ones are recorded as skipped. */
    private Duration missedGrace = Duration.ofMinutes(10);
    /** At most this many missed times of one schedule are recorded at once (the newest). */
    private int maxMissedRecorded = 100;
    /** The length of one minute of a schedule's retry_delay_minutes: one minute in production, shorter in tests. */
    private Duration retryDelayUnit = Duration.ofMinutes(1);
    /** How long a request's outcome is waited for before the job events alone are relied on. */
    private Duration outcomeWait = Duration.ofSeconds(60);
    /** How long a request that could not be published waits before it is published again. */
    private Duration republishBackoff = Duration.ofSeconds(5);
    /** How long the broker may take to acknowledge an event. */
    private Duration publishTimeout = Duration.ofSeconds(30);

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Duration getTickInterval() {
        return tickInterval;
    }

    public void setTickInterval(Duration tickInterval) {
        this.tickInterval = tickInterval;
    }

    public Duration getMissedGrace() {
        return missedGrace;
    }

    public void setMissedGrace(Duration missedGrace) {
        this.missedGrace = missedGrace;
    }

    public int getMaxMissedRecorded() {
        return maxMissedRecorded;
    }

    public void setMaxMissedRecorded(int maxMissedRecorded) {
        this.maxMissedRecorded = maxMissedRecorded;
    }

    public Duration getRetryDelayUnit() {
        return retryDelayUnit;
    }

    public void setRetryDelayUnit(Duration retryDelayUnit) {
        this.retryDelayUnit = retryDelayUnit;
    }

    public Duration getOutcomeWait() {
        return outcomeWait;
    }

    public void setOutcomeWait(Duration outcomeWait) {
        this.outcomeWait = outcomeWait;
    }

    public Duration getRepublishBackoff() {
        return republishBackoff;
    }

    public void setRepublishBackoff(Duration republishBackoff) {
        this.republishBackoff = republishBackoff;
    }

    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        this.publishTimeout = publishTimeout;
    }
}
