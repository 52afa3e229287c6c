package io.migratekit.client;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A published request and its outcome to come. The future completes with the outcome, or empty
 * when the bounded wait given at submission passed (or the client closed) first — the request
 * was published all the same and its outcome will still reach the read model. The future never
 * completes exceptionally. Completion runs on the client's listener thread: dependent stages
 * should be short or async.
 *
 * @param requestId the request id, which is the correlation id of every event that follows
 * @param outcome   the outcome, or empty when it did not come in time
 */
public record Submission(String requestId, CompletableFuture<Optional<ReplicationOutcome>> outcome) {

    /** Blocks until the outcome arrives or the wait given at submission passes. */
    public Optional<ReplicationOutcome> await() throws InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException | CancellationException e) {
            return Optional.empty();
        }
    }
}
