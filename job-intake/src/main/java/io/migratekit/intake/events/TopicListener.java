package io.migratekit.intake.events;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer thread reading every partition of some topics from their end (see
 * {@link ListenerConsumers}: no group, nothing committed, committed data only) and handing each
 * readable event to {@link #handle}; positioned before {@link #startListening} returns, so nothing
 * committed afterwards is missed. A record the subclass does not want by its topic and key
 * ({@link #wanted}) is passed over without being decoded; a wanted one it cannot read is skipped
 * and logged. Owns the consumer and the thread; what an event means, and which records matter, is
 * the subclass's.
 */
public abstract class TopicListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicListener.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<String, byte[]> consumer;
    private final Deserializer<Object> deserializer;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong skipped = new AtomicLong();
    private final List<String> topics;
    private final String what;
    private final Duration startTimeout;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;

    /**
     * @param kafkaProperties extra client settings (security); group and offsets are the listener's own
     * @param what            what is read, for messages ("the job event topics")
     */
    protected TopicListener(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration startTimeout, List<Topic<?>> topics, String what) {
        this(ListenerConsumers.create(kafkaProperties, bootstrapServers, clientId), avroDeserializer(registry),
                clientId, startTimeout, topics, what);
    }

    /** A listener on the given consumer and deserializer (tests hand in their own); it closes both. */
    protected TopicListener(Consumer<String, byte[]> consumer, Deserializer<Object> deserializer, String clientId,
            Duration startTimeout, List<Topic<?>> topics, String what) {
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.topics = topics.stream().map(Topic::name).toList();
        this.what = what;
        this.startTimeout = startTimeout;
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    private static Deserializer<Object> avroDeserializer(RegistrySettings registry) {
        AvroKafkaDeserializer<Object> avro = new AvroKafkaDeserializer<>();
        avro.configure(registry.serdeConfig(), false);
        return avro;
    }

    /** An event read (on the listener thread). */
    protected abstract void handle(Object event);

    /**
     * Whether a record of this topic with this key (the VMware VM id; null when the record has none)
     * is to be decoded and handled, asked on the listener thread before anything is decoded; every
     * record by default. A subclass that answers false for a record must be sure it would have
     * ignored its event.
     */
    protected boolean wanted(String topic, String key) {
        return true;
    }

    /** Starts the thread and returns once every partition is positioned at its end; closes and fails otherwise. */
    protected final void startListening() {
        thread.start();
        try {
            ready.get(startTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while joining " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException(what + " could not be joined within " + startTimeout,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    public boolean isListening() {
        return listening && thread.isAlive();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = ListenerConsumers.partitions(consumer, topics, startTimeout);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(partition -> consumer.position(partition, startTimeout));
            listening = true;
            ready.complete(null);
            while (running) {
                poll();
            }
        } catch (WakeupException e) {
            ready.completeExceptionally(e);
        } catch (RuntimeException e) {
            if (!ready.completeExceptionally(e) && running) {
                log.error("listener of {} stopped: {}", what, e.toString(), e);
            }
        } finally {
            listening = false;
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.debug("consumer of {} close: {}", what, e.toString());
            }
        }
    }

    private void poll() {
        Iterable<ConsumerRecord<String, byte[]>> records;
        try {
            records = consumer.poll(POLL);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.warn("poll of {} failed, retrying: {}", what, e.toString());
            return;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            accept(record);
        }
    }

    /** One record: passed over when not {@link #wanted}, else decoded and handled, or skipped when unreadable. */
    final void accept(ConsumerRecord<String, byte[]> record) {
        if (!wanted(record.topic(), record.key())) {
            return;
        }
        Object event;
        try {
            event = record.value() == null ? null
                    : deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            skipped.incrementAndGet();
            log.warn("listener of {} skipped unreadable record {}-{}@{}: {}", what, record.topic(),
                    record.partition(), record.offset(), e.toString());
            return;
        }
        if (event != null) {
            handle(event);
        }
    }

    /** Wanted records that could not be read and were skipped, since start. */
    public long skippedRecords() {
        return skipped.get();
    }

    /** Stops the thread. Idempotent. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deserializer.close();
    }
}
