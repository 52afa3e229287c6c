package io.migratekit.intake.events;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The past events of one job, read back from the job topics themselves (so a stream opened late
 * serves the very events, with their ids, that a live one served): every event of a job is keyed by
 * its VM id, so only that key's partition of each topic is read, from shortly before the job was
 * created up to the end as it is when asked. One consumer for every replay, one replay at a time.
 * Owns that consumer; not the live feed.
 */
public final class JobEventReplay implements PastJobEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobEventReplay.class);
    /** Read from this long before the job's creation: producers' clocks may differ a little. */
    static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Comparator<JobEvent> LIFE_ORDER = Comparator.comparingInt(JobEventReplay::phase)
            .thenComparing(JobEvent::occurredAt);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    private final Duration timeout;

    public JobEventReplay(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration timeout) {
        this.consumer = ListenerConsumers.create(kafkaProperties, bootstrapServers, clientId);
        this.deserializer.configure(registry.serdeConfig(), false);
        this.timeout = timeout;
    }

    /** Created, started, progress and change ids by time, the end; one replay at a time. */
    @Override
    public synchronized List<JobEvent> replay(KnownJob job) {
        List<TopicPartition> partitions = new ArrayList<>();
        byte[] key = job.vmwareVmId().getBytes(StandardCharsets.UTF_8);
        for (Topic<?> topic : JobEvent.TOPICS) {
            int count = partitionCounts.computeIfAbsent(topic.name(),
                    name -> ListenerConsumers.partitions(consumer, List.of(name), timeout).size());
            // The producers' default partitioner for a keyed record.
            partitions.add(new TopicPartition(topic.name(), Utils.toPositive(Utils.murmur2(key)) % count));
        }
        consumer.assign(partitions);
        long from = job.createdAt().minus(CLOCK_MARGIN).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, from));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(times, timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp start = starts.get(partition);
            consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
        }
        Map<String, JobEvent> events = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition, timeout) < ends.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the events of job " + job.jobId() + " could not be read within "
                        + timeout);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))
                        || !job.vmwareVmId().equals(record.key())) {
                    continue;
                }
                read(record).filter(event -> event.jobId().equals(job.jobId()))
                        .ifPresent(event -> events.putIfAbsent(event.eventId(), event));
            }
        }
        consumer.assign(List.of());
        return events.values().stream().sorted(LIFE_ORDER).toList();
    }

    private Optional<JobEvent> read(ConsumerRecord<String, byte[]> record) {
        try {
            return record.value() == null ? Optional.empty()
                    : JobEvent.of(deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (RuntimeException e) {
            log.warn("job event replay skipped unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return Optional.empty();
        }
    }

    /** Created, started, what happens while it runs, its end. */
    private static int phase(JobEvent event) {
        return switch (event.type()) {
            case "JobCreated" -> 0;
            case "JobStarted" -> 1;
            case "JobCompleted", "JobFailed" -> 3;
            default -> 2;
        };
    }

    @Override
    public synchronized void close() {
        consumer.close();
        deserializer.close();
    }
}
