package io.migratekit.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.JobStarted;
import io.migratekit.platform.KeyConsistency;
import io.migratekit.platform.KeyMismatchException;
import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.DeserializationHandlerResponse;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.ProcessingHandlerResponse;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/**
 * The shared Streams dead-letter handlers: what goes to the dead-letter topic (bytes, origin, reason,
 * original headers), when the stream continues, and when it fails instead of losing a record.
 */
class StreamsDeadLettersTest {

    /** A service's own "this event is poison" exception. */
    static final class PoisonEventException extends RuntimeException {
        PoisonEventException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();

    @Test
    void aPoisonEventIsDeadLetteredWithItsOriginReasonAndHeadersAndSkipped() {
        // given
        StreamsDeadLetters.Processing handler = processing(StreamsDeadLetters.causedBy(PoisonEventException.class));
        RecordHeaders original = new RecordHeaders();
        original.add("trace", bytes("t-1"));
        original.add(DeadLetters.REASON, bytes("an earlier verdict"));

        // when
        ProcessingHandlerResponse response = handler.handle(context("migratekit.job-started", "vm-1", "raw", original),
                null, new IllegalStateException("wrapped", new PoisonEventException("cannot follow on JobStarted of "
                        + "job j", new IllegalArgumentException("no disks"))));

        // then
        assertThat(response).isEqualTo(ProcessingHandlerResponse.CONTINUE);
        assertThat(sent).hasSize(1);
        ProducerRecord<byte[], byte[]> deadLetter = sent.get(0);
        assertThat(deadLetter.topic()).isEqualTo(Topics.DEAD_LETTERS);
        assertThat(deadLetter.partition()).isNull();
        assertThat(text(deadLetter.key())).isEqualTo("vm-1");
        assertThat(text(deadLetter.value())).isEqualTo("raw");
        assertThat(deadLetter.headers().toArray()).extracting(h -> h.key() + "=" + text(h.value())).containsExactly(
                "trace=t-1",
                DeadLetters.ORIGINAL_TOPIC + "=migratekit.job-started",
                DeadLetters.ORIGINAL_PARTITION + "=4",
                DeadLetters.ORIGINAL_OFFSET + "=42",
                DeadLetters.CONSUMER + "=progress-service",
                DeadLetters.REASON + "=cannot process in the-processor: IllegalStateException (wrapped); root cause "
                        + "IllegalArgumentException (no disks)",
                DeadLetters.EXCEPTION + "=" + IllegalStateException.class.getName());
    }

    @Test
    void aFailureThatIsNotPoisonFailsTheTaskInsteadOfSkippingTheRecord() {
        StreamsDeadLetters.Processing handler = processing(StreamsDeadLetters.causedBy(PoisonEventException.class));

        ProcessingHandlerResponse response = handler.handle(context("migratekit.job-started", "vm-1", "raw",
                new RecordHeaders()), null, new SerializationException("registry unreachable"));

        assertThat(response).isEqualTo(ProcessingHandlerResponse.FAIL);
        assertThat(sent).isEmpty();
    }

    @Test
    void aRecordUnderAnotherVmsKeyIsPoisonWhateverTheServicesRule() {
        StreamsDeadLetters.Processing handler = processing(StreamsDeadLetters.causedBy(PoisonEventException.class));
        JobStarted event = new JobStarted();
        event.setVmwareVmId("vm-1");
        KeyMismatchException mismatch = KeyConsistency.check("vm-2", event).orElseThrow();

        ProcessingHandlerResponse response = handler.handle(context("migratekit.job-started", "vm-2", "raw",
                new RecordHeaders()), null, mismatch);

        assertThat(response).isEqualTo(ProcessingHandlerResponse.CONTINUE);
        assertThat(sent).hasSize(1);
        assertThat(text(sent.get(0).key())).isEqualTo("vm-2");
        assertThat(text(sent.get(0).value())).isEqualTo("raw");
        assertThat(header(sent.get(0), DeadLetters.REASON)).isEqualTo("cannot process in the-processor: "
                + "KeyMismatchException (key vm-2 differs from the event's vmware_vm_id vm-1 (JobStarted))");
        assertThat(header(sent.get(0), DeadLetters.EXCEPTION)).isEqualTo(KeyMismatchException.class.getName());
    }

