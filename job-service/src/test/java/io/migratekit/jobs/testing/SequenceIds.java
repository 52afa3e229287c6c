package io.migratekit.jobs.testing;

import io.migratekit.jobs.decision.IdSource;
import io.migratekit.schemas.EventIds;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** Predictable ids: {@code event-1}, {@code event-2}, ..., {@code job-1}, ...; context ids as in production. */
public final class SequenceIds implements IdSource {

    private final AtomicInteger events = new AtomicInteger();
    private final AtomicInteger jobs = new AtomicInteger();

    @Override
    public String eventId() {
        return "event-" + events.incrementAndGet();
    }

    @Override
    public String jobId(Instant at) {
        return "job-" + jobs.incrementAndGet();
    }

    @Override
    public String contextId(String vmName, String vmwareVmId, Instant at) {
        return EventIds.newContextId(vmName, vmwareVmId, at);
    }
}
