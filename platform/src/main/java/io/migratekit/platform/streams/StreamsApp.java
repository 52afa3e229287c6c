package io.migratekit.platform.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.migratekit.platform.PlatformProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * Runs one service's topology as a Kafka Streams application for as long as the Spring context lives:
 * builds {@link KafkaStreams} on start with the pipeline's standard configuration
 * ({@link #standardConfig}: exactly-once v2, dead-letter handlers, leaving the group on close, RocksDB
 * memory bounded per application), logs
 * every state change, replaces a stream thread that dies of an unexpected error, binds the client's
 * metrics (consumer lag {@code records-lag-max} among them) to Micrometer through spring-kafka's
 * {@link KafkaStreamsMicrometerListener} (tagged {@code spring.id=<application id>}, the same tag keys as
 * the listeners' consumers, which Prometheus requires of one meter name), and closes cleanly (state
 * flushed, transactions ended, group left, the application's RocksDB memory pool released) on stop.
 * Owns the {@link KafkaStreams} instance and its state as {@link StreamsAppHealthIndicator} reads it; not
 * the topology nor the service's settings.
 */
public class StreamsApp implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

    private final String name;
    private final Topology topology;
    private final Map<String, Object> config;
    private final Duration closeTimeout;
    private final KafkaStreamsMicrometerListener metrics;
    private final AtomicBoolean runningOnce = new AtomicBoolean();
    private volatile KafkaStreams streams;

    /**
     * @param name         what the application does, for the log ("decision streams")
     * @param config       the complete Streams configuration, see {@link #standardConfig}
     * @param closeTimeout how long stop waits for the stream threads
     * @param meters       where the client's metrics are bound; null binds none
     */
    public StreamsApp(String name, Topology topology, Map<String, Object> config, Duration closeTimeout,
            MeterRegistry meters) {
        this.name = name;
        this.topology = topology;
        this.config = Map.copyOf(config);
        this.closeTimeout = closeTimeout;
        this.metrics = meters == null ? null : new KafkaStreamsMicrometerListener(meters);
    }

    /**
     * The pipeline's Streams configuration: Spring's {@code spring.kafka.*} client settings, then the
     * application id, state directory and threads, exactly-once v2, internal topics replicated like
     * the platform's topics, the dead-letter handlers with their sink and this service's name, and
     * {@link BoundedRocksDbMemory} with this application's own pool of {@code rocksdb-memory}.
     *
     * @param kafka the service's Streams client settings ({@code KafkaProperties.buildStreamsProperties()})
     */
    public static Map<String, Object> standardConfig(Map<String, Object> kafka, PlatformProperties platform,
            StreamsProperties streams, DeadLetterSink deadLetters) {
        String service = platform.getServiceName();
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, streams.applicationId(service));
        config.putIfAbsent(StreamsConfig.CLIENT_ID_CONFIG, service);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streams.getThreads());
        config.put(StreamsConfig.STATE_DIR_CONFIG, streams.stateDir(service));
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) platform.getTopics().getReplicationFactor());
        config.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(platform.getTopics().getMinInsyncReplicas()));
        // Leave the group on a clean close, so a restarted (or another) instance takes over at once
        // instead of after the session timeout: Kafka Streams 4.1 forces this consumer setting off and
        // its CloseOptions.leaveGroup acts on static members only.
        config.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.Deserialization.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.Processing.class);
        config.put(StreamsDeadLetters.SINK_CONFIG, deadLetters);
        config.put(StreamsDeadLetters.SERVICE_CONFIG, service);
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        config.put(BoundedRocksDbMemory.POOL_CONFIG, new BoundedRocksDbMemory.Pool(
                streams.getRocksdbMemory().toBytes(), streams.getRocksdbWriteBufferRatio()));
        return config;
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
            log.info("{} {} -> {}", name, previous, next);
        });
        created.setUncaughtExceptionHandler(exception -> {
            log.error("a stream thread of the {} died; replacing it: {}", name, exception.toString(), exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        if (metrics != null) {
            metrics.streamsAdded(applicationId(), created);
        }
        created.start();
        streams = created;
    }

    @Override
    public synchronized void stop() {
        KafkaStreams running = streams;
        if (running == null) {
            return;
        }
        streams = null;
        if (!running.close(new KafkaStreams.CloseOptions().timeout(closeTimeout))) {
            log.warn("{} did not close within {}", name, closeTimeout);
        }
        // Stores a timed-out close left open keep RocksDB's native cache themselves; a new start makes a new one.
        if (config.get(BoundedRocksDbMemory.POOL_CONFIG) instanceof BoundedRocksDbMemory.Pool pool) {
            pool.close();
        }
        if (metrics != null) {
            metrics.streamsRemoved(applicationId(), running);
        }
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

    /** The running instance, for queries by tests and tools; null when not started. */
    public KafkaStreams streams() {
        return streams;
    }
}
