package io.migratekit.intake.outcome;

import io.migratekit.client.ReplicationClient;
import io.migratekit.client.Submission;
import io.migratekit.events.ReplicationRequest;
import java.time.Duration;

/** The pipeline as the {@link ReplicationClient} reaches it. Owns nothing; the client is a bean. */
public class ClientRequestPipeline implements RequestPipeline {

    private final ReplicationClient client;

    public ClientRequestPipeline(ReplicationClient client) {
        this.client = client;
    }

    @Override
    public Submission submit(ReplicationRequest request, Duration wait) {
        return client.submit(request, wait);
    }

    @Override
    public String publish(ReplicationRequest request) {
        return client.publish(request);
    }
}
