package io.migratekit.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.platform.PlatformProperties;
import io.migratekit.schemas.TopicSettings;
import io.migratekit.schemas.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

/**
 * The shared Streams application lifecycle against the real broker: the standard configuration,
 * health through start and stop, the client's metrics (consumer lag among them) in Micrometer, a
 * RocksDB store in the application's own memory pool, and a clean close that leaves the consumer group
 * at once and releases the pool.
 */
class StreamsAppTest {

    @Test
    void theStandardConfigurationIsExactlyOnceWithDeadLettersBoundedRocksDbAndLeavesTheGroupOnClose() {
        PlatformProperties platform = new PlatformProperties();
        platform.setServiceName("some-service");
        DeadLetterSink sink = record -> true;

        Map<String, Object> config = StreamsApp.standardConfig(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                "broker:9092"), platform, new StreamsProperties(), sink);

        assertThat(config).containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "migratekit-some-service")
                .containsEntry(StreamsConfig.CLIENT_ID_CONFIG, "some-service")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1)
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG,
                        System.getProperty("java.io.tmpdir") + "/migratekit-some-service-streams")
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1)
                .containsEntry("topic.min.insync.replicas", "1")
                .containsEntry("main.consumer.internal.leave.group.on.close", true)
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        StreamsDeadLetters.Deserialization.class)
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        StreamsDeadLetters.Processing.class)
                .containsEntry(StreamsDeadLetters.SINK_CONFIG, sink)
                .containsEntry(StreamsDeadLetters.SERVICE_CONFIG, "some-service")
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class)
                .hasSize(15);
        assertThat(config.get(BoundedRocksDbMemory.POOL_CONFIG)).isInstanceOfSatisfying(BoundedRocksDbMemory.Pool.class,
                pool -> assertThat(List.of(pool.totalBytes(), pool.writeBufferBytes()))
                        .containsExactly(64L * 1024 * 1024, 32L * 1024 * 1024));
    }

    @Test
    void everyStandardConfigurationHasItsOwnRocksDbMemoryPoolOfTheConfiguredSize() {
        // given
        PlatformProperties platform = new PlatformProperties();
        platform.setServiceName("some-service");
        StreamsProperties settings = new StreamsProperties();
        settings.setRocksdbMemory(DataSize.ofMegabytes(256));
        settings.setRocksdbWriteBufferRatio(0.25);

        // when
        Object first = StreamsApp.standardConfig(Map.of(), platform, settings, record -> true)
                .get(BoundedRocksDbMemory.POOL_CONFIG);
        Object second = StreamsApp.standardConfig(Map.of(), platform, settings, record -> true)
                .get(BoundedRocksDbMemory.POOL_CONFIG);

        // then
        assertThat(List.of(first, second)).allSatisfy(pool -> assertThat(pool).isInstanceOfSatisfying(
                BoundedRocksDbMemory.Pool.class, p -> assertThat(List.of(p.totalBytes(), p.writeBufferBytes()))
                        .containsExactly(256L * 1024 * 1024, 64L * 1024 * 1024)));
        assertThat(first).isNotSameAs(second);
    }

    @Test
    void runsReportsHealthAndLagAndLeavesItsGroupWhenStopped() throws Exception {
        // given
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        Map<String, Object> adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            TopicSettings.singleBroker(1).ensureTopics(admin, Duration.ofSeconds(30));
        }
        String key = "streams-app-test-" + UUID.randomUUID();
        List<String> seen = new CopyOnWriteArrayList<>();
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new ByteArrayDeserializer(),
                Topics.FAILOVER_CLEANUP_REQUESTED.name());
        topology.addProcessor("seen", () -> new SeenProcessor(seen), "source");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SEEN_STORE),
                Serdes.String(), Serdes.ByteArray()), "seen");
        PlatformProperties platform = new PlatformProperties();
        platform.setServiceName("streams-app-test");
        StreamsProperties settings = new StreamsProperties();
        settings.setApplicationId("streams-app-test-" + UUID.randomUUID());
        settings.setStateDir(Files.createTempDirectory("streams-app-test").toString());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, Object> config = StreamsApp.standardConfig(
                Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), platform, settings,
                record -> true);
        BoundedRocksDbMemory.Pool rocksDbMemory =
                (BoundedRocksDbMemory.Pool) config.get(BoundedRocksDbMemory.POOL_CONFIG);
        StreamsApp app = new StreamsApp("test streams", topology, config, Duration.ofSeconds(30), meters);
        StreamsAppHealthIndicator health = new StreamsAppHealthIndicator(app);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

        // when
        app.start();

        // then: running, UP, its lag in Micrometer, processing
        await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
        Health up = health.health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsExactlyInAnyOrderEntriesOf(
                Map.of("state", "RUNNING", "applicationId", settings.getApplicationId()));
        assertThat(meters.find("kafka.consumer.fetch.manager.records.lag.max").gauges()).isNotEmpty();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.FAILOVER_CLEANUP_REQUESTED.name(), key, new byte[] {1})).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.contains(key));
        // the store opened in this application's RocksDB memory pool
        assertThat(rocksDbMemory.cache()).isNotNull();

        // when
        app.stop();

        // then: stopped, DOWN, and the group is empty at once (no wait for the session timeout)
        assertThat(app.isRunning()).isFalse();
        assertThat(app.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        try (Admin admin = Admin.create(adminConfig)) {
            assertThat(admin.describeConsumerGroups(List.of(settings.getApplicationId())).all().get()
                    .get(settings.getApplicationId()).members()).isEmpty();
        }
        assertThat(meters.find("kafka.consumer.fetch.manager.records.lag.max").gauges()).isEmpty();
        assertThat(rocksDbMemory.cache()).isNull();
    }

    private static final String SEEN_STORE = "seen-store";

    /** Remembers every key in {@link #SEEN_STORE}, a RocksDB store, and in {@code seen}. */
    private static final class SeenProcessor implements Processor<String, byte[], Void, Void> {
        private final List<String> seen;
        private KeyValueStore<String, byte[]> store;

        SeenProcessor(List<String> seen) {
            this.seen = seen;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(SEEN_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            store.put(record.key(), record.value());
            seen.add(record.key());
        }
    }
}
