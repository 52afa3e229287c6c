package io.migratekit.discovery;

import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.NetworkSpec;
import io.migratekit.vma.VmaDtos;
import java.util.List;

/**
 * The canonical field mapping from a VMA discovery answer to our {@link DiscoveredVm}, with the
 * seed's fallbacks: {@code num_cpu}→{@code cpus} (else the VMA's {@code cpus} if positive, else 2),
 * {@code guest_os}→{@code os_type} (else the VMA's {@code os_type} if set, else {@code otherGuest}),
 * {@code memory_mb} (else 4096), {@code power_state} (else {@code poweredOn}); disks and networks
 * field for field. Owns the mapping only: which VM to map is {@link DiscoveryRules}' decision.
 */
public final class DiscoveredVmMapper {

    static final int FALLBACK_CPUS = 2;
    static final long FALLBACK_MEMORY_MB = 4096;
    static final String FALLBACK_POWER_STATE = "poweredOn";
    static final String FALLBACK_OS_TYPE = "otherGuest";

    private DiscoveredVmMapper() {
    }

    /**
     * @param vm      the VM the VMA reported (its id, name and path must be present)
     * @param vcenter the answer's {@code vcenter} block, may be null
     * @param target  what was asked for: the vCenter host and datacenter when the answer omits them
     */
    public static DiscoveredVm map(VmaDtos.Vm vm, VmaDtos.VcenterInfo vcenter, DiscoveryTarget target) {
        return DiscoveredVm.newBuilder()
                .setId(vm.id())
                .setName(vm.name())
                .setPath(vm.path())
                .setDatacenter(firstNonBlank(vm.datacenter(), vcenter == null ? null : vcenter.datacenter(),
                        target.datacenter()))
                .setVcenterHost(firstNonBlank(vcenter == null ? null : vcenter.host(), target.vcenterHost(), null))
                .setCpus(cpus(vm))
                .setMemoryMb(vm.memoryMb() != null && vm.memoryMb() > 0 ? vm.memoryMb() : FALLBACK_MEMORY_MB)
                .setPowerState(isBlank(vm.powerState()) ? FALLBACK_POWER_STATE : vm.powerState())
                .setOsType(osType(vm))
                .setVmxVersion(isBlank(vm.vmxVersion()) ? null : vm.vmxVersion())
                .setDisks(vm.disks() == null ? List.of() : vm.disks().stream().map(DiscoveredVmMapper::disk).toList())
                .setNetworks(vm.networks() == null ? List.of()
                        : vm.networks().stream().map(DiscoveredVmMapper::network).toList())
                .build();
    }

    static int cpus(VmaDtos.Vm vm) {
        if (vm.numCpu() != null && vm.numCpu() > 0) {
            return vm.numCpu();
        }
        if (vm.cpus() != null && vm.cpus() > 0) {
            return vm.cpus();
        }
        return FALLBACK_CPUS;
    }

    static String osType(VmaDtos.Vm vm) {
        if (!isBlank(vm.guestOs())) {
            return vm.guestOs();
        }
        if (!isBlank(vm.osType())) {
            return vm.osType();
        }
        return FALLBACK_OS_TYPE;
    }

    static DiskSpec disk(VmaDtos.Disk disk) {
        return DiskSpec.newBuilder()
                .setId(disk.id())
                .setLabel(disk.label())
                .setPath(disk.path())
                .setVmdkPath(disk.vmdkPath())
                .setSizeGb(disk.sizeGb())
                .setCapacityBytes(disk.capacityBytes())
                .setDatastore(disk.datastore())
                .setProvisioningType(disk.provisioningType())
                .setUnitNumber(disk.unitNumber())
                .build();
    }

    static NetworkSpec network(VmaDtos.Network network) {
        return NetworkSpec.newBuilder()
                .setLabel(network.label())
                .setNetworkName(network.networkName())
                .setAdapterType(network.adapterType())
                .setMacAddress(network.macAddress())
                .setConnected(network.connected())
                .build();
    }

    private static String firstNonBlank(String a, String b, String c) {
        if (!isBlank(a)) {
            return a;
        }
        if (!isBlank(b)) {
            return b;
        }
        return isBlank(c) ? null : c;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
