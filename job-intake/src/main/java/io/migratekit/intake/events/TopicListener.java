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
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer thread reading every partition of some topics from their end (see
 * {@link ListenerConsumers}: no group, nothing committed, committed data only) and handing each
 * readable event to {@link #handle}; positioned before {@link #startListening} returns, so nothing
 * committed afterwards is missed. A record it cannot read is skipped and logged. Owns the consumer
 * and the thread; what an event means is the subclass's.
 */
public abstract class TopicListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicListener.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
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
        this.consumer = ListenerConsumers.create(kafkaProperties, bootstrapServers, clientId);
        this.deserializer.configure(registry.serdeConfig(), false);
        this.topics = topics.stream().map(Topic::name).toList();
        this.what = what;
        this.startTimeout = startTimeout;
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    /** An event read (on the listener thread). */
    protected abstract void handle(Object event);

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
            Object event;
            try {
                event = record.value() == null ? null
                        : deserializer.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                log.warn("listener of {} skipped unreadable record {}-{}@{}: {}", what, record.topic(),
                        record.partition(), record.offset(), e.toString());
                continue;
            }
            if (event != null) {
                handle(event);
            }
        }
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
