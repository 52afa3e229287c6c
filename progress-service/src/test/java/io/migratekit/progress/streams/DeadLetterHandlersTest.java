package io.migratekit.progress.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.ProcessingHandlerResponse;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLetterHandlersTest {

    private final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    private final DeadLetterHandlers.Processing handler = new DeadLetterHandlers.Processing();

    DeadLetterHandlersTest() {
        handler.configure(Map.of(DeadLetterHandlers.SINK_CONFIG, (DeadLetterSink) sent::add,
                DeadLetterHandlers.SERVICE_CONFIG, "progress-service"));
    }

    @Test
    void anEventTheRulesCannotHandleIsDeadLetteredWithItsOriginAndReasonAndSkipped() {
        RecordHeaders original = new RecordHeaders();
        original.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));

        ProcessingHandlerResponse response = handler.handle(context("migratekit.job-started", "vm-1", "raw", original),
                null, new UnprocessableEventException("cannot follow on JobStarted of job j",
                        new IllegalArgumentException("no disks")));

        assertThat(response).isEqualTo(ProcessingHandlerResponse.CONTINUE);
        assertThat(sent).hasSize(1);
        ProducerRecord<byte[], byte[]> deadLetter = sent.get(0);
        assertThat(deadLetter.topic()).isEqualTo(Topics.DEAD_LETTERS);
        assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo("vm-1");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("raw");
        assertThat(header(deadLetter.headers(), "trace")).isEqualTo("t-1");
        assertThat(header(deadLetter.headers(), DeadLetters.ORIGINAL_TOPIC)).isEqualTo("migratekit.job-started");
        assertThat(header(deadLetter.headers(), DeadLetters.ORIGINAL_PARTITION)).isEqualTo("4");
        assertThat(header(deadLetter.headers(), DeadLetters.ORIGINAL_OFFSET)).isEqualTo("42");
        assertThat(header(deadLetter.headers(), DeadLetters.CONSUMER)).isEqualTo("progress-service");
        assertThat(header(deadLetter.headers(), DeadLetters.REASON)).isEqualTo("UnprocessableEventException (cannot "
                + "follow on JobStarted of job j); root cause IllegalArgumentException (no disks)");
        assertThat(header(deadLetter.headers(), DeadLetters.EXCEPTION))
                .isEqualTo(UnprocessableEventException.class.getName());
    }

    @Test
    void aFailureToWriteTheOutcomeFailsTheTaskInsteadOfSkippingTheRecord() {
        ProcessingHandlerResponse response = handler.handle(context("migratekit.job-started", "vm-1", "raw",
                new RecordHeaders()), null, new SerializationException("registry unreachable"));

        assertThat(response).isEqualTo(ProcessingHandlerResponse.FAIL);
        assertThat(sent).isEmpty();
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
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
                return FollowTopology.PROCESSOR;
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
                return key.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] sourceRawValue() {
                return value.getBytes(StandardCharsets.UTF_8);
            }
        };
    }
}
