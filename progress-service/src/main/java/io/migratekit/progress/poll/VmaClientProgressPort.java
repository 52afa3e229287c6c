package io.migratekit.progress.poll;

import io.migratekit.progress.follow.PollOutcome;
import io.migratekit.vma.VmaClient;
import io.migratekit.vma.VmaException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link VmaProgressPort} over our HTTP {@link VmaClient}: one non-blocking request per poll with a
 * deadline, its answer or failure turned into a {@link PollOutcome}. Owns the mapping only; the
 * client owns the HTTP connection pool and threads.
 */
public final class VmaClientProgressPort implements VmaProgressPort {

    private final VmaClient client;
    private final Duration deadline;

    public VmaClientProgressPort(VmaClient client, Duration deadline) {
        this.client = client;
        this.deadline = deadline;
    }

    @Override
    public CompletableFuture<PollOutcome> progress(String jobId) {
        try {
            return client.progress(jobId, deadline).handle((answer, failure) -> {
                if (failure != null) {
                    return unavailable(failure);
                }
                return answer.<PollOutcome>map(PollOutcome.Answered::new).orElseGet(PollOutcome.NotFound::new);
            });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unavailable(e));
        }
    }

    private static PollOutcome unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof VmaException vma) {
            return new PollOutcome.Unavailable(vma.kind().name().toLowerCase(Locale.ROOT), vma.getMessage());
        }
        return new PollOutcome.Unavailable("error", "VMA progress call failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    }
}
