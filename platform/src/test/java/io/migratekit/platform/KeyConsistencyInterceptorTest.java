package io.migratekit.platform;

import static io.migratekit.platform.KeyConsistencyTest.jobStarted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.events.JobStarted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * What a listener gets of a record filed under another VM's key: a record listener the
 * {@link KeyMismatchException}, a batch listener the batch with that record's value removed in place.
 */
class KeyConsistencyInterceptorTest {

    private final KeyConsistencyInterceptor interceptor = new KeyConsistencyInterceptor();
    private final TopicPartition p0 = new TopicPartition("migratekit.job-started", 0);
    private final TopicPartition p1 = new TopicPartition("migratekit.job-started", 1);

    @Test
    void aRecordListenerGetsAMatchingRecordAsItIsAndAMismatchAsTheException() {
        ConsumerRecord<Object, Object> matching = record(p0, 0, "vm-1", jobStarted("vm-1"));
        ConsumerRecord<Object, Object> mismatched = record(p0, 1, "vm-2", jobStarted("vm-1"));

        assertThat(interceptor.intercept(matching, null)).isSameAs(matching);
        assertThatThrownBy(() -> interceptor.intercept(mismatched, null)).isInstanceOf(KeyMismatchException.class)
                .hasMessage("key vm-2 differs from the event's vmware_vm_id vm-1 (JobStarted)");
    }

    @Test
    void aBatchWithoutMismatchIsHandedOnAsItIs() {
        ConsumerRecords<Object, Object> batch = batch(Map.of(p0, List.of(record(p0, 0, "vm-1", jobStarted("vm-1")))));

        assertThat(interceptor.intercept(batch, null)).isSameAs(batch);
    }

    @Test
    void aMismatchedRecordOfABatchLosesItsValueAndEveryRecordKeepsItsIndex() {
        // given: two partitions, the mismatch in the middle of the second
        Map<TopicPartition, List<ConsumerRecord<Object, Object>>> records = new LinkedHashMap<>();
        records.put(p1, List.of(record(p1, 10, "vm-3", jobStarted("vm-3"))));
        records.put(p0, List.of(record(p0, 0, "vm-1", jobStarted("vm-1")), record(p0, 1, "vm-2", jobStarted("vm-1")),
                record(p0, 2, "vm-2", jobStarted("vm-2"))));
        ConsumerRecords<Object, Object> batch = batch(records);

        // when
        ConsumerRecords<Object, Object> checked = interceptor.intercept(batch, null);

        // then
        List<String> seen = new ArrayList<>();
        checked.forEach(r -> seen.add(r.partition() + "@" + r.offset() + " " + r.key() + " "
                + (r.value() == null ? "no value" : ((JobStarted) r.value()).getVmwareVmId())));
        assertThat(seen).containsExactly("1@10 vm-3 vm-3", "0@0 vm-1 vm-1", "0@1 vm-2 no value", "0@2 vm-2 vm-2");
        assertThat(checked.nextOffsets()).isEqualTo(batch.nextOffsets());
        ConsumerRecord<Object, Object> emptied = checked.records(p0).get(1);
        assertThat(emptied.headers()).isSameAs(batch.records(p0).get(1).headers());
    }

    private static ConsumerRecord<Object, Object> record(TopicPartition partition, long offset, String key,
            Object value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, key, value);
    }

    private static ConsumerRecords<Object, Object> batch(
            Map<TopicPartition, List<ConsumerRecord<Object, Object>>> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
        records.forEach((partition, list) -> next.put(partition,
                new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1)));
        return new ConsumerRecords<>(records, next);
    }
}
