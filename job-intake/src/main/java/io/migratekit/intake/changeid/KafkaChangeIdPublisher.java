package io.migratekit.intake.changeid;

import io.migratekit.client.PipelineUnavailableException;
import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.intake.ProducedSchemas;
import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes {@code ChangeIdRecorded} through the platform's idempotent producer (key = the VM id)
 * and waits, bounded, for the broker's acknowledgement so the VMA hears 200 only for a durable
 * record. A failure says whether the schema registry (the event could not be serialized, nothing
 * was sent) or the broker failed. Owns only the wait.
 */
public class KafkaChangeIdPublisher implements ChangeIdPublisher {

    private final EventPublisher publisher;
    private final Duration timeout;

    public KafkaChangeIdPublisher(EventPublisher publisher, Duration timeout) {
        this.publisher = publisher;
        this.timeout = timeout;
    }

    @Override
    public void publish(ChangeIdRecorded event) {
        CompletableFuture<?> sent;
        try {
            sent = publisher.publish(Topics.CHANGE_ID_RECORDED, event.getVmwareVmId(), event);
        } catch (RuntimeException e) {
            if (ProducedSchemas.failedInSerializer(e)) {
                throw new PipelineUnavailableException(PipelineUnavailableException.Failed.SCHEMA_REGISTRY,
                        "The change id could not be serialized through the schema registry ("
                                + e.getClass().getSimpleName() + "); nothing was sent to the broker", e, null);
            }
            throw unacknowledged(e);
        }
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineUnavailableException("interrupted while publishing the change id", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unacknowledged(e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    private PipelineUnavailableException unacknowledged(Throwable cause) {
        return new PipelineUnavailableException("The pipeline's broker is unavailable: the change id was not "
                + "acknowledged within " + timeout + " (" + cause.getClass().getSimpleName() + ")", cause);
    }
}
