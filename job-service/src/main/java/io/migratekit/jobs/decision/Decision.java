package io.migratekit.jobs.decision;

import io.migratekit.events.VmContext;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the decider made of one input event: the context's new state (null when it did not change),
 * the events to emit, in order, and a one-word outcome for the event log.
 *
 * @param state   the new context, or null when the context is unchanged
 * @param events  the facts to publish (ContextCreated, JobCreated, ReplicationRejected, FailoverAccepted,
 *                FailoverRejected), in order;
 *                the changed context itself is not among them
 * @param outcome what happened, for {@code EventLog}
 */
public record Decision(VmContext state, List<SpecificRecord> events, String outcome) {

    public Decision {
        events = List.copyOf(events);
    }

    /** Nothing changes and nothing is emitted. */
    public static Decision unchanged(String outcome) {
        return new Decision(null, List.of(), outcome);
    }

    public boolean changesState() {
        return state != null;
    }
}
