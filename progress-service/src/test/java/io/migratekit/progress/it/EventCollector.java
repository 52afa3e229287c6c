package io.migratekit.progress.it;

import io.migratekit.schemas.RegistrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics in the background (read_committed, from the beginning) and keeps every record, so a
 * test can wait for and inspect what the service wrote. One consumer thread per collector.
 */
final class EventCollector<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> records = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private EventCollector(String bootstrapServers, Map<String, Object> serdeConfig, Deserializer<V> values,
            List<String> topics) {
        Map<String, Object> config = new HashMap<>(serdeConfig);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "progress-it-collector-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), values);
        consumer.subscribe(topics);
        thread = new Thread(this::run, "progress-it-collector");
        thread.setDaemon(true);
        thread.start();
    }

    /** Collects Avro events of the pipeline's topics. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static EventCollector<SpecificRecord> events(String bootstrapServers, RegistrySettings registry, List<String> topics) {
        io.apicurio.registry.serde.avro.AvroKafkaDeserializer deserializer =
                new io.apicurio.registry.serde.avro.AvroKafkaDeserializer();
        deserializer.configure(registry.serdeConfig(), false);
        return new EventCollector<SpecificRecord>(bootstrapServers, Map.of(), (Deserializer) deserializer, topics);
    }

    /** Collects raw records (the dead-letter topic). */
    static EventCollector<byte[]> raw(String bootstrapServers, List<String> topics) {
        return new EventCollector<>(bootstrapServers, Map.of(), new ByteArrayDeserializer(), topics);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(100))) {
                    records.add(record);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Every record so far with this key (the VM id), in the order read. */
    List<ConsumerRecord<String, V>> recordsOf(String key) {
        List<ConsumerRecord<String, V>> result = new ArrayList<>();
        for (ConsumerRecord<String, V> record : records) {
            if (key.equals(record.key())) {
                result.add(record);
            }
        }
        return result;
    }

    /** Every value so far with this key and of this type, in the order read. */
    <T> List<T> valuesOf(String key, Class<T> type) {
        List<T> result = new ArrayList<>();
        for (ConsumerRecord<String, V> record : recordsOf(key)) {
            if (type.isInstance(record.value())) {
                result.add(type.cast(record.value()));
            }
        }
        return result;
    }

    /**
     * Reads the topics from the beginning up to their current end (the last stable offset, as
     * read_committed sees it) with a fresh consumer, and returns every record: once the writers have
     * stopped, this is everything they will ever have written.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<ConsumerRecord<String, SpecificRecord>> readToEnd(String bootstrapServers, RegistrySettings registry,
            List<String> topics) {
        io.apicurio.registry.serde.avro.AvroKafkaDeserializer deserializer =
                new io.apicurio.registry.serde.avro.AvroKafkaDeserializer();
        deserializer.configure(registry.serdeConfig(), false);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, SpecificRecord>> result = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                (Deserializer) deserializer)) {
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(
                        new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to their end within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(result::add);
            }
        }
        return result;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
