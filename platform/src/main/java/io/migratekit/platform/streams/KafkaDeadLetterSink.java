package io.migratekit.platform.streams;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A {@link DeadLetterSink} over the platform's raw-bytes producer ({@code deadLetterBytesTemplate}:
 * idempotent, {@code acks=all}), waiting for the broker's acknowledgement of each dead letter. It is
 * outside the Streams transaction, so a record may be dead-lettered twice if its task is retried,
 * never zero times. Owns no producer of its own; the template's lifecycle is Spring's.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {

    private static final Logger log = LoggerFactory.getLogger(KafkaDeadLetterSink.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<Object, byte[]> template;

    public KafkaDeadLetterSink(KafkaTemplate<Object, byte[]> template) {
        this.template = template;
    }

    @Override
    public boolean publish(ProducerRecord<byte[], byte[]> deadLetter) {
        ProducerRecord<Object, byte[]> record = new ProducerRecord<>(deadLetter.topic(), deadLetter.partition(),
                deadLetter.key(), deadLetter.value(), deadLetter.headers());
        try {
            template.send(record).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.error("the dead-letter topic did not take a record: {}", e.toString());
            return false;
        }
    }
}
