package io.migratekit.cloudstack;

import java.util.List;

/**
 * A VM on the target platform.
 *
 * @param vmId          the platform's id
 * @param spec          what it was created from
 * @param volumeIds     the volumes it boots from, root first (clones for a snapshot-based VM)
 * @param fromSnapshots whether it runs on clones of snapshots (test failover)
 * @param running       whether it is powered on
 */
public record TargetVm(String vmId, TargetVmSpec spec, List<String> volumeIds, boolean fromSnapshots, boolean running) {

    public TargetVm {
        volumeIds = List.copyOf(volumeIds);
    }
}
