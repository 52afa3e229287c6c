package io.migratekit.discovery;

import io.migratekit.vma.VmaDtos;
import java.util.List;

/** VMs as the VMA's discovery answers describe them, for the tests. */
final class VmaVms {

    private VmaVms() {
    }

    static VmaDtos.Disk disk(String id, int unit) {
        return new VmaDtos.Disk(id, "Hard disk " + (unit + 1), "[ds-ssd-01] pgtest1/pgtest1_" + unit + ".vmdk",
                "[ds-ssd-01] pgtest1/pgtest1_" + unit + ".vmdk", 40L, 42949672960L, "ds-ssd-01", "thin", unit);
    }

    static VmaDtos.Network network() {
        return new VmaDtos.Network("Network adapter 1", "VM Network", "vmxnet3", "00:50:56:aa:bb:cc", true);
    }

    /** A VM as the real VMA reports it: {@code cpus} and {@code os_type} empty. */
    static VmaDtos.Vm vm(String id, String name, List<VmaDtos.Disk> disks) {
        return new VmaDtos.Vm(id, name, "/DemoDC/vm/db/" + name, "DemoDC", "poweredOn", "linux", 4, 8192L, "vmx-19",
                0, "", disks, List.of(network()));
    }

    static VmaDtos.DiscoverResponse answer(VmaDtos.Vm... vms) {
        return new VmaDtos.DiscoverResponse(new VmaDtos.VcenterInfo("vc-01.example", "DemoDC"), List.of(vms));
    }
}
