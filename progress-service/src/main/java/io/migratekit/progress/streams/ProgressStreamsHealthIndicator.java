package io.migratekit.progress.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** UP only while the progress streams are RUNNING or REBALANCING; reports the state either way. */
public final class ProgressStreamsHealthIndicator extends AbstractHealthIndicator {

    private final ProgressStreams streams;

    public ProgressStreamsHealthIndicator(ProgressStreams streams) {
        super("Progress streams state unknown");
        this.streams = streams;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        KafkaStreams.State state = streams.state();
        boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        (up ? builder.up() : builder.down()).withDetail("state", state.name());
    }
}
