package io.migratekit.intake.failover;

import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverRequested;
import io.migratekit.intake.ProducedSchemas;
import io.migratekit.intake.api.ApiProblem;
import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover commands on Kafka: published through the platform's idempotent producer (keyed by the VM
 * id, acknowledged within the publish timeout), answers through {@link FailoverOutcomes}. Owns
 * neither.
 */
public class KafkaFailoverCommands implements FailoverCommands {

    private static final Logger log = LoggerFactory.getLogger(KafkaFailoverCommands.class);

    private final EventPublisher publisher;
    private final FailoverOutcomes outcomes;
    private final Duration publishTimeout;

    public KafkaFailoverCommands(EventPublisher publisher, FailoverOutcomes outcomes, Duration publishTimeout) {
        this.publisher = publisher;
        this.outcomes = outcomes;
        this.publishTimeout = publishTimeout;
    }

    @Override
    public CompletableFuture<Optional<SpecificRecord>> request(FailoverRequested request, Duration wait) {
        // Waited for, VM included, before the publish: the answer cannot be written before the request is.
        CompletableFuture<Optional<SpecificRecord>> answer = outcomes.await(request.getFailoverId(),
                request.getVmwareVmId(), wait);
        try {
            acknowledged(() -> publisher.publish(Topics.FAILOVER_REQUESTED, request.getVmwareVmId(), request),
                    "failover request " + request.getFailoverId(), request.getFailoverId());
        } catch (ApiProblem e) {
            outcomes.forget(request.getFailoverId());
            throw e;
        }
        return answer;
    }

    @Override
    public void requestCleanup(FailoverCleanupRequested request) {
        acknowledged(() -> publisher.publish(Topics.FAILOVER_CLEANUP_REQUESTED, request.getVmwareVmId(), request),
                "cleanup request of failover " + request.getFailoverId(), request.getFailoverId());
    }

    /**
     * Waits for the broker's acknowledgement. A send that failed before it left this process was not
     * accepted — the schema registry's failure when the serializer failed, the broker's otherwise; one
     * that was handed to the producer but not acknowledged in time may still be written, and the answer
     * points at the failover where its outcome will show.
     */
    private void acknowledged(Supplier<CompletableFuture<?>> send, String what, String failoverId) {
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
            throw ApiProblem.pipelineUnacknowledged(what, FailoverResponses.FAILOVERS_PATH + failoverId);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("The {} was not acknowledged: {}", what, e instanceof ExecutionException ? e.getCause() : e.toString());
            throw ApiProblem.pipelineUnacknowledged(what, FailoverResponses.FAILOVERS_PATH + failoverId);
        }
    }
}
