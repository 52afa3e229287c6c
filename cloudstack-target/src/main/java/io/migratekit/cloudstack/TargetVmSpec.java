package io.migratekit.cloudstack;

import java.util.Objects;

/**
 * The VM to create on the target platform.
 *
 * @param requestKey idempotency key, e.g. the failover id: a second create with it returns the first VM
 * @param name       VM name
 * @param cpus       vCPUs
 * @param memoryMb   memory in MiB
 * @param osType     guest OS family as discovered ({@code windows}, {@code linux}, ...)
 * @param network    network to attach (for a test failover, the test network), or null for the default
 */
public record TargetVmSpec(String requestKey, String name, int cpus, long memoryMb, String osType, String network) {

    public TargetVmSpec {
        Objects.requireNonNull(requestKey, "requestKey");
        Objects.requireNonNull(name, "name");
        if (cpus <= 0 || memoryMb <= 0) {
            throw new IllegalArgumentException("a VM needs at least one CPU and some memory");
        }
    }
}
