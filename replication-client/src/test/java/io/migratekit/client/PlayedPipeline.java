package io.migratekit.client;

import io.migratekit.events.ReplicationRequested;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's side of the real broker: it reads the requests the client publishes and answers with
 * outcome events, as discovery-service and job-service would. Owns its producer and consumer.
 */
final class PlayedPipeline implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final RegistrySettings registry;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaConsumer<String, Object> requests;

    PlayedPipeline(String bootstrapServers, RegistrySettings registry) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        Map<String, Object> producerConfig = new HashMap<>(registry.producerSerdeConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(producerConfig);
        Map<String, Object> consumerConfig = new HashMap<>(registry.consumerSerdeConfig());
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.requests = new KafkaConsumer<>(consumerConfig);
        List<TopicPartition> partitions = requests.partitionsFor(Topics.REPLICATION_REQUESTED.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        requests.assign(partitions);
        requests.seekToEnd(partitions);
        partitions.forEach(requests::position);
    }

    /** Publishes an event as the pipeline's services would, and waits for the broker's acknowledgement. */
    <V extends SpecificRecord> void answer(Topic<V> topic, String vmId, V event) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), vmId, event)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + event.getSchema().getName(), e);
        }
    }

    /** Publishes without waiting for each acknowledgement; {@link #flush()} waits for all. */
    <V extends SpecificRecord> void answerLater(Topic<V> topic, String vmId, V event) {
        producer.send(new ProducerRecord<>(topic.name(), vmId, event));
    }

    void flush() {
        producer.flush();
    }

    /** Publishes raw bytes (a poison record) to a topic. */
    void sendRaw(String topic, String key, byte[] value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(config)) {
            raw.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish raw bytes", e);
        }
    }

    /** Publishes an event inside a transaction that is then aborted. */
    <V extends SpecificRecord> void answerAborted(Topic<V> topic, String vmId, V event) {
        Map<String, Object> config = new HashMap<>(registry.producerSerdeConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-aborting-" + UUID.randomUUID());
        try (KafkaProducer<String, SpecificRecord> transactional = new KafkaProducer<>(config)) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic.name(), vmId, event)).get();
            transactional.abortTransaction();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish the aborted transaction", e);
        }
    }

    /**
     * Reads requests until one matches {@code last} and returns every request of key {@code vmId}
     * read before and including it (bounded wait).
     */
    List<ConsumerRecord<String, ReplicationRequested>> requestsUntil(String vmId,
            Predicate<ReplicationRequested> last) {
        List<ConsumerRecord<String, ReplicationRequested>> read = new ArrayList<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Object> record : requests.poll(Duration.ofMillis(200))) {
                if (!vmId.equals(record.key())) {
                    continue;
                }
                ReplicationRequested value = (ReplicationRequested) record.value();
                read.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(), value));
                if (last.test(value)) {
                    return read;
                }
            }
        }
        throw new AssertionError("no matching request for " + vmId + " within " + READ_TIMEOUT + "; read " + read);
    }

    /** Reads requests until {@code count} of key {@code vmId} arrived (bounded wait). */
    List<ReplicationRequested> requests(String vmId, int count) {
        List<ReplicationRequested> read = new ArrayList<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (read.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Object> record : requests.poll(Duration.ofMillis(200))) {
                if (vmId.equals(record.key())) {
                    read.add((ReplicationRequested) record.value());
                }
            }
        }
        return read;
    }

    @Override
    public void close() {
        producer.close();
        requests.close();
    }
}
