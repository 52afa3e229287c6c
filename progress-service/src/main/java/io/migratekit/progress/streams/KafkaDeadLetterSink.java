package io.migratekit.progress.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeadLetterSink} with its own idempotent {@code acks=all} byte producer, created on the first
 * dead letter (most runs never need it) and waiting for the broker's acknowledgement of each one.
 * Owns that producer; closes it with the service.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaDeadLetterSink.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> config;
    private KafkaProducer<byte[], byte[]> producer;

    /** @param producerConfig the service's producer settings (bootstrap servers, security, timeouts) */
    public KafkaDeadLetterSink(Map<String, Object> producerConfig) {
        this.config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, config.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "progress-service")
                + "-dead-letters");
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    @Override
    public synchronized boolean publish(ProducerRecord<byte[], byte[]> deadLetter) {
        try {
            if (producer == null) {
                producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            }
            producer.send(deadLetter).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.error("the dead-letter topic did not take a record: {}", e.toString());
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }
}
