package io.migratekit.progress.streams;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where a record no processor could handle goes: {@link io.migratekit.schemas.Topics#DEAD_LETTERS},
 * as its original bytes with the reason in headers. Returns whether the broker took it.
 */
@FunctionalInterface
public interface DeadLetterSink {

    boolean publish(ProducerRecord<byte[], byte[]> deadLetter);
}
