package io.migratekit.failover.steps;

import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetVm;
import io.migratekit.cloudstack.TargetVmSpec;
import io.migratekit.failover.process.FailoverProcess;
import io.migratekit.failover.process.Sizing;
import java.util.List;
import java.util.Objects;

/**
 * The target side of a failover on the {@link TargetPlatform}: a live failover's VM boots from the
 * replicated volumes themselves (detached from the appliance first), a test failover's from snapshots
 * of them on the test network, so the volumes keep receiving syncs. A live VM goes on the
 * replication's {@code target_network} (the target maps it to its networks; none named: the target's
 * default live networks). Both are created idempotently by
 * the failover id, powered on, and removed again by id (a test cleanup, a rollback). Blocking; throws
 * {@link io.migratekit.cloudstack.TargetPlatformException} when the platform refuses.
 */
public class TargetVmBuilder {

    private final TargetPlatform target;

    public TargetVmBuilder(TargetPlatform target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * Creates the failover's VM (or returns the one created before for it).
     *
     * @param targetNetwork the replication's {@code target_network}, or null/blank when none was named;
     *                      used by a live failover only (a test failover uses its test network)
     */
    public TargetVm create(FailoverProcess process, List<String> volumeIds, Sizing sizing, String targetNetwork) {
        String liveNetwork = targetNetwork == null || targetNetwork.isBlank() ? null : targetNetwork;
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
        target.powerOn(vmId);
    }

    /** Deletes the VM; a snapshot-based VM's clones go with it, a volume-based VM's volumes are released. */
    public void delete(String vmId) {
        target.deleteVm(vmId);
    }

    /** The live VM takes the source's name; a test VM is told apart from it. */
    static String vmName(FailoverProcess process) {
        return process.isLive() ? process.vmName() : process.vmName() + "-test-failover";
    }
}
