package io.migratekit.platform.streams;

import io.migratekit.platform.KeyMismatchException;
import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;
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
 * The Kafka Streams exception handlers of every Streams service (Kafka Streams 4.1 has no built-in
 * dead-letter queue; KIP-1034 arrives in 4.2): a record that cannot be deserialized, or whose
 * processing throws a poison exception, goes to the dead-letter topic — original key, value and
 * headers, origin and reason in the {@link DeadLetters} headers — and the stream CONTINUES with the
 * next record. If the dead-letter topic cannot take it, the handler answers FAIL: the task stops (its
 * thread is replaced and the record read again) rather than losing the record.
 *
 * <p>Kafka Streams creates the handlers from its configuration, so they receive what they need through
 * it: the {@link DeadLetterSink} under {@link #SINK_CONFIG}, the service name under
 * {@link #SERVICE_CONFIG} and, optionally, which processing failures are poison under
 * {@link #POISON_CONFIG} (a {@code Predicate<Throwable>}; every failure when absent; a
 * {@link KeyMismatchException} — a processor's {@link io.migratekit.platform.KeyConsistency} check —
 * always). A processing failure that is not poison answers FAIL, so the task's transaction is
 * aborted and the record is processed again. They decide nothing about what is poison themselves; whoever threw did.
 */
public final class StreamsDeadLetters {

    /** Config key of the {@link DeadLetterSink} instance. */
    public static final String SINK_CONFIG = "migratekit.dead-letter-sink";
    /** Config key of the service name written into the consumer header. */
    public static final String SERVICE_CONFIG = "migratekit.service-name";
    /** Config key of the {@code Predicate<Throwable>} that says which processing failures are poison. */
    public static final String POISON_CONFIG = "migratekit.dead-letter-poison";

    private static final Logger log = LoggerFactory.getLogger(StreamsDeadLetters.class);
    private static final int MAX_REASON = 1000;

    private StreamsDeadLetters() {
    }

    /** For {@code deserialization.exception.handler}: a record whose key or value cannot be deserialized. */
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
            boolean sent = send(sink, deadLetter(service, record.topic(), record.partition(), record.offset(),
                    record.key(), record.value(), record.headers(), "cannot deserialize: " + reason(exception),
                    exception));
            return sent ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
        }
    }

    /**
     * For {@code processing.exception.handler}: a poison failure of a source record is dead-lettered; a
     * poison failure outside of any source record (a punctuation) has nothing to dead-letter and is
     * logged; any other failure answers FAIL.
     */
    public static final class Processing implements ProcessingExceptionHandler {
        private DeadLetterSink sink;
        private String service;
        private Predicate<Throwable> poison;

        @Override
        @SuppressWarnings("unchecked")
        public void configure(Map<String, ?> configs) {
            sink = sinkOf(configs);
            service = String.valueOf(configs.get(SERVICE_CONFIG));
            Object configured = configs.get(POISON_CONFIG);
            // A record filed under another VM's key is poison in every topology, whatever else is.
            poison = configured == null ? exception -> true
                    : causedBy(KeyMismatchException.class).or((Predicate<Throwable>) configured);
        }

        @Override
        public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (!poison.test(exception)) {
                log.error("processing failed (node {}, task {}); failing the task so it is retried: {}",
                        context.processorNodeId(), context.taskId(), exception.toString(), exception);
                return ProcessingHandlerResponse.FAIL;
            }
            if (context.topic() == null || context.sourceRawValue() == null) {
                log.error("processing failed outside of a source record in {} (task {}); continuing: {}",
                        context.processorNodeId(), context.taskId(), reason(exception), exception);
                return ProcessingHandlerResponse.CONTINUE;
            }
            boolean sent = send(sink, deadLetter(service, context.topic(), context.partition(), context.offset(),
                    context.sourceRawKey(), context.sourceRawValue(), context.headers(),
                    "cannot process in " + context.processorNodeId() + ": " + reason(exception), exception));
            return sent ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
        }
    }

    /** A poison predicate: the failure, or one of its causes, is of this type. */
    public static Predicate<Throwable> causedBy(Class<? extends Throwable> type) {
        return exception -> {
            for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
            return false;
        };
    }

    private static DeadLetterSink sinkOf(Map<String, ?> configs) {
        Object sink = configs.get(SINK_CONFIG);
        if (!(sink instanceof DeadLetterSink deadLetterSink)) {
            throw new IllegalStateException("the Streams configuration has no dead-letter sink under " + SINK_CONFIG);
        }
        return deadLetterSink;
    }

    static ProducerRecord<byte[], byte[]> deadLetter(String service, String topic, int partition, long offset,
            byte[] key, byte[] value, Headers original, String reason, Exception exception) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                // A record dead-lettered before keeps its data, not its old verdict.
                if (!header.key().startsWith("mk.dlt.")) {
                    headers.add(header);
                }
            }
        }
        headers.add(DeadLetters.ORIGINAL_TOPIC, bytes(topic));
        headers.add(DeadLetters.ORIGINAL_PARTITION, bytes(Integer.toString(partition)));
        headers.add(DeadLetters.ORIGINAL_OFFSET, bytes(Long.toString(offset)));
        headers.add(DeadLetters.CONSUMER, bytes(service));
        headers.add(DeadLetters.REASON, bytes(shorten(reason)));
        headers.add(DeadLetters.EXCEPTION, bytes(exception.getClass().getName()));
        return new ProducerRecord<>(Topics.DEAD_LETTERS, null, key, value, headers);
    }

    private static boolean send(DeadLetterSink sink, ProducerRecord<byte[], byte[]> deadLetter) {
        String origin = header(deadLetter, DeadLetters.ORIGINAL_TOPIC) + "-"
                + header(deadLetter, DeadLetters.ORIGINAL_PARTITION) + "@"
                + header(deadLetter, DeadLetters.ORIGINAL_OFFSET);
        String reason = header(deadLetter, DeadLetters.REASON);
        boolean sent = sink.publish(deadLetter);
        if (sent) {
            log.warn("dead-lettered {}: {}", origin, reason);
        } else {
            log.error("cannot dead-letter {} ({}); failing the task instead of dropping the record", origin, reason);
        }
        return sent;
    }

    /** The exception and its root cause as {@code Type (message); root cause Type (message)}. */
    static String reason(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return describe(exception) + (root == exception ? "" : "; root cause " + describe(root));
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
    }

    private static String shorten(String reason) {
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON - 1) + "…" : reason;
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
