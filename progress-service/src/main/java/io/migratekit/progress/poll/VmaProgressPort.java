package io.migratekit.progress.poll;

import io.migratekit.progress.follow.PollOutcome;
import java.util.concurrent.CompletableFuture;

/**
 * The one VMA call this service makes: {@code GET /api/v1/progress/{job_id}}. The follow processor
 * depends on this port, not on HTTP, so its topology can be tested without a VMA.
 */
public interface VmaProgressPort {

    /**
     * Asks the VMA for a job's progress without blocking the caller. The future never completes
     * exceptionally: a call without a usable answer completes with {@link PollOutcome.Unavailable}.
     */
    CompletableFuture<PollOutcome> progress(String jobId);
}
