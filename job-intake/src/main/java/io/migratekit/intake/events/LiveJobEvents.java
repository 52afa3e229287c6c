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
     * until the returned handle is closed. {@code vmwareVmId} is the job's VM, the key of all its
     * events: only the events of followed VMs are read in full.
     */
    AutoCloseable subscribe(String jobId, String vmwareVmId, Consumer<JobEvent> subscriber);

    /**
     * Hands every job event read from now on, of any job, and every failover event the console
     * shows ({@link JobEvent#FAILOVER_TOPICS}, their {@code jobId} null), to {@code subscriber},
     * which must not block, until the returned handle is closed.
     */
    AutoCloseable subscribeAll(Consumer<JobEvent> subscriber);

    /** The job, when its {@code JobCreated} passed recently. */
    Optional<KnownJob> recentJob(String jobId);
}
