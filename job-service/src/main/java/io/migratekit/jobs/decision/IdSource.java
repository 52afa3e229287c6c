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

    /** Unique per VM id: two VMs of one name created in the same second get different ids. */
    String contextId(String vmName, String vmwareVmId, Instant at);

    /** The production ids: random event ids and job-id suffixes, context ids of name, time and VM id. */
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
            public String contextId(String vmName, String vmwareVmId, Instant at) {
                return EventIds.newContextId(vmName, vmwareVmId, at);
            }
        };
    }
}
