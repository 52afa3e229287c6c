package io.migratekit.cloudstack;

import java.util.List;
import java.util.Optional;

/**
 * The CloudStack (OSSEA) side of a migration, as the control plane needs it: target volumes for the
 * source disks, exported over NBD from the appliance so the VMA can write into them, and — for
 * failover — a VM built from those volumes (live) or from snapshots of them (test), powered on and
 * removed again.
 *
 * <p>Every operation is blocking and throws {@link TargetPlatformException} when the platform refuses
 * or fails. Creating operations are idempotent by their natural key (a volume by job and disk, a VM
 * by its request key), deleting operations by id (deleting what is already gone succeeds), so a
 * redelivered event never creates a second resource. Credentials of a real implementation (API and
 * secret keys) are its configuration; they never cross this interface.
 */
public interface TargetPlatform {

    /** Creates a volume for one source disk of one job, or returns the one already created for them. */
    TargetVolume createVolume(VolumeRequest request);

    /** The volume with this id, if it exists. */
    Optional<TargetVolume> findVolume(String volumeId);

    /**
     * Attaches the volume to the appliance and exports it over NBD as {@code migration-vol-<volume id>};
     * attaching an attached volume returns its existing export.
     */
    NbdExport attachToAppliance(String volumeId);

    /** Detaches the volume from the appliance (its NBD export ends); a detached volume is left as it is. */
    void detachFromAppliance(String volumeId);

    /** Deletes a detached volume that no VM uses; an unknown volume is already deleted. */
    void deleteVolume(String volumeId);

    /**
     * Creates a VM that boots from these volumes, first one as the root disk (live failover: the
     * volumes must be detached from the appliance). Idempotent by {@link TargetVmSpec#requestKey()}.
     */
    TargetVm createVmFromVolumes(TargetVmSpec spec, List<String> volumeIds);

    /**
     * Creates a VM from snapshots of these volumes (test failover: the volumes stay attached and keep
     * receiving syncs; the VM runs on clones). Idempotent by {@link TargetVmSpec#requestKey()}.
     */
    TargetVm createVmFromSnapshots(TargetVmSpec spec, List<String> volumeIds);

    /** The VM with this id, if it exists. */
    Optional<TargetVm> findVm(String vmId);

    /** Powers the VM on; a running VM is left running. */
    void powerOn(String vmId);

    /**
     * Deletes the VM: the clones of a snapshot-based VM go with it, the volumes of a volume-based VM
     * are released and kept. An unknown VM is already deleted.
     */
    void deleteVm(String vmId);
}
