package io.migratekit.failover.process;

/**
 * The size of the source VM as its context records it, which the target VM is given.
 *
 * @param cpus     vCPUs
 * @param memoryMb memory in MiB
 * @param osType   guest OS family ({@code windows}, {@code linux}, ...), or null when unknown
 */
public record Sizing(int cpus, long memoryMb, String osType) {
}
