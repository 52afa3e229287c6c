package io.migratekit.client;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer thread reading every partition of the outcome topics from their end (no consumer
 * group: it assigns the partitions itself, commits nothing, and reads committed data only) and
 * handing each outcome to the {@link PendingOutcomes} waiting for its correlation id. Values are
 * read as bytes and deserialized one by one, and only those of records keyed by a VM a request
 * waits for: the others cannot hold an awaited outcome, so they cost no decoding (and an unreadable
 * one among them is not even noticed). A record that cannot be read is skipped and logged without
 * stopping the thread (dead-lettering is the services' job, not a client's). The partitions are
 * looked up once at start: partitions added to an outcome topic later are read after the client is
 * restarted. Owns its consumer and thread; does not own the waiting requests.
 */
final class OutcomeListener implements Runnable {

    /** The topics whose events can end a replication request. */
    static final List<Topic<?>> OUTCOME_TOPICS = List.of(Topics.CONTEXT_CREATED, Topics.JOB_STARTED,
            Topics.JOB_FAILED, Topics.REPLICATION_REJECTED, Topics.DISCOVERY_FAILED);

    private static final Logger log = LoggerFactory.getLogger(OutcomeListener.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);

    private final Consumer<String, byte[]> consumer;
    private final Deserializer<Object> deserializer;
    private final PendingOutcomes pending;
    private final Duration startTimeout;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean listening;

    OutcomeListener(Map<String, Object> consumerConfig, RegistrySettings registry, PendingOutcomes pending,
            Duration startTimeout) {
        this(new KafkaConsumer<>(consumerConfig), avroDeserializer(registry), pending, startTimeout);
    }

    OutcomeListener(Consumer<String, byte[]> consumer, Deserializer<Object> deserializer, PendingOutcomes pending,
            Duration startTimeout) {
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.pending = pending;
        this.startTimeout = startTimeout;
    }

    private static Deserializer<Object> avroDeserializer(RegistrySettings registry) {
        AvroKafkaDeserializer<Object> avro = new AvroKafkaDeserializer<>();
        avro.configure(registry.serdeConfig(), false);
        return avro;
    }

    /** Completes once every outcome partition is assigned and positioned at its end. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    @Override
    public void run() {
        try {
            joinOutcomeTopics();
            listening = true;
            ready.complete(null);
            while (running) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (!ready.completeExceptionally(e) && running) {
                log.error("Outcome listener woken up unexpectedly; it stops");
            }
        } catch (RuntimeException e) {
            // Before it is ready the failure goes to start(), which reports it; after, it is logged here.
            if (!ready.completeExceptionally(e) && running) {
                log.error("Outcome listener stopped: {}", e.toString(), e);
            }
        } finally {
            listening = false;
            closeQuietly();
        }
    }

    private void joinOutcomeTopics() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?> topic : OUTCOME_TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), startTimeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("outcome topic " + topic.name()
                        + " does not exist (the pipeline's services create it at start-up)");
            }
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the lazy seek now, so that nothing published after start() can be missed.
        for (TopicPartition partition : partitions) {
            consumer.position(partition, startTimeout);
        }
        log.info("Outcome listener reading {} partitions of {} topics from their end", partitions.size(),
                OUTCOME_TOPICS.size());
    }

    private void pollOnce() {
        ConsumerRecords<String, byte[]> records;
        try {
            records = consumer.poll(POLL);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("Outcome listener poll failed, retrying: {}", e.toString());
            sleep(ERROR_BACKOFF);
            return;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            handle(record);
        }
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        if (!mayBeAwaited(record.key())) {
            return;
        }
        if (record.value() == null) {
            skip(record, "no value");
            return;
        }
        Object event;
        try {
            event = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            skip(record, e.toString());
            return;
        }
        Optional<ReplicationOutcome> outcome;
        try {
            outcome = ReplicationOutcome.of(event);
        } catch (RuntimeException e) {
            skip(record, e.toString());
            return;
        }
        if (outcome.isPresent() && pending.complete(outcome.get())) {
            delivered.incrementAndGet();
        }
    }

    /**
     * Whether a record with this key can hold an outcome someone waits for: only when a request for
     * that VM waits (a record without a key cannot be placed, so it is read). This never drops an
     * awaited outcome because a request registers its wait, VM included, before its event is
     * published, and its outcome is written only after that event was read: by the time the outcome
     * reaches this check its VM is watched ({@code ReplicationClient.submit} keeps that order).
     */
    private boolean mayBeAwaited(String key) {
        return key == null || pending.awaitsVm(key);
    }

    private void skip(ConsumerRecord<String, byte[]> record, String reason) {
        skipped.incrementAndGet();
        log.warn("Outcome listener skipped unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                record.offset(), reason);
    }

    long skippedRecords() {
        return skipped.get();
    }

    long deliveredOutcomes() {
        return delivered.get();
    }

    boolean isListening() {
        return listening;
    }

    /** Asks the thread to stop; it closes the consumer on its way out. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    private void closeQuietly() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            log.debug("Outcome listener consumer close: {}", e.toString());
        }
        try {
            deserializer.close();
        } catch (RuntimeException e) {
            log.debug("Outcome listener deserializer close: {}", e.toString());
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
