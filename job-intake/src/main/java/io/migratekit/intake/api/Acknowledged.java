package io.migratekit.intake.api;

import io.migratekit.intake.ProducedSchemas;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the broker's acknowledgement of a command the API publishes. A send that failed before
 * it left this process was not accepted — the schema registry's failure when the serializer failed,
 * the broker's otherwise; one that was handed to the producer but not acknowledged in time may still
 * be written, and the answer points at where its outcome will show.
 */
public final class Acknowledged {

    private static final Logger log = LoggerFactory.getLogger(Acknowledged.class);

    private Acknowledged() {
    }

    public static void await(Supplier<CompletableFuture<?>> send, String what, String outcomeUrl, Duration publishTimeout) {
        CompletableFuture<?> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            log.warn("The {} could not be sent: {}", what, e.toString());
            throw ProducedSchemas.failedInSerializer(e) ? ApiProblem.schemaRegistryUnavailable()
                    : ApiProblem.pipelineUnavailable();
        }
        try {
            sent.get(publishTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.pipelineUnacknowledged(what, outcomeUrl);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("The {} was not acknowledged: {}", what, e instanceof ExecutionException ? e.getCause() : e.toString());
            throw ApiProblem.pipelineUnacknowledged(what, outcomeUrl);
        }
    }
}
