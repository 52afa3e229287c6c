package io.migratekit.platform.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while a {@link StreamsApp} is RUNNING, or REBALANCING after it has been running (a rebalance of a
 * live instance is normal); DOWN before the first RUNNING and once it stops or fails. Reports the
 * state and the application id either way.
 */
public class StreamsAppHealthIndicator extends AbstractHealthIndicator {

    private final StreamsApp streams;

    public StreamsAppHealthIndicator(StreamsApp streams) {
        super("The streams application's state is unknown");
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
