package io.migratekit.progress.poll;

import io.migratekit.progress.follow.PollOutcome;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts VMA progress polls with a cap on how many are in flight at once across every followed job
 * of this service instance: a poll is an asynchronous request, never a thread per job. Owns the cap
 * and its accounting; it does not decide which job is due nor what an outcome means.
 */
public final class ProgressPoller {

    private final VmaProgressPort port;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();

    public ProgressPoller(VmaProgressPort port, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.port = port;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Starts a poll of the job if fewer than the cap are in flight; {@code onOutcome} then runs once
     * with its outcome, on whichever thread completes the request. Returns false, and starts
     * nothing, when the cap is reached.
     */
    public boolean tryPoll(String jobId, Consumer<PollOutcome> onOutcome) {
        int current;
        do {
            current = inFlight.get();
            if (current >= maxInFlight) {
                return false;
            }
        } while (!inFlight.compareAndSet(current, current + 1));
        try {
            port.progress(jobId).whenComplete((outcome, failure) -> {
                inFlight.decrementAndGet();
                onOutcome.accept(failure == null ? outcome
                        : new PollOutcome.Unavailable("error", "VMA progress call failed: " + failure));
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            onOutcome.accept(new PollOutcome.Unavailable("error", "VMA progress call failed: " + e));
        }
        return true;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight;
    }
}
