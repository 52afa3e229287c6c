package io.migratekit.platform.streams;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where a Kafka Streams poison record goes: {@link io.migratekit.schemas.Topics#DEAD_LETTERS}, as its
 * original bytes with the reason in headers. Answers whether the broker took it; never throws, so the
 * handlers can fail the task instead of losing the record.
 */
@FunctionalInterface
public interface DeadLetterSink {

    boolean publish(ProducerRecord<byte[], byte[]> deadLetter);
}
