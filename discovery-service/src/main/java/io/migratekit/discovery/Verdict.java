package io.migratekit.discovery;

import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiscoveryFailureReason;

/** The result of judging one discovery: the requested VM, mapped, or why there is none. */
public sealed interface Verdict {

    /** The requested VM, present with at least one disk, mapped to the canonical spec. */
    record Found(DiscoveredVm vm) implements Verdict {
    }

    /** No usable VM; the message is meant for the requester and carries no secret. */
    record Failed(DiscoveryFailureReason reason, String message) implements Verdict {
    }
}
