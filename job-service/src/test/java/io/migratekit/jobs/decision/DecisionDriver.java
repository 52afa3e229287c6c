package io.migratekit.jobs.decision;

import static io.migratekit.jobs.testing.Events.T0;

import io.migratekit.events.ContextCreated;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverRejected;
import io.migratekit.events.JobCreated;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.VmContext;
import io.migratekit.events.VolumesSuperseded;
import io.migratekit.jobs.testing.MutableClock;
import io.migratekit.jobs.testing.SequenceIds;
import io.migratekit.platform.PlatformProperties;
import io.migratekit.platform.streams.DeadLetterSink;
import io.migratekit.platform.streams.StreamsApp;
import io.migratekit.platform.streams.StreamsProperties;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The decision topology in a {@link TopologyTestDriver}, with the real schema registry's serdes, a
 * test clock moved together with the driver's wall clock, predictable ids, the production Streams
 * configuration of the platform ({@link StreamsApp#standardConfig}), and the dead letters and decision
 * outcomes kept in lists. Reading an output drains it, so "nothing more" is an empty read.
 */
final class DecisionDriver implements AutoCloseable {

    /** Everything the topology emitted since the last drain, per output topic. */
    record Output(List<KeyValue<String, ContextCreated>> contextCreated, List<KeyValue<String, JobCreated>> jobCreated,
            List<KeyValue<String, ReplicationRejected>> rejected, List<KeyValue<String, FailoverAccepted>> failoverAccepted,
            List<KeyValue<String, FailoverRejected>> failoverRejected, List<KeyValue<String, VmContext>> contexts,
            List<KeyValue<String, VolumesSuperseded>> volumesSuperseded) {

        boolean isEmpty() {
            return all().stream().allMatch(List::isEmpty);
        }

        List<List<? extends KeyValue<String, ?>>> all() {
            return List.of(contextCreated, jobCreated, rejected, failoverAccepted, failoverRejected, contexts,
                    volumesSuperseded);
        }
    }

    final MutableClock clock = new MutableClock(T0);
    final List<ProducerRecord<byte[], byte[]>> deadLetters = new CopyOnWriteArrayList<>();
    /** Every decision's {@code <event type>/<outcome>}, in order. */
    final List<String> outcomes = new CopyOnWriteArrayList<>();
    private final RegistrySettings registry;
    private final Path stateDir;
    private final TopologyTestDriver driver;

    DecisionDriver(RegistrySettings registry) throws Exception {
        this.registry = registry;
        this.stateDir = Files.createTempDirectory("decision-test");
        DecisionSettings settings = new DecisionSettings(clock, new SequenceIds(), Duration.ofHours(24),
                Duration.ofMinutes(10));
        PlatformProperties platform = new PlatformProperties();
        platform.setServiceName("job-service");
        StreamsProperties streams = new StreamsProperties();
        streams.setApplicationId("decision-test-" + UUID.randomUUID());
        streams.setStateDir(stateDir.toString());
        Properties properties = new Properties();
        properties.putAll(StreamsApp.standardConfig(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"),
                platform, streams, (DeadLetterSink) deadLetters::add));
        driver = new TopologyTestDriver(VmContextTopology.build(registry, settings,
                (eventType, outcome) -> outcomes.add(eventType + "/" + outcome)), properties, T0);
    }

    /** Publishes {@code event} to {@code topic}, keyed by its VM id, at the test clock's time. */
    <V extends SpecificRecord> void pipe(Topic<V> topic, V event) {
        String key = String.valueOf(event.get(event.getSchema().getField("vmware_vm_id").pos()));
        pipe(topic, key, event);
    }

    <V extends SpecificRecord> void pipe(Topic<V> topic, String key, V event) {
        driver.createInputTopic(topic.name(), new StringSerializer(), topic.valueSerde(registry).serializer())
                .pipeInput(key, event, clock.instant());
    }

    void pipeRaw(Topic<?> topic, String key, byte[] value) {
        driver.createInputTopic(topic.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(key, value, clock.instant());
    }

    /** Moves the test clock and the driver's wall clock (punctuators run). */
    void advance(Duration duration) {
        clock.advance(duration);
        driver.advanceWallClockTime(duration);
    }

    Output drain() {
        return new Output(read(Topics.CONTEXT_CREATED), read(Topics.JOB_CREATED), read(Topics.REPLICATION_REJECTED),
                read(Topics.FAILOVER_ACCEPTED), read(Topics.FAILOVER_REJECTED), read(Topics.VM_CONTEXTS),
                read(Topics.VOLUMES_SUPERSEDED));
    }

    KeyValueStore<String, VmContext> contextStore() {
        return driver.getKeyValueStore(VmContextTopology.CONTEXT_STORE);
    }

    KeyValueStore<String, Long> decidedRequests() {
        return driver.getKeyValueStore(VmContextTopology.DECIDED_REQUESTS_STORE);
    }

    private <V extends SpecificRecord> List<KeyValue<String, V>> read(Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), topic.valueSerde(registry).deserializer())
                .readKeyValuesToList();
    }

    @Override
    public void close() throws Exception {
        driver.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
