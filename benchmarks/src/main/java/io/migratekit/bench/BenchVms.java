package io.migratekit.bench;

import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.NetworkSpec;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.SourceVm;
import io.migratekit.events.VmDiscovered;
import io.migratekit.schemas.EventIds;
import io.migratekit.vmasim.SimDisk;
import io.migratekit.vmasim.SimNetwork;
import io.migratekit.vmasim.SimVm;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark's VMs and what is sent about them, shaped as the pipeline's own producers shape it:
 * the REST body of the seed's external-API example, the {@code ReplicationRequested} a producer
 * publishes, and the {@code VmDiscovered} discovery-service publishes (for runs that measure the
 * decision alone). Every VM has one 1 GiB disk, so the simulated copy of a created job ends within
 * seconds and finished jobs do not keep loading the machine — unless a figure asks for a larger disk (a
 * copy that must keep running while it measures). Owns no VM: the simulator's inventory does.
 */
final class BenchVms {

    static final String VCENTER_HOST = "vcenter.bench.local";
    static final String REQUESTED_BY = "benchmark";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BenchVms() {
    }

    /** {@code count} new VMs named {@code <prefix>-000001}…, one 1 GiB disk each (fixed-width names: none contains another). */
    static List<SimVm> create(String prefix, int count) {
        return create(prefix, count, 1L << 30);
    }

    /** {@code count} new VMs named as {@link #create(String, int)} names them, one disk of {@code diskBytes} each. */
    static List<SimVm> create(String prefix, int count, long diskBytes) {
        List<SimVm> vms = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            vms.add(SimVm.builder(String.format(Locale.ROOT, "%s-%07d", prefix, i)).folder("bench").disk(diskBytes)
                    .build());
        }
        return vms;
    }

    static ReplicationRequest request(SimVm vm, boolean startReplication) {
        return ReplicationRequest.newBuilder()
                .setSourceVm(SourceVm.newBuilder()
                        .setId(vm.id())
                        .setName(vm.name())
                        .setPath(vm.path())
                        .setDatacenter(vm.datacenter())
                        .setVcenterHost(VCENTER_HOST)
                        .setCpus(vm.numCpu())
                        .setMemoryMb(vm.memoryMb())
                        .setPowerState(vm.powerState().wire())
                        .setOsType(vm.guestOs())
                        .build())
                .setOsseaConfigId(1L)
                .setVcenterHost(VCENTER_HOST)
                .setDatacenter(vm.datacenter())
                .setStartReplication(startReplication)
                .setRequestedBy(REQUESTED_BY)
                .build();
    }

    static ReplicationRequested requested(SimVm vm, String requestId, boolean startReplication) {
        return ReplicationRequested.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(now())
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.id())
                .setRequest(request(vm, startReplication))
                .build();
    }

    static VmDiscovered discovered(SimVm vm, String requestId, boolean startReplication) {
        return VmDiscovered.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(now())
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.id())
                .setRequest(request(vm, startReplication))
                .setVm(discoveredVm(vm))
                .setDiscoveryMs(0)
                .build();
    }

    /** The VM as discovery-service maps the VMA's answer about it. */
    static DiscoveredVm discoveredVm(SimVm vm) {
        List<DiskSpec> disks = new ArrayList<>();
        for (SimDisk disk : vm.disks()) {
            disks.add(DiskSpec.newBuilder()
                    .setId(disk.id())
                    .setLabel(disk.label())
                    .setPath(disk.vmdkPath())
                    .setVmdkPath(disk.vmdkPath())
                    .setSizeGb(disk.sizeGb())
                    .setCapacityBytes(disk.capacityBytes())
                    .setDatastore(disk.datastore())
                    .setProvisioningType(disk.provisioningType())
                    .setUnitNumber(disk.unitNumber())
                    .build());
        }
        List<NetworkSpec> networks = new ArrayList<>();
        for (SimNetwork network : vm.networks()) {
            networks.add(NetworkSpec.newBuilder()
                    .setLabel(network.label())
                    .setNetworkName(network.networkName())
                    .setAdapterType(network.adapterType())
                    .setMacAddress(network.macAddress())
                    .setConnected(network.connected())
                    .build());
        }
        return DiscoveredVm.newBuilder()
                .setId(vm.id())
                .setName(vm.name())
                .setPath(vm.path())
                .setDatacenter(vm.datacenter())
                .setVcenterHost(VCENTER_HOST)
                .setCpus(vm.numCpu())
                .setMemoryMb(vm.memoryMb())
                .setPowerState(vm.powerState().wire())
                .setOsType(vm.guestOs())
                .setVmxVersion(vm.vmxVersion())
                .setDisks(disks)
                .setNetworks(networks)
                .build();
    }

    /** The seed's external-API body for the VM ({@code start_replication} left to its default, true). */
    static String restBody(SimVm vm) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode source = body.putObject("source_vm");
        source.put("id", vm.id());
        source.put("name", vm.name());
        source.put("path", vm.path());
        source.put("datacenter", vm.datacenter());
        source.put("vcenter_host", VCENTER_HOST);
        source.put("cpus", vm.numCpu());
        source.put("memory_mb", vm.memoryMb());
        source.put("power_state", vm.powerState().wire());
        source.put("os_type", vm.guestOs());
        source.putArray("disks");
        source.putArray("networks");
        body.put("ossea_config_id", 1);
        body.put("replication_type", "initial");
        return body.toString();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
