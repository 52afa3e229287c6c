package io.migratekit.intake.events;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The VMware VM ids (the key of every pipeline record) someone watches right now, counted: a VM
 * watched by two waits or subscriptions stays watched until both ended. Lets a listener pass over a
 * record by its key without decoding it. Thread-safe; owns only the counts, not what is watched for.
 */
public final class WatchedVms {

    private final ConcurrentMap<String, Integer> watchers = new ConcurrentHashMap<>();

    /** One more watcher of this VM; undo it with {@link #unwatch} exactly once. */
    public void watch(String vmwareVmId) {
        watchers.merge(vmwareVmId, 1, Integer::sum);
    }

    /** One watcher of this VM fewer. */
    public void unwatch(String vmwareVmId) {
        watchers.computeIfPresent(vmwareVmId, (vm, count) -> count == 1 ? null : count - 1);
    }

    public boolean watched(String vmwareVmId) {
        return watchers.containsKey(vmwareVmId);
    }

    /** VMs with at least one watcher. */
    public int size() {
        return watchers.size();
    }
}
