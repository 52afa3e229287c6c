package io.migratekit.jobs.decision;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the decision topology as a Kafka Streams application for as long as the Spring context lives:
 * builds {@link KafkaStreams} on start, replaces a stream thread that dies of an unexpected error,
 * closes cleanly (state flushed, transactions ended) on stop. Owns the {@link KafkaStreams} instance
 * and its state as the health indicator reads it; not the topology nor its configuration.
 */
public class DecisionStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DecisionStreams.class);

    private final Topology topology;
    private final Map<String, Object> config;
    private final Duration closeTimeout;
    private final AtomicBoolean runningOnce = new AtomicBoolean();
    private volatile KafkaStreams streams;

    public DecisionStreams(Topology topology, Map<String, Object> config, Duration closeTimeout) {
        this.topology = topology;
        this.config = Map.copyOf(config);
        this.closeTimeout = closeTimeout;
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        Properties properties = new Properties();
        properties.putAll(config);
        KafkaStreams created = new KafkaStreams(topology, properties);
        created.setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.RUNNING) {
                runningOnce.set(true);
            }
            log.info("decision streams {} -> {}", previous, next);
        });
        created.setUncaughtExceptionHandler(exception -> {
            log.error("a decision stream thread died; replacing it", exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.start();
        streams = created;
    }

    @Override
    public synchronized void stop() {
        KafkaStreams running = streams;
        if (running == null) {
            return;
        }
        if (!running.close(new KafkaStreams.CloseOptions().timeout(closeTimeout))) {
            log.warn("decision streams did not close within {}", closeTimeout);
        }
        streams = null;
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** The Streams state, or {@link KafkaStreams.State#NOT_RUNNING} when stopped. */
    public KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.NOT_RUNNING : current.state();
    }

    /** Whether the application reached RUNNING at least once since it started. */
    public boolean hasBeenRunning() {
        return runningOnce.get();
    }

    public String applicationId() {
        return String.valueOf(config.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }
}
