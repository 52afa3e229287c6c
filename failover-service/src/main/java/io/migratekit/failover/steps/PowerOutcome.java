package io.migratekit.failover.steps;

/**
 * How a power operation on the source VM ended.
 *
 * @param success        the VM is confirmed in the wanted state
 * @param changed        the VM was in the other state before (false: already off / already on)
 * @param sourceMayBeOff the source VM may be powered off now (a power-off was accepted, even if not confirmed)
 * @param message        what happened, for the step's record (never a credential)
 */
public record PowerOutcome(boolean success, boolean changed, boolean sourceMayBeOff, String message) {
}
