package io.migratekit.progress.streams;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the progress topology as one {@link KafkaStreams} instance for the life of the Spring context:
 * started after every bean is ready, closed first on shutdown (a clean close commits and leaves the
 * group, so a restart or another instance resumes at once exactly where this one stopped). A stream
 * thread that dies is replaced. Owns the
 * instance and its state; not the topology nor its configuration.
 */
public final class ProgressStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProgressStreams.class);

    private final Topology topology;
    private final Map<String, Object> config;
    private final Duration closeTimeout;
    private volatile KafkaStreams streams;

    public ProgressStreams(Topology topology, Map<String, Object> config, Duration closeTimeout) {
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
        KafkaStreams instance = new KafkaStreams(topology, properties);
        instance.setStateListener((now, before) -> log.info("progress streams {} -> {}", before, now));
        instance.setUncaughtExceptionHandler(exception -> {
            log.error("a progress stream thread died; replacing it: {}", exception.toString(), exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        instance.start();
        streams = instance;
    }

    @Override
    public synchronized void stop() {
        KafkaStreams instance = streams;
        if (instance == null) {
            return;
        }
        streams = null;
        if (!instance.close(closeTimeout)) {
            log.warn("progress streams did not close within {}", closeTimeout);
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** The Kafka Streams state, or {@link KafkaStreams.State#NOT_RUNNING} when not started. */
    public KafkaStreams.State state() {
        KafkaStreams instance = streams;
        return instance == null ? KafkaStreams.State.NOT_RUNNING : instance.state();
    }

    /** The running instance, for queries by tests and tools; null when not started. */
    public KafkaStreams streams() {
        return streams;
    }
}
