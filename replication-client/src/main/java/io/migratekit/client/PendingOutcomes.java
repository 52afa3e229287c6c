package io.migratekit.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The requests waiting for their outcome, keyed by request id: one small future each, removed when
 * the outcome arrives, when its bounded wait passes, or when the client closes, so thousands of
 * waiting requests cost thousands of map entries and nothing more (no thread per request). Also
 * counts the waits per VMware VM id (the key of every outcome record), so the listener can tell
 * from a record's key alone whether anyone may wait for it. Owns no Kafka resource.
 */
final class PendingOutcomes {

    private final ConcurrentMap<String, CompletableFuture<Optional<ReplicationOutcome>>> waiting =
            new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Integer> waitsPerVm = new ConcurrentHashMap<>();

    /**
     * Starts waiting for the outcome of {@code requestId}, a request for the VM {@code vmwareVmId};
     * the returned future completes empty after {@code wait}.
     *
     * @throws IllegalArgumentException if that request id is already waited for
     */
    CompletableFuture<Optional<ReplicationOutcome>> register(String requestId, String vmwareVmId, Duration wait) {
        CompletableFuture<Optional<ReplicationOutcome>> future = new CompletableFuture<>();
        // The VM is watched before the wait can be completed, and until the wait has ended however it ends.
        waitsPerVm.merge(vmwareVmId, 1, Integer::sum);
        if (waiting.putIfAbsent(requestId, future) != null) {
            unwatch(vmwareVmId);
            throw new IllegalArgumentException("request id " + requestId + " is already waiting for its outcome");
        }
        future.whenComplete((outcome, error) -> {
            waiting.remove(requestId, future);
            unwatch(vmwareVmId);
        });
        future.completeOnTimeout(Optional.empty(), Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        return future;
    }

    /** Whether a request for this VM waits: only such a VM's records can hold an outcome someone waits for. */
    boolean awaitsVm(String vmwareVmId) {
        return waitsPerVm.containsKey(vmwareVmId);
    }

    /** Hands the outcome to its waiting request; returns false when nobody waits for it (any more). */
    boolean complete(ReplicationOutcome outcome) {
        CompletableFuture<Optional<ReplicationOutcome>> future = waiting.get(outcome.requestId());
        return future != null && future.complete(Optional.of(outcome));
    }

    /** Stops waiting for a request whose publish failed. */
    void forget(String requestId) {
        CompletableFuture<Optional<ReplicationOutcome>> future = waiting.remove(requestId);
        if (future != null) {
            future.complete(Optional.empty());
        }
    }

    /** Ends every wait with "no outcome (yet)". */
    void releaseAll() {
        for (String requestId : waiting.keySet()) {
            forget(requestId);
        }
    }

    int size() {
        return waiting.size();
    }

    /** VMs with at least one waiting request. */
    int watchedVms() {
        return waitsPerVm.size();
    }

    private void unwatch(String vmwareVmId) {
        waitsPerVm.computeIfPresent(vmwareVmId, (vm, waits) -> waits == 1 ? null : waits - 1);
    }
}
