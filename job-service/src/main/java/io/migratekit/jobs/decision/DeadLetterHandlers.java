package io.migratekit.jobs.decision;

import io.migratekit.jobs.decision.DeadLetterSink.DeadLetter;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision's Kafka Streams exception handlers (Kafka Streams 4.1 has no built-in dead-letter
 * queue): a record that cannot be deserialized, or whose processing throws, goes to the
 * {@link DeadLetterSink} with the reason, and the stream CONTINUES with the next record. If the sink
 * itself fails, the handler answers FAIL: the task stops rather than losing the record. They own no
 * decision about what is poison; whoever threw decided.
 */
public final class DeadLetterHandlers {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandlers.class);

    private DeadLetterHandlers() {
    }

    /** For {@code deserialization.exception.handler}. */
    public static final class Deserialization implements DeserializationExceptionHandler {
        private DeadLetterSink sink;

        @Override
        public void configure(Map<String, ?> configs) {
            sink = sinkFrom(configs);
        }

        @Override
        public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                Exception exception) {
            DeadLetter letter = new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(),
                    record.value(), "cannot deserialize: " + rootMessage(exception), exception.getClass().getName());
            return deliver(letter, sink) ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
        }
    }

    /** For {@code processing.exception.handler}. */
    public static final class Processing implements ProcessingExceptionHandler {
        private DeadLetterSink sink;

        @Override
        public void configure(Map<String, ?> configs) {
            sink = sinkFrom(configs);
        }

        @Override
        public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (context.sourceRawValue() == null) {
                log.error("processing failed outside of a source record in {} (task {}); continuing: {}",
                        context.processorNodeId(), context.taskId(), rootMessage(exception), exception);
                return ProcessingHandlerResponse.CONTINUE;
            }
            DeadLetter letter = new DeadLetter(context.topic(), context.partition(), context.offset(),
                    context.sourceRawKey(), context.sourceRawValue(),
                    "cannot process in " + context.processorNodeId() + ": " + rootMessage(exception),
                    exception.getClass().getName());
            return deliver(letter, sink) ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
        }
    }

    private static DeadLetterSink sinkFrom(Map<String, ?> configs) {
        Object sink = configs.get(DeadLetterSink.CONFIG);
        if (!(sink instanceof DeadLetterSink)) {
            throw new IllegalStateException("the Streams configuration has no " + DeadLetterSink.CONFIG);
        }
        return (DeadLetterSink) sink;
    }

    static boolean deliver(DeadLetter letter, DeadLetterSink sink) {
        try {
            sink.send(letter);
            log.warn("dead-lettered {}-{}@{}: {}", letter.topic(), letter.partition(), letter.offset(), letter.reason());
            return true;
        } catch (RuntimeException e) {
            log.error("cannot dead-letter {}-{}@{} ({}); stopping the task instead of dropping it: {}", letter.topic(),
                    letter.partition(), letter.offset(), letter.reason(), e.toString());
            return false;
        }
    }

    static String rootMessage(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
