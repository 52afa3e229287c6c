package io.migratekit.discovery;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of discovery-service beyond the shared ones ({@code migratekit.vma.*} holds the VMA, its
 * discovery deadline and the vCenter logins). Environment: {@code MIGRATEKIT_DISCOVERY_MAX_IN_FLIGHT},
 * {@code MIGRATEKIT_DISCOVERY_MAX_NAMES_PER_CALL}, {@code MIGRATEKIT_DISCOVERY_PUBLISH_TIMEOUT},
 * {@code MIGRATEKIT_DISCOVERY_CONSUMER_GROUP}.
 */
@ConfigurationProperties("migratekit.discovery")
public class DiscoveryProperties {

    /** Most VMA discovery calls running at once, over all listener threads. */
    private int maxInFlight = 64;
    /** Most VM names one VMA discovery call asks for (requests of a batch with the same target share calls). */
    private int maxNamesPerCall = 50;
    /** How long the broker may take to acknowledge a batch's outcomes after the last discovery's deadline. */
    private Duration publishTimeout = Duration.ofSeconds(45);
    /** Consumer group of the replication-request listener. */
    private String consumerGroup = "discovery-service";

    public int getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public int getMaxNamesPerCall() {
        return maxNamesPerCall;
    }

    public void setMaxNamesPerCall(int maxNamesPerCall) {
        this.maxNamesPerCall = maxNamesPerCall;
    }

    public Duration getPublishTimeout() {
        return publishTimeout;
    }

    public void setPublishTimeout(Duration publishTimeout) {
        this.publishTimeout = publishTimeout;
    }

    public String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }
}
