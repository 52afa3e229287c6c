package io.migratekit.intake.failover;

import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverRequested;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;

/**
 * Where job-intake hands failover commands: the pipeline. A port so the web layer can be tested
 * without the broker; the only production implementation is {@link KafkaFailoverCommands}.
 */
public interface FailoverCommands {

    /**
     * Publishes the request and completes with the decision's answer ({@code FailoverAccepted} or
     * {@code FailoverRejected}), or empty when it did not come within {@code wait}.
     *
     * @throws io.migratekit.intake.api.ApiProblem 503 when the broker does not take the request
     */
    CompletableFuture<Optional<SpecificRecord>> request(FailoverRequested request, Duration wait);

    /**
     * Publishes a cleanup request.
     *
     * @throws io.migratekit.intake.api.ApiProblem 503 when the broker does not take it
     */
    void requestCleanup(FailoverCleanupRequested request);
}
