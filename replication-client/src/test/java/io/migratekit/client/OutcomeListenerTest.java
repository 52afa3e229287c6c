package io.migratekit.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.JobStarted;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * The listener's handling of one record, without a broker: which records it decodes (only those
 * keyed by a VM a request waits for), which it skips as unreadable, which outcomes it delivers.
 */
class OutcomeListenerTest {

    private static final String TOPIC = Topics.JOB_STARTED.name();
    private static final byte[] UNREADABLE = {1, 2, 3};

    private final PendingOutcomes pending = new PendingOutcomes();
    private final ScriptedDeserializer deserializer = new ScriptedDeserializer();
    private final OutcomeListener listener = new OutcomeListener(new MockConsumer<>("latest"), deserializer, pending,
            Duration.ofSeconds(1));

    @Test
    void onlyTheRecordsOfAVmARequestWaitsForAreDecoded() {
        CompletableFuture<Optional<ReplicationOutcome>> wait = pending.register("req-1", "vm-watched",
                Duration.ofMinutes(1));
        JobStarted started = TestEvents.jobStarted("req-1", "vm-watched");
        JobStarted elsewhere = TestEvents.jobStarted("req-other", "vm-other");
        byte[] startedBytes = deserializer.decodes(started);
        byte[] elsewhereBytes = deserializer.decodes(elsewhere);

        listener.handle(new ConsumerRecord<>(TOPIC, 0, 10, "vm-other", UNREADABLE));
        listener.handle(new ConsumerRecord<>(TOPIC, 0, 11, "vm-other", elsewhereBytes));
        listener.handle(new ConsumerRecord<>(TOPIC, 1, 20, "vm-watched", UNREADABLE));
        listener.handle(new ConsumerRecord<>(TOPIC, 1, 21, "vm-watched", startedBytes));

        assertThat(deserializer.decoded).containsExactly(hex(UNREADABLE), hex(startedBytes));
        assertThat(listener.skippedRecords()).isEqualTo(1);
        assertThat(listener.deliveredOutcomes()).isEqualTo(1);
        assertThat(wait).isCompletedWithValue(Optional.of(new ReplicationOutcome.Started(started)));
    }

    @Test
    void onceItsLastWaitEndedAVmsRecordsAreNoLongerDecoded() {
        CompletableFuture<Optional<ReplicationOutcome>> first = pending.register("req-1", "vm-1", Duration.ofMinutes(1));
        CompletableFuture<Optional<ReplicationOutcome>> second = pending.register("req-2", "vm-1", Duration.ofMinutes(1));
        JobStarted firstStarted = TestEvents.jobStarted("req-1", "vm-1");
        JobStarted secondStarted = TestEvents.jobStarted("req-2", "vm-1");
        byte[] firstBytes = deserializer.decodes(firstStarted);
        byte[] secondBytes = deserializer.decodes(secondStarted);

        listener.handle(new ConsumerRecord<>(TOPIC, 0, 1, "vm-1", firstBytes));
        listener.handle(new ConsumerRecord<>(TOPIC, 0, 2, "vm-1", secondBytes));
        listener.handle(new ConsumerRecord<>(TOPIC, 0, 3, "vm-1", UNREADABLE));

        assertThat(first).isCompletedWithValue(Optional.of(new ReplicationOutcome.Started(firstStarted)));
        assertThat(second).isCompletedWithValue(Optional.of(new ReplicationOutcome.Started(secondStarted)));
        assertThat(deserializer.decoded).containsExactly(hex(firstBytes), hex(secondBytes));
        assertThat(listener.skippedRecords()).isZero();
        assertThat(listener.deliveredOutcomes()).isEqualTo(2);
    }

    @Test
    void aRecordWithoutKeyIsDecodedForItCannotBePlaced() {
        listener.handle(new ConsumerRecord<>(TOPIC, 0, 5, null, UNREADABLE));

        assertThat(deserializer.decoded).containsExactly(hex(UNREADABLE));
        assertThat(listener.skippedRecords()).isEqualTo(1);
        assertThat(listener.deliveredOutcomes()).isZero();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Decodes the payloads it was given events for, refuses any other, and remembers what it was asked. */
    private static final class ScriptedDeserializer implements Deserializer<Object> {
        final List<String> decoded = new CopyOnWriteArrayList<>();
        private final Map<String, Object> events = new HashMap<>();

        byte[] decodes(Object event) {
            byte[] payload = {0, (byte) events.size()};
            events.put(hex(payload), event);
            return payload;
        }

        @Override
        public Object deserialize(String topic, byte[] data) {
            decoded.add(hex(data));
            Object event = events.get(hex(data));
            if (event == null) {
                throw new SerializationException("Unknown magic byte!");
            }
            return event;
        }
    }
}
