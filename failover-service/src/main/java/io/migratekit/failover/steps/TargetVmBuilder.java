package io.migratekit.failover.steps;

import io.migratekit.cloudstack.TargetOperation;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.cloudstack.TargetVm;
import io.migratekit.cloudstack.TargetVmSpec;
import io.migratekit.failover.process.FailoverProcess;
import io.migratekit.failover.process.Sizing;
import java.util.List;
import java.util.Objects;

/**
 * The target side of a failover on the {@link TargetPlatform} of the CloudStack target that holds the
 * replicated volumes (the one the jobs' {@code ossea_config_id} named): a live failover's VM boots from the
 * replicated volumes themselves (detached from the appliance first), a test failover's from snapshots
 * of them on the test network, so the volumes keep receiving syncs. A live VM goes on the
 * replication's {@code target_network} (the target maps it to its networks; none named: the target's
 * default live networks). Both are created idempotently by
 * the failover id, powered on, and removed again by id (a test cleanup, a rollback) in the target that
 * has the VM. Blocking; throws
 * {@link io.migratekit.cloudstack.TargetPlatformException} when the platform refuses.
 */
public class TargetVmBuilder {

    private final TargetPlatforms targets;

    public TargetVmBuilder(TargetPlatforms targets) {
        this.targets = Objects.requireNonNull(targets, "targets");
    }

    /**
     * Creates the failover's VM (or returns the one created before for it).
     *
     * @param targetNetwork the replication's {@code target_network}, or null/blank when none was named;
     *                      used by a live failover only (a test failover uses its test network)
     */
    public TargetVm create(FailoverProcess process, List<String> volumeIds, Sizing sizing, String targetNetwork) {
        String liveNetwork = targetNetwork == null || targetNetwork.isBlank() ? null : targetNetwork;
        if (volumeIds.isEmpty()) {
            throw new TargetPlatformException(TargetOperation.CREATE_VM, "failover " + process.failoverId()
                    + " has no replicated volumes to build a VM from");
        }
        TargetPlatform target = targets.holdingVolume(volumeIds.get(0)).orElseThrow(() -> new TargetPlatformException(
                TargetOperation.CREATE_VM, "volume " + volumeIds.get(0) + " is in no configured CloudStack target ("
                        + targets.ids() + ")"));
        TargetVmSpec spec = new TargetVmSpec(process.failoverId(), vmName(process), sizing.cpus(), sizing.memoryMb(),
                sizing.osType(), process.isLive() ? liveNetwork : process.testNetwork());
        if (process.isLive()) {
            for (String volumeId : volumeIds) {
                target.detachFromAppliance(volumeId);
            }
            return target.createVmFromVolumes(spec, volumeIds);
        }
        return target.createVmFromSnapshots(spec, volumeIds);
    }

    public void powerOn(String vmId) {
        targets.holdingVm(vmId).orElseThrow(() -> new TargetPlatformException(TargetOperation.POWER_ON_VM,
                "VM " + vmId + " is in no configured CloudStack target (" + targets.ids() + ")")).powerOn(vmId);
    }

    /** Deletes the VM; a snapshot-based VM's clones go with it, a volume-based VM's volumes are released. */
    public void delete(String vmId) {
        targets.holdingVm(vmId).ifPresent(target -> target.deleteVm(vmId));
    }

    /** The live VM takes the source's name; a test VM is told apart from it. */
    static String vmName(FailoverProcess process) {
        return process.isLive() ? process.vmName() : process.vmName() + "-test-failover";
    }
}
