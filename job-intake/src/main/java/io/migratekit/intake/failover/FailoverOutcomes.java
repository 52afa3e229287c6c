package io.migratekit.intake.failover;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverRejected;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers to failover requests: one consumer thread reading every partition of
 * {@code FailoverAccepted} and {@code FailoverRejected} from their end (no consumer group, nothing
 * committed, committed data only), handing each to the request waiting for its correlation id (the
 * failover id). Like the replication client's outcome listener: positioned before {@link #start}
 * returns, so no answer to a request sent afterwards is missed; a record it cannot read is skipped
 * and logged. Owns its consumer, its thread and the map of waiting requests.
 */
public final class FailoverOutcomes implements AutoCloseable {

    static final List<Topic<?>> TOPICS = List.of(Topics.FAILOVER_ACCEPTED, Topics.FAILOVER_REJECTED);

    private static final Logger log = LoggerFactory.getLogger(FailoverOutcomes.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
    private final ConcurrentMap<String, CompletableFuture<Optional<SpecificRecord>>> waiting = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Duration startTimeout;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;

    private FailoverOutcomes(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration startTimeout) {
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(config);
        this.deserializer.configure(registry.serdeConfig(), false);
        this.startTimeout = startTimeout;
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    /**
     * Starts listening and returns once every partition is positioned at its end.
     *
     * @param kafkaProperties extra client settings (security); group and offsets are the listener's own
     */
    public static FailoverOutcomes start(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration startTimeout) {
        FailoverOutcomes outcomes = new FailoverOutcomes(kafkaProperties, bootstrapServers, clientId, registry,
                startTimeout);
        outcomes.thread.start();
        try {
            outcomes.ready.get(startTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcomes.close();
            throw new IllegalStateException("interrupted while joining the failover outcome topics", e);
        } catch (ExecutionException | TimeoutException e) {
            outcomes.close();
            throw new IllegalStateException("the failover outcome topics could not be joined within " + startTimeout,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
        return outcomes;
    }

    /**
     * Starts waiting for the answer to {@code failoverId} (before its request is published); the
     * future completes empty after {@code wait}.
     */
    public CompletableFuture<Optional<SpecificRecord>> await(String failoverId, Duration wait) {
        CompletableFuture<Optional<SpecificRecord>> future = new CompletableFuture<>();
        if (waiting.putIfAbsent(failoverId, future) != null) {
            throw new IllegalArgumentException("failover " + failoverId + " is already waiting for its answer");
        }
        future.whenComplete((answer, error) -> waiting.remove(failoverId, future));
        future.completeOnTimeout(Optional.empty(), Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        return future;
    }

    /** Stops waiting for a request that was not published. */
    public void forget(String failoverId) {
        CompletableFuture<Optional<SpecificRecord>> future = waiting.remove(failoverId);
        if (future != null) {
            future.complete(Optional.empty());
        }
    }

    public boolean isListening() {
        return listening && thread.isAlive();
    }

    public int waitingCount() {
        return waiting.size();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?> topic : TOPICS) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), startTimeout);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic.name() + " does not exist");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
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
                log.error("failover outcome listener stopped: {}", e.toString(), e);
            }
        } finally {
            listening = false;
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.debug("failover outcome consumer close: {}", e.toString());
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
            log.warn("failover outcome poll failed, retrying: {}", e.toString());
            return;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            Object event;
            try {
                event = record.value() == null ? null
                        : deserializer.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                log.warn("failover outcome listener skipped unreadable record {}-{}@{}: {}", record.topic(),
                        record.partition(), record.offset(), e.toString());
                continue;
            }
            String failoverId = event instanceof FailoverAccepted accepted ? accepted.getFailoverId()
                    : event instanceof FailoverRejected rejected ? rejected.getFailoverId() : null;
            CompletableFuture<Optional<SpecificRecord>> future = failoverId == null ? null : waiting.get(failoverId);
            if (future != null) {
                future.complete(Optional.of((SpecificRecord) event));
            }
        }
    }

    /** Stops the thread and ends every wait with "no answer yet". Idempotent. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiting.keySet().forEach(this::forget);
        deserializer.close();
    }
}
