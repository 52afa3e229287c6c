package io.migratekit.progress.streams;

import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams error handlers that send a poison record to the dead-letter topic — its original key
 * and value bytes, the reason in {@link DeadLetters} headers — and let processing continue.
 * Kafka Streams 4.1 has no built-in dead-letter queue (KIP-1034 arrives in 4.2), hence these.
 *
 * <p>They are created by Kafka Streams from the configuration, so they receive what they need through
 * it: the {@link DeadLetterSink} under {@link #SINK_CONFIG} and the service name under
 * {@link #SERVICE_CONFIG}. If the dead-letter topic cannot take the record, they answer FAIL rather
 * than lose it (the stream thread is replaced and the record is read again). The dead-letter write is
 * not part of the Streams transaction: a record can be dead-lettered twice, never lost.
 */
public final class DeadLetterHandlers {

    /** Config key of the {@link DeadLetterSink} instance. */
    public static final String SINK_CONFIG = "migratekit.progress.dead-letter-sink";
    /** Config key of the service name written into the consumer header. */
    public static final String SERVICE_CONFIG = "migratekit.service-name";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlers.class);

    private DeadLetterHandlers() {
    }

    /** A record whose key or value cannot be deserialized. */
    public static final class Deserialization implements DeserializationExceptionHandler {
        private DeadLetterSink sink;
        private String service;

        @Override
        public void configure(Map<String, ?> configs) {
            sink = sinkOf(configs);
            service = String.valueOf(configs.get(SERVICE_CONFIG));
        }

        @Override
        public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                Exception exception) {
            boolean sent = send(sink, service, record.topic(), record.partition(), record.offset(), record.key(),
                    record.value(), record.headers(), exception);
            return sent ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
        }
    }

    /**
     * A record the processor could not handle ({@link UnprocessableEventException}) is dead-lettered;
     * any other processing failure (a store or an output that cannot be written) answers FAIL, so the
     * task's transaction is aborted and the record is processed again.
     */
    public static final class Processing implements ProcessingExceptionHandler {
        private DeadLetterSink sink;
        private String service;

        @Override
        public void configure(Map<String, ?> configs) {
            sink = sinkOf(configs);
            service = String.valueOf(configs.get(SERVICE_CONFIG));
        }

        @Override
        public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (!unprocessable(exception) || context.topic() == null || context.sourceRawValue() == null) {
                log.error("processing failed (node {}, task {}); failing the task so it is retried: {}",
                        context.processorNodeId(), context.taskId(), exception.toString(), exception);
                return ProcessingHandlerResponse.FAIL;
            }
            boolean sent = send(sink, service, context.topic(), context.partition(), context.offset(),
                    context.sourceRawKey(), context.sourceRawValue(), context.headers(), exception);
            return sent ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
        }
    }

    private static boolean unprocessable(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnprocessableEventException) {
                return true;
            }
        }
        return false;
    }

    private static DeadLetterSink sinkOf(Map<String, ?> configs) {
        Object sink = configs.get(SINK_CONFIG);
        if (!(sink instanceof DeadLetterSink deadLetterSink)) {
            throw new IllegalStateException("no dead-letter sink under " + SINK_CONFIG);
        }
        return deadLetterSink;
    }

    static ProducerRecord<byte[], byte[]> deadLetter(String service, String topic, int partition, long offset,
            byte[] key, byte[] value, Headers original, Exception exception) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!header.key().startsWith("mk.dlt.")) {
                    headers.add(header);
                }
            }
        }
        headers.add(DeadLetters.ORIGINAL_TOPIC, bytes(topic));
        headers.add(DeadLetters.ORIGINAL_PARTITION, bytes(Integer.toString(partition)));
        headers.add(DeadLetters.ORIGINAL_OFFSET, bytes(Long.toString(offset)));
        headers.add(DeadLetters.CONSUMER, bytes(service));
        headers.add(DeadLetters.REASON, bytes(reason(exception)));
        headers.add(DeadLetters.EXCEPTION, bytes(exception.getClass().getName()));
        return new ProducerRecord<>(Topics.DEAD_LETTERS, null, key, value, headers);
    }

    private static boolean send(DeadLetterSink sink, String service, String topic, int partition, long offset,
            byte[] key, byte[] value, Headers headers, Exception exception) {
        ProducerRecord<byte[], byte[]> deadLetter = deadLetter(service, topic, partition, offset, key, value, headers,
                exception);
        boolean sent = sink.publish(deadLetter);
        if (sent) {
            log.warn("dead-lettered record {}-{}@{}: {}", topic, partition, offset, reason(exception));
        } else {
            log.error("could not dead-letter record {}-{}@{} ({}); failing so it is not lost", topic, partition,
                    offset, reason(exception));
        }
        return sent;
    }

    /** The exception and its root cause as {@code Type (message); root cause Type (message)}, at most 1000 characters. */
    static String reason(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = describe(exception) + (root == exception ? "" : "; root cause " + describe(root));
        return reason.length() > 1000 ? reason.substring(0, 999) + "…" : reason;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
