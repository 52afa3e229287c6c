package io.migratekit.drills;

import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything committed on some topics, read from the beginning to their current end with a
 * {@code read_committed} consumer without a group (as the services read): what a replay of the topics
 * sees. Owns its consumer for the duration of one read.
 */
final class TopicRecords {

    /** One record, in partition and offset order within its topic. */
    record Event(String topic, int partition, long offset, String key, SpecificRecord value) {
    }

    private TopicRecords() {
    }

    static List<Event> readAll(DrillStack stack, List<Topic<?>> topics) {
        Map<String, Object> config = new HashMap<>(
                RegistrySettings.ofBaseUrl(stack.registryUrl()).consumerSerdeConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?> topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!atEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topics + " to their end in 2 minutes");
                }
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() instanceof SpecificRecord value) {
                        events.add(new Event(record.topic(), record.partition(), record.offset(), record.key(),
                                value));
                    }
                }
            }
        }
        return events;
    }

    private static boolean atEnd(KafkaConsumer<String, Object> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The values of one type, in read order. */
    static <T> List<T> ofType(List<Event> events, Class<T> type) {
        List<T> values = new ArrayList<>();
        for (Event event : events) {
            if (type.isInstance(event.value())) {
                values.add(type.cast(event.value()));
            }
        }
        return values;
    }
}
