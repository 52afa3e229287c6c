package io.migratekit.intake.events;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The job events as they happen, and the jobs recently announced by them. A port so the web layer
 * can be tested without the broker; the production implementation is {@link JobEventFeed}.
 */
public interface LiveJobEvents {

    /**
     * Hands every event of that job read from now on to {@code subscriber}, which must not block,
     * until the returned handle is closed.
     */
    AutoCloseable subscribe(String jobId, Consumer<JobEvent> subscriber);

    /** The job, when its {@code JobCreated} passed recently. */
    Optional<KnownJob> recentJob(String jobId);
}