    @Test
    void withoutAPoisonRuleEveryProcessingFailureOfARecordIsDeadLettered() {
        StreamsDeadLetters.Processing handler = processing(null);

        ProcessingHandlerResponse response = handler.handle(context("migratekit.vm-discovered", "vm-1", "raw",
                new RecordHeaders()), null, new IllegalArgumentException("record key vm-1 is not the event's id"));

        assertThat(response).isEqualTo(ProcessingHandlerResponse.CONTINUE);
        assertThat(sent).hasSize(1);
        assertThat(header(sent.get(0), DeadLetters.REASON))
                .isEqualTo("cannot process in the-processor: IllegalArgumentException (record key vm-1 is not the "
                        + "event's id)");
    }

    @Test
    void aPoisonFailureOutsideOfAnyRecordHasNothingToDeadLetterAndGoesOn() {
        StreamsDeadLetters.Processing handler = processing(null);

        ProcessingHandlerResponse response = handler.handle(context(null, null, null, new RecordHeaders()), null,
                new IllegalStateException("a punctuation failed"));

        assertThat(response).isEqualTo(ProcessingHandlerResponse.CONTINUE);
        assertThat(sent).isEmpty();
    }

    @Test
    void aDeadLetterTheBrokerDoesNotTakeFailsTheTask() {
        Map<String, Object> config = config(null);
        config.put(StreamsDeadLetters.SINK_CONFIG, (DeadLetterSink) record -> false);
        StreamsDeadLetters.Processing processing = new StreamsDeadLetters.Processing();
        processing.configure(config);
        StreamsDeadLetters.Deserialization deserialization = new StreamsDeadLetters.Deserialization();
        deserialization.configure(config);

        assertThat(processing.handle(context("migratekit.vm-discovered", "vm-1", "raw", new RecordHeaders()), null,
                new IllegalArgumentException("bad"))).isEqualTo(ProcessingHandlerResponse.FAIL);
        assertThat(deserialization.handle(context("migratekit.vm-discovered", "vm-1", "raw", new RecordHeaders()),
                rawRecord("vm-1", "garbage"), new SerializationException("not Avro")))
                .isEqualTo(DeserializationHandlerResponse.FAIL);
    }

    @Test
    void aRecordThatCannotBeDeserializedIsDeadLetteredAndSkipped() {
        StreamsDeadLetters.Deserialization handler = new StreamsDeadLetters.Deserialization();
        handler.configure(config(null));

        DeserializationHandlerResponse response = handler.handle(
                context("migratekit.vm-discovered", "vm-1", "garbage", new RecordHeaders()), rawRecord("vm-1", "garbage"),
                new SerializationException("not an Avro VmDiscovered"));

        assertThat(response).isEqualTo(DeserializationHandlerResponse.CONTINUE);
        assertThat(sent).hasSize(1);
        ProducerRecord<byte[], byte[]> deadLetter = sent.get(0);
        assertThat(text(deadLetter.key())).isEqualTo("vm-1");
        assertThat(text(deadLetter.value())).isEqualTo("garbage");
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo("migratekit.vm-discovered");
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_PARTITION)).isEqualTo("2");
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("7");
        assertThat(header(deadLetter, DeadLetters.REASON))
                .isEqualTo("cannot deserialize: SerializationException (not an Avro VmDiscovered)");
        assertThat(header(deadLetter, DeadLetters.EXCEPTION)).isEqualTo(SerializationException.class.getName());
    }

    private StreamsDeadLetters.Processing processing(Predicate<Throwable> poison) {
        StreamsDeadLetters.Processing handler = new StreamsDeadLetters.Processing();
        handler.configure(config(poison));
        return handler;
    }

    private Map<String, Object> config(Predicate<Throwable> poison) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsDeadLetters.SINK_CONFIG, (DeadLetterSink) record -> sent.add(record));
        config.put(StreamsDeadLetters.SERVICE_CONFIG, "progress-service");
        if (poison != null) {
            config.put(StreamsDeadLetters.POISON_CONFIG, poison);
        }
        return config;
    }

    private static ConsumerRecord<byte[], byte[]> rawRecord(String key, String value) {
        return new ConsumerRecord<>("migratekit.vm-discovered", 2, 7, 0L, TimestampType.CREATE_TIME, 0, 0, bytes(key),
                bytes(value), new RecordHeaders(), Optional.empty());
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return text(record.headers().lastHeader(key).value());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ErrorHandlerContext context(String topic, String key, String value, Headers headers) {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return 4;
            }

            @Override
            public long offset() {
                return 42;
            }

            @Override
            public Headers headers() {
                return headers;
            }

            @Override
            public String processorNodeId() {
                return "the-processor";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(0, 4);
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return key == null ? null : bytes(key);
            }

            @Override
            public byte[] sourceRawValue() {
                return value == null ? null : bytes(value);
            }
        };
    }
}
