package io.migratekit.cssim;

import java.util.Collection;

import io.migratekit.cssim.CloudState.Volume;
import io.migratekit.cssim.CloudState.Vm;

/**
 * CloudStack's rules for volumes and VMs as the simulator enforces them, as pure checks that throw
 * {@link ApiException#rule} (431, cserrorcode 4350) with CloudStack's wording. Owns the decisions
 * only; {@link Cloud} applies the changes.
 */
final class Rules {

    /** CloudStack keeps device id 3 for the CD-ROM. */
    private static final long CDROM_DEVICE_ID = 3;

    private Rules() {
    }

    /**
     * Attach: the volume must be detached, in the VM's zone and of the VM's account; the VM not
     * destroyed; device id 0 (becoming the ROOT) only when the VM has no ROOT, and no device id used
     * twice. Returns the device id to use ({@code requested}, or the lowest free one from 1).
     */
    static long attach(Volume volume, Vm vm, Long requested, Collection<Volume> volumesOfVm) {
        if (volume.virtualMachineId != null) {
            throw ApiException.rule("Please specify a volume that is not attached to any VM.");
        }
        if ("Destroyed".equals(vm.state)) {
            throw ApiException.rule("Please specify a VM that is either running or stopped.");
        }
        if (!volume.zoneId.equals(vm.zoneId)) {
            throw ApiException.rule("Please specify a VM that is in the same zone as the volume.");
        }
        if (!volume.accountName.equals(vm.accountName)) {
            throw ApiException.rule("Volume " + volume.id + " and VM " + vm.id + " belong to different accounts");
        }
        if (requested != null) {
            if (requested < 0) {
                throw ApiException.rule("deviceId must not be negative");
            }
            if (requested == 0 && volumesOfVm.stream().anyMatch(v -> "ROOT".equals(v.type))) {
                throw ApiException.rule("Vm already has root volume attached to it");
            }
            if (requested == CDROM_DEVICE_ID) {
                throw ApiException.rule("deviceId 3 is reserved for the CD-ROM");
            }
            if (volumesOfVm.stream().anyMatch(v -> requested.equals(v.deviceId))) {
                throw ApiException.rule("deviceId " + requested + " is used by vm " + vm.id);
            }
            return requested;
        }
        long id = 1;
        while (id == CDROM_DEVICE_ID || usedBy(volumesOfVm, id)) {
            id++;
        }
        return id;
    }

    /** Detach: the volume must be attached; a ROOT only from a stopped VM. */
    static void detach(Volume volume, Vm vm) {
        if (volume.virtualMachineId == null || vm == null) {
            throw ApiException.rule("Please specify a volume that is attached to a VM.");
        }
        if ("ROOT".equals(volume.type) && "Running".equals(vm.state)) {
            throw ApiException.rule("Root volume " + volume.id + " can be detached only when the VM is stopped");
        }
    }

    /** Delete: only a detached volume. */
    static void delete(Volume volume) {
        if (volume.virtualMachineId != null) {
            throw ApiException.rule("Please specify a volume that is not attached to any VM.");
        }
    }

    /** Snapshot: only a volume that has storage (Ready, i.e. attached at least once or made from a snapshot). */
    static void snapshot(Volume volume) {
        if (!"Ready".equals(volume.state)) {
            throw ApiException.rule("VolumeId: " + volume.id + " is not in Ready state but " + volume.state + ". Cannot take snapshot.");
        }
    }

    /** Start: a VM that is not destroyed and has a ROOT volume. */
    static void start(Vm vm, Collection<Volume> volumesOfVm) {
        if ("Destroyed".equals(vm.state)) {
            throw ApiException.rule("Unable to start VM " + vm.id + ": it is destroyed");
        }
        if (volumesOfVm.stream().noneMatch(v -> "ROOT".equals(v.type))) {
            throw ApiException.rule("Unable to start VM " + vm.id + ": it has no ROOT volume");
        }
    }

    private static boolean usedBy(Collection<Volume> volumes, long deviceId) {
        return volumes.stream().anyMatch(v -> v.deviceId != null && v.deviceId == deviceId);
    }
}
