package io.migratekit.intake.events;

import java.util.List;

/**
 * The events a job had so far. A port so the web layer can be tested without the broker; the
 * production implementation is {@link JobEventReplay}.
 */
public interface PastJobEvents {

    /**
     * Every committed event of the job, in the order of its life.
     *
     * @throws IllegalStateException when they could not be read in time
     */
    List<JobEvent> replay(KnownJob job);
}
