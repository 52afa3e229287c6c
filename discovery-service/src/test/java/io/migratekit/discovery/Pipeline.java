package io.migratekit.discovery;

import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;

/**
 * The tests' view of the pipeline on the shared broker and registry: sends requests (Avro, or raw
 * bytes for poison records), waits until the service's consumer group has committed everything
 * sent, and reads a topic up to its current end. Owns its clients; not the broker.
 */
final class Pipeline implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);

    private final SharedTestInfrastructure infra;
    private final RegistrySettings registry;
    private final KafkaProducer<String, Object> producer;
    private final KafkaProducer<byte[], byte[]> rawProducer;
    private final Admin admin;

    Pipeline(SharedTestInfrastructure infra) {
        this.infra = infra;
        this.registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        Map<String, Object> avro = registry.producerSerdeConfig();
        avro.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        avro.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(avro);
        this.rawProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()));
    }

    /** Sends a record to a topic of the pipeline and waits for the broker's acknowledgement. */
    <V extends SpecificRecord> void send(Topic<V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
    }

    /** Sends several records without waiting in between, then waits for all acknowledgements. */
    <V extends SpecificRecord> void sendAll(Topic<V> topic, List<V> values, Function<V, String> key)
            throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        for (V value : values) {
            sent.add(producer.send(new ProducerRecord<>(topic.name(), key.apply(value), value)));
        }
        for (Future<?> ack : sent) {
            ack.get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends raw bytes (a record no Avro reader understands). */
    void sendRaw(String topic, String key, byte[] value) throws Exception {
        rawProducer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                .get(30, TimeUnit.SECONDS);
    }

    /** Waits until the group has committed every record now on the topic (bounded). */
    void awaitCommitted(String group, String topic) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(topic);
        Awaitility.await("group " + group + " commits everything on " + topic).atMost(WAIT)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    Map<TopicPartition, OffsetAndMetadata> committed =
                            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                    return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                            || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
                });
    }

    /** Every Avro record now on the topic whose value passes the filter, read from the beginning. */
    <V extends SpecificRecord> List<V> read(Topic<V> topic, Predicate<V> filter) throws Exception {
        Map<String, Object> config = new HashMap<>(registry.consumerSerdeConfig());
        List<V> found = new ArrayList<>();
        for (ConsumerRecord<Object, Object> record : readAll(topic.name(), config)) {
            V value = topic.valueType().cast(record.value());
            if (filter.test(value)) {
                found.add(value);
            }
        }
        return found;
    }

    /** Every record now on the topic, as bytes. */
    List<ConsumerRecord<Object, Object>> readRaw(String topic) throws Exception {
        return readAll(topic, Map.of(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    private List<ConsumerRecord<Object, Object>> readAll(String topic, Map<String, Object> serdes) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(topic);
        Map<String, Object> config = new HashMap<>(serdes);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<Object, Object>> records = new ArrayList<>();
        try (KafkaConsumer<Object, Object> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(end.keySet());
            consumer.seekToBeginning(end.keySet());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var partition : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
            latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : admin.listOffsets(latest).all().get().entrySet()) {
            end.put(e.getKey(), e.getValue().offset());
        }
        return end;
    }

    @Override
    public void close() {
        producer.close();
        rawProducer.close();
        admin.close();
    }
}
