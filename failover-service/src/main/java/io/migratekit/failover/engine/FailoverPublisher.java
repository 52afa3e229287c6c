package io.migratekit.failover.engine;

import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.Topic;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;

/**
 * Publishes one event and waits (bounded) for the broker's acknowledgement, so that nothing is
 * recorded as done before its event is durable. A publish that fails throws; the caller tries the
 * whole step again later (the event ids make a second send recognisably the same event).
 */
public class FailoverPublisher {

    private final EventPublisher publisher;
    private final Duration timeout;

    public FailoverPublisher(EventPublisher publisher, Duration timeout) {
        this.publisher = publisher;
        this.timeout = timeout;
    }

    public <V extends SpecificRecord> void publish(Topic<V> topic, String vmwareVmId, V event) {
        try {
            publisher.publish(topic, vmwareVmId, event).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + event.getSchema().getName(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("could not publish " + event.getSchema().getName() + " to " + topic.name()
                    + ": " + cause, cause);
        }
    }
}
