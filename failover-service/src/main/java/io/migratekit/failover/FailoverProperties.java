package io.migratekit.failover;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * failover-service's own settings ({@code migratekit.failover.*}, environment
 * {@code MIGRATEKIT_FAILOVER_*}). The VMA's address, call deadline and vCenter logins are the
 * platform's {@code migratekit.vma.*}; the target platform is {@code migratekit.cloudstack.*}.
 */
@ConfigurationProperties("migratekit.failover")
public class FailoverProperties {

    /** Consumer group of the failover listener. */
    private String groupId = "failover-service";
    /** Listener consumers (each takes some partitions of the topics). */
    private int consumers = 1;
    /** Threads running the blocking steps (VMA power calls, CloudStack calls); failovers beyond wait their turn. */
    private int workers = 8;
    /** How long a source VM may take to report poweredOff after the power-off call. */
    private Duration powerOffConfirmTimeout = Duration.ofSeconds(120);
    /** How often the power state is asked while waiting for it. */
    private Duration powerStatePollInterval = Duration.ofSeconds(2);
    /**
     * The length of one minute of a request's {@code final_sync_deadline_minutes}. Always one minute
     * in production; tests of the deadline shorten it.
     */
    private Duration finalSyncDeadlineUnit = Duration.ofMinutes(1);
    /** How long the target VM step waits for the VM's size to appear in the read model before it fails. */
    private Duration sizingWait = Duration.ofSeconds(60);
    /** How long a step waits before it tries again after an unexpected error (database, broker). */
    private Duration retryBackoff = Duration.ofSeconds(5);
    /** How long the broker may take to acknowledge an event. */
    private Duration publishTimeout = Duration.ofSeconds(30);

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public int getConsumers() {
        return consumers;
    }

    public void setConsumers(int consumers) {
        this.consumers = consumers;
    }

    public int getWorkers() {
        return workers;
    }

    public void setWorkers(int workers) {
        this.workers = workers;
    }

    public Duration getPowerOffConfirmTimeout() {
        return powerOffConfirmTimeout;
    }

    public void setPowerOffConfirmTimeout(Duration powerOffConfirmTimeout) {
        this.powerOffConfirmTimeout = powerOffConfirmTimeout;
    }

    public Duration getPowerStatePollInterval() {
        return powerStatePollInterval;
    }

    public void setPowerStatePollInterval(Duration powerStatePollInterval) {
        this.powerStatePollInterval = powerStatePollInterval;
    }

    public Duration getFinalSyncDeadlineUnit() {
        return finalSyncDeadlineUnit;
    }

    public void setFinalSyncDeadlineUnit(Duration finalSyncDeadlineUnit) {
        this.finalSyncDeadlineUnit = finalSyncDeadlineUnit;
    }

    public Duration getSizingWait() {
        return sizingWait;
    }

    public void setSizingWait(Duration sizingWait) {
        this.sizingWait = sizingWait;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        this.publishTimeout = publishTimeout;
    }
}
