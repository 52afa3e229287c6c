package io.migratekit.intake.outcome;

import io.migratekit.client.Submission;
import io.migratekit.events.ReplicationRequest;
import java.time.Duration;

/**
 * Where job-intake hands a validated replication request: the pipeline, reached through the
 * replication client. A port so the web layer can be tested without the broker; the only
 * production implementation is {@link ClientRequestPipeline}.
 */
public interface RequestPipeline {

    /**
     * Publishes the request and waits at most {@code wait} for its outcome.
     *
     * @throws io.migratekit.client.PipelineUnavailableException when the broker does not take it
     */
    Submission submit(ReplicationRequest request, Duration wait);

    /**
     * Publishes the request without waiting for its outcome and returns its request id.
     *
     * @throws io.migratekit.client.PipelineUnavailableException when the broker does not take it
     */
    String publish(ReplicationRequest request);
}
