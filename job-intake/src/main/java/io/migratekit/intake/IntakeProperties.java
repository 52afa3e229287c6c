package io.migratekit.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * job-intake's own settings ({@code migratekit.intake.*}, environment {@code MIGRATEKIT_INTAKE_*}):
 * how long a synchronous request waits for its outcome, how long a publish may take, the body
 * size limit and the page sizes of the lists.
 */
@ConfigurationProperties("migratekit.intake")
public class IntakeProperties {

    /** How long POST /api/v1/replications waits for the outcome before answering 202. */
    private Duration outcomeTimeout = Duration.ofSeconds(60);
    /** How long a publish may take before the API answers 503. */
    private Duration publishTimeout = Duration.ofSeconds(5);
    /** Largest accepted request body. */
    private int maxBodyBytes = 1024 * 1024;
    private int defaultPageSize = 50;
    private int maxPageSize = 200;
    /** Client id of the replication client; defaults to the service name. */
    private String clientId;

    public Duration getOutcomeTimeout() {
        return outcomeTimeout;
    }

    public void setOutcomeTimeout(Duration outcomeTimeout) {
        this.outcomeTimeout = outcomeTimeout;
    }

    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        this.publishTimeout = publishTimeout;
    }

    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public int getDefaultPageSize() {
        return defaultPageSize;
    }

    public void setDefaultPageSize(int defaultPageSize) {
        this.defaultPageSize = defaultPageSize;
    }

    public int getMaxPageSize() {
        return maxPageSize;
    }

    public void setMaxPageSize(int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }
}
