package io.migratekit.jobs.decision;

import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends the decision's poison records to {@link Topics#DEAD_LETTERS}: original bytes untouched,
 * origin and reason in the {@link DeadLetters} headers, waiting for the broker's acknowledgement.
 * Uses the platform's raw-bytes producer; it is outside the Streams transaction, so a record may be
 * dead-lettered twice if its task is retried, never zero times.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<Object, byte[]> template;
    private final String consumer;

    /**
     * @param template a producer of raw bytes
     * @param consumer who gave up on the record (the {@code mk.dlt.consumer} header)
     */
    public KafkaDeadLetterSink(KafkaTemplate<Object, byte[]> template, String consumer) {
        this.template = template;
        this.consumer = consumer;
    }

    @Override
    public void send(DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetters.ORIGINAL_TOPIC, bytes(letter.topic()));
        headers.add(DeadLetters.ORIGINAL_PARTITION, bytes(Integer.toString(letter.partition())));
        headers.add(DeadLetters.ORIGINAL_OFFSET, bytes(Long.toString(letter.offset())));
        headers.add(DeadLetters.CONSUMER, bytes(consumer));
        headers.add(DeadLetters.REASON, bytes(letter.reason()));
        headers.add(DeadLetters.EXCEPTION, bytes(letter.exception()));
        ProducerRecord<Object, byte[]> record = new ProducerRecord<>(Topics.DEAD_LETTERS, null, letter.key(),
                letter.value(), headers);
        try {
            template.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the dead-letter topic did not take the record: " + e, e);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
