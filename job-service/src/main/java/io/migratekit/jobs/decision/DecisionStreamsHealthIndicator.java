package io.migratekit.jobs.decision;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while the decision's Kafka Streams application is RUNNING, or REBALANCING after it has been
 * running (a rebalance of a live instance is normal); DOWN before the first RUNNING and once it
 * stops or fails.
 */
public class DecisionStreamsHealthIndicator extends AbstractHealthIndicator {

    private final DecisionStreams streams;

    public DecisionStreamsHealthIndicator(DecisionStreams streams) {
        super("The decision streams application is not running");
        this.streams = streams;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        KafkaStreams.State state = streams.state();
        boolean up = state == KafkaStreams.State.RUNNING
                || state == KafkaStreams.State.REBALANCING && streams.hasBeenRunning();
        (up ? builder.up() : builder.down())
                .withDetail("state", state.name())
                .withDetail("applicationId", streams.applicationId());
    }
}
