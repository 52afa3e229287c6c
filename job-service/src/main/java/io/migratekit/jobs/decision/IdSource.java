package io.migratekit.jobs.decision;

import io.migratekit.schemas.EventIds;
import java.time.Instant;

/**
 * Where the decision's new ids come from: event ids, job ids and context ids in the formats of
 * {@link EventIds}. Exists so tests can make the output fully predictable.
 */
public interface IdSource {

    String eventId();

    String jobId(Instant at);

    String contextId(String vmName, Instant at);

    /** The production ids: random event ids and job-id suffixes, time-based context ids. */
    static IdSource standard() {
        return new IdSource() {
            @Override
            public String eventId() {
                return EventIds.newEventId();
            }

            @Override
            public String jobId(Instant at) {
                return EventIds.newJobId(at);
            }

            @Override
            public String contextId(String vmName, Instant at) {
                return EventIds.newContextId(vmName, at);
            }
        };
    }
}
