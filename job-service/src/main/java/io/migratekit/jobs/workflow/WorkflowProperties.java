package io.migratekit.jobs.workflow;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the migration workflow (environment: {@code MIGRATEKIT_WORKFLOW_GROUP_ID},
 * {@code MIGRATEKIT_WORKFLOW_CONSUMERS}, {@code MIGRATEKIT_WORKFLOW_BATCH_SIZE},
 * {@code MIGRATEKIT_WORKFLOW_CONCURRENCY}, {@code MIGRATEKIT_WORKFLOW_PUBLISH_TIMEOUT},
 * {@code MIGRATEKIT_WORKFLOW_VMA_NO_JOB_GRACE}). The VMA's
 * address, call deadline and vCenter logins are the platform's {@code migratekit.vma.*}.
 */
@ConfigurationProperties("migratekit.workflow")
public class WorkflowProperties {

    /** Consumer group of the JobCreated listener. */
    private String groupId = "job-service-workflow";
    /** Listener consumers (each takes some partitions of the topic). */
    private int consumers = 2;
    /** Most JobCreated records one consumer takes per batch. */
    private int batchSize = 50;
    /** Most job workflows running at once. */
    private int concurrency = 16;
    /** How long the broker may take to acknowledge a job's result. */
    private Duration publishTimeout = Duration.ofSeconds(30);
    /**
     * After a replicate call that got no answer: how long the VMA must keep answering 404 for the job
     * before its new volumes are removed (a VMA may not show a job it accepted a moment ago).
     */
    private Duration vmaNoJobGrace = Duration.ofSeconds(30);

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

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        this.publishTimeout = publishTimeout;
    }

    public Duration getVmaNoJobGrace() {
        return vmaNoJobGrace;
    }

    public void setVmaNoJobGrace(Duration vmaNoJobGrace) {
        this.vmaNoJobGrace = vmaNoJobGrace;
    }
}
