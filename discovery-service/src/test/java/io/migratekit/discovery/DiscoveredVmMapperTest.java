package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.NetworkSpec;
import io.migratekit.vma.VmaDtos;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveredVmMapperTest {

    private static final DiscoveryTarget TARGET = new DiscoveryTarget("vm-1", "pgtest1", "vc-request", "DC-request");

    @Test
    void mapsEveryFieldOfTheVmaAnswer() {
        // given
        VmaDtos.Vm vm = VmaVms.vm("vm-1", "pgtest1", List.of(VmaVms.disk("disk-2000", 0), VmaVms.disk("disk-2001", 1)));

        // when
        DiscoveredVm mapped = DiscoveredVmMapper.map(vm, new VmaDtos.VcenterInfo("vc-01.example", "DemoDC"), TARGET);

        // then
        assertThat(mapped).isEqualTo(DiscoveredVm.newBuilder()
                .setId("vm-1")
                .setName("pgtest1")
                .setPath("/DemoDC/vm/db/pgtest1")
                .setDatacenter("DemoDC")
                .setVcenterHost("vc-01.example")
                .setCpus(4)
                .setMemoryMb(8192L)
                .setPowerState("poweredOn")
                .setOsType("linux")
                .setVmxVersion("vmx-19")
                .setDisks(List.of(
                        DiskSpec.newBuilder().setId("disk-2000").setLabel("Hard disk 1")
                                .setPath("[ds-ssd-01] pgtest1/pgtest1_0.vmdk")
                                .setVmdkPath("[ds-ssd-01] pgtest1/pgtest1_0.vmdk").setSizeGb(40L)
                                .setCapacityBytes(42949672960L).setDatastore("ds-ssd-01")
                                .setProvisioningType("thin").setUnitNumber(0).build(),
                        DiskSpec.newBuilder().setId("disk-2001").setLabel("Hard disk 2")
                                .setPath("[ds-ssd-01] pgtest1/pgtest1_1.vmdk")
                                .setVmdkPath("[ds-ssd-01] pgtest1/pgtest1_1.vmdk").setSizeGb(40L)
                                .setCapacityBytes(42949672960L).setDatastore("ds-ssd-01")
                                .setProvisioningType("thin").setUnitNumber(1).build()))
                .setNetworks(List.of(NetworkSpec.newBuilder().setLabel("Network adapter 1")
                        .setNetworkName("VM Network").setAdapterType("vmxnet3").setMacAddress("00:50:56:aa:bb:cc")
                        .setConnected(true).build()))
                .build());
    }

    @Test
    void emptyHardwareFieldsFallBackToTheSeedsDefaults() {
        // given: nothing but identity, and no vcenter block in the answer
        VmaDtos.Vm vm = new VmaDtos.Vm("vm-1", "pgtest1", "/DC/vm/pgtest1", null, null, null, null, null, " ",
                null, null, null, null);

        // when
        DiscoveredVm mapped = DiscoveredVmMapper.map(vm, null, TARGET);

        // then
        assertThat(mapped).isEqualTo(DiscoveredVm.newBuilder()
                .setId("vm-1")
                .setName("pgtest1")
                .setPath("/DC/vm/pgtest1")
                .setDatacenter("DC-request")
                .setVcenterHost("vc-request")
                .setCpus(2)
                .setMemoryMb(4096L)
                .setPowerState("poweredOn")
                .setOsType("otherGuest")
                .setVmxVersion(null)
                .setDisks(List.of())
                .setNetworks(List.of())
                .build());
    }

    @Test
    void zeroCpusAndMemoryAreTreatedAsMissing() {
        // given
        VmaDtos.Vm vm = new VmaDtos.Vm("vm-1", "pgtest1", "/DC/vm/pgtest1", "DC", "poweredOff", "", 0, 0L, "vmx-15",
                0, "", List.of(), List.of());

        // when
        DiscoveredVm mapped = DiscoveredVmMapper.map(vm, new VmaDtos.VcenterInfo("", ""), TARGET);

        // then
        assertThat(mapped.getCpus()).isEqualTo(2);
        assertThat(mapped.getMemoryMb()).isEqualTo(4096L);
        assertThat(mapped.getOsType()).isEqualTo("otherGuest");
        assertThat(mapped.getPowerState()).isEqualTo("poweredOff");
        assertThat(mapped.getVcenterHost()).isEqualTo("vc-request");
        assertThat(mapped.getDatacenter()).isEqualTo("DC");
    }

    @Test
    void theVmasCpusAndOsTypeAreUsedWhenNumCpuAndGuestOsAreMissing() {
        // given
        VmaDtos.Vm vm = new VmaDtos.Vm("vm-1", "pgtest1", "/DC/vm/pgtest1", "DC", "poweredOn", null, null, 2048L,
                "vmx-19", 6, "windows", List.of(), List.of());

        // when
        DiscoveredVm mapped = DiscoveredVmMapper.map(vm, null, TARGET);

        // then
        assertThat(mapped.getCpus()).isEqualTo(6);
        assertThat(mapped.getOsType()).isEqualTo("windows");
        assertThat(mapped.getMemoryMb()).isEqualTo(2048L);
    }

    @Test
    void numCpuAndGuestOsWinOverCpusAndOsType() {
        // given
        VmaDtos.Vm vm = new VmaDtos.Vm("vm-1", "pgtest1", "/DC/vm/pgtest1", "DC", "poweredOn", "linux", 8, 2048L,
                "vmx-19", 6, "windows", List.of(), List.of());

        // when
        DiscoveredVm mapped = DiscoveredVmMapper.map(vm, null, TARGET);

        // then
        assertThat(mapped.getCpus()).isEqualTo(8);
        assertThat(mapped.getOsType()).isEqualTo("linux");
    }
}
