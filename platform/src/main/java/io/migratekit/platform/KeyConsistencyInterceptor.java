package io.migratekit.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Applies {@link KeyConsistency} to every listener of every service before its code sees a record (the
 * platform sets it on Boot's listener container factory). A record listener gets a
 * {@link KeyMismatchException} instead of the record, which the platform's error handler dead-letters
 * without retries. A batch listener gets the batch with such a record's value removed (same position,
 * so the indexes the listener reports stay right): it reports it as unreadable, and the error handler,
 * which sees the original record, dead-letters it without retries with the mismatch as the reason. Owns
 * no decision about what happens next; the error handler does.
 */
final class KeyConsistencyInterceptor implements RecordInterceptor<Object, Object>, BatchInterceptor<Object, Object> {

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
            Consumer<Object, Object> consumer) {
        KeyConsistency.require(record.key(), record.value());
        return record;
    }

    @Override
    public ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records,
            Consumer<Object, Object> consumer) {
        boolean mismatched = false;
        for (ConsumerRecord<Object, Object> record : records) {
            mismatched |= KeyConsistency.check(record.key(), record.value()).isPresent();
        }
        if (!mismatched) {
            return records;
        }
        // Same partitions in the same order, so every record keeps its index in the batch.
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> checked = new LinkedHashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<Object, Object>> list = new ArrayList<>();
            for (ConsumerRecord<Object, Object> record : records.records(partition)) {
                list.add(KeyConsistency.check(record.key(), record.value()).isPresent() ? withoutValue(record) : record);
            }
            checked.put(partition, list);
        }
        return new ConsumerRecords<>(checked, records.nextOffsets());
    }

    private static ConsumerRecord<Object, Object> withoutValue(ConsumerRecord<Object, Object> record) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(), null,
                record.headers(), record.leaderEpoch());
    }
}
