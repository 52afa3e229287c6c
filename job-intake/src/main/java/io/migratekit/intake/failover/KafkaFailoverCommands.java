package io.migratekit.intake.failover;

import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverRequested;
import io.migratekit.intake.api.Acknowledged;
import io.migratekit.intake.api.ApiProblem;
import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * Failover commands on Kafka: published through the platform's idempotent producer (keyed by the VM
 * id, acknowledged within the publish timeout), answers through {@link FailoverOutcomes}. Owns
 * neither.
 */
public class KafkaFailoverCommands implements FailoverCommands {

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

    private void acknowledged(Supplier<CompletableFuture<?>> send, String what, String failoverId) {
        Acknowledged.await(send, what, FailoverResponses.FAILOVERS_PATH + failoverId, publishTimeout);
    }
}
