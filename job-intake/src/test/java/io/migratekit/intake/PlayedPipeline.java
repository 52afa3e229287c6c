package io.migratekit.intake;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The test's side of the real broker, playing the pipeline: it reads what job-intake published
 * (replication requests, change ids, failover commands) and answers with outcome events, as
 * discovery-service and job-service would. Reading "up to the end" proves that nothing more was published.
 */
public final class PlayedPipeline implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, SpecificRecord> producer;
    private final Reader<ReplicationRequested> requests;
    private final Reader<ChangeIdRecorded> changeIds;
    private final Reader<FailoverRequested> failovers;
    private final Reader<FailoverCleanupRequested> cleanups;

    public PlayedPipeline(String bootstrapServers, RegistrySettings registry) {
        Map<String, Object> producerConfig = new HashMap<>(registry.producerSerdeConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig);
        requests = new Reader<>(bootstrapServers, registry, Topics.REPLICATION_REQUESTED);
        changeIds = new Reader<>(bootstrapServers, registry, Topics.CHANGE_ID_RECORDED);
        failovers = new Reader<>(bootstrapServers, registry, Topics.FAILOVER_REQUESTED);
        cleanups = new Reader<>(bootstrapServers, registry, Topics.FAILOVER_CLEANUP_REQUESTED);
    }

    /** Publishes an event as the pipeline's services would and waits for the acknowledgement. */
    public <V extends SpecificRecord> void answer(Topic<V> topic, String vmId, V event) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), vmId, event)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + event.getSchema().getName(), e);
        }
    }

    /** The next replication request of that VM (bounded wait). */
    public ConsumerRecord<String, ReplicationRequested> nextRequest(String vmId) {
        return requests.next(record -> vmId.equals(record.key()));
    }

    /** The next change id of that VM (bounded wait). */
    public ConsumerRecord<String, ChangeIdRecorded> nextChangeId(String vmId) {
        return changeIds.next(record -> vmId.equals(record.key()));
    }

    /** The next failover request of that VM (bounded wait). */
    public ConsumerRecord<String, FailoverRequested> nextFailover(String vmId) {
        return failovers.next(record -> vmId.equals(record.key()));
    }

    /** The next cleanup request of that VM (bounded wait). */
    public ConsumerRecord<String, FailoverCleanupRequested> nextCleanup(String vmId) {
        return cleanups.next(record -> vmId.equals(record.key()));
    }

    /** Every failover request published until now and not read yet. */
    public List<ConsumerRecord<String, FailoverRequested>> remainingFailovers() {
        return failovers.drain();
    }

    /** Every cleanup request published until now and not read yet. */
    public List<ConsumerRecord<String, FailoverCleanupRequested>> remainingCleanups() {
        return cleanups.drain();
    }

    /** Every replication request published until now and not read yet. */
    public List<ConsumerRecord<String, ReplicationRequested>> remainingRequests() {
        return requests.drain();
    }

    /** Every change id published until now and not read yet. */
    public List<ConsumerRecord<String, ChangeIdRecorded>> remainingChangeIds() {
        return changeIds.drain();
    }

    @Override
    public void close() {
        producer.close();
        requests.close();
        changeIds.close();
        failovers.close();
        cleanups.close();
    }

    /** One topic, all partitions, from the end at creation; keeps what it read and was not asked for yet. */
    static final class Reader<V> {
        private final KafkaConsumer<String, Object> consumer;
        private final List<TopicPartition> partitions;
        private final List<ConsumerRecord<String, V>> unread = new ArrayList<>();

        Reader(String bootstrapServers, RegistrySettings registry, Topic<?> topic) {
            Map<String, Object> config = new HashMap<>(registry.consumerSerdeConfig());
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(config);
            partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        synchronized ConsumerRecord<String, V> next(Predicate<ConsumerRecord<String, V>> wanted) {
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (true) {
                Optional<ConsumerRecord<String, V>> found = unread.stream().filter(wanted).findFirst();
                if (found.isPresent()) {
                    unread.remove(found.get());
                    return found.get();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no matching record within " + READ_TIMEOUT);
                }
                poll();
            }
        }

        synchronized List<ConsumerRecord<String, V>> drain() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read up to the end within " + READ_TIMEOUT);
                }
                poll();
            }
            List<ConsumerRecord<String, V>> all = new ArrayList<>(unread);
            unread.clear();
            return all;
        }

        @SuppressWarnings("unchecked")
        private void poll() {
            for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                unread.add(new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(),
                        (V) record.value()));
            }
        }

        synchronized void close() {
            consumer.close();
        }
    }
}
