package io.migratekit.intake.request;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.NetworkSpec;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.SourceVm;
import java.util.List;

/**
 * A validated {@code POST /api/v1/replications} body, every field of the canonical pattern as the
 * client sent it (empty strings read as "not set"). {@code replicationType} null means
 * auto-detect. Turns into the {@code ReplicationRequest} of the command event; owns no rule.
 */
public record ReplicationRequestBody(
        SourceVmBody sourceVm,
        Long osseaConfigId,
        String replicationType,
        String targetNetwork,
        String vcenterHost,
        String datacenter,
        String changeId,
        String previousChangeId,
        String snapshotId,
        boolean startReplication,
        String scheduleExecutionId,
        String vmGroupId,
        String scheduledBy) {

    /** The {@code source_vm} object, duplicated compatibility fields included. */
    public record SourceVmBody(
            String id,
            String name,
            String path,
            String vmId,
            String vmName,
            String vmPath,
            String datacenter,
            String vcenterHost,
            Integer cpus,
            Long memoryMb,
            String powerState,
            String osType,
            String vmxVersion,
            List<DiskBody> disks,
            List<NetworkBody> networks) {
    }

    /** One entry of {@code source_vm.disks} (in a 201 answer: a disk the job copies, unset fields left out). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DiskBody(
            String id,
            String label,
            String path,
            String vmdkPath,
            Long sizeGb,
            Long capacityBytes,
            String datastore,
            String provisioningType,
            Integer unitNumber) {
    }

    /** One entry of {@code source_vm.networks}. */
    public record NetworkBody(
            String label,
            String networkName,
            String adapterType,
            String macAddress,
            Boolean connected) {
    }

    /** The command's request, with the authenticated principal as {@code requested_by}. */
    public ReplicationRequest toEvent(String requestedBy) {
        SourceVmBody vm = sourceVm;
        return ReplicationRequest.newBuilder()
                .setSourceVm(SourceVm.newBuilder()
                        .setId(vm.id()).setName(vm.name()).setPath(vm.path())
                        .setVmId(vm.vmId()).setVmName(vm.vmName()).setVmPath(vm.vmPath())
                        .setDatacenter(vm.datacenter()).setVcenterHost(vm.vcenterHost())
                        .setCpus(vm.cpus()).setMemoryMb(vm.memoryMb())
                        .setPowerState(vm.powerState()).setOsType(vm.osType()).setVmxVersion(vm.vmxVersion())
                        .setDisks(vm.disks().stream().map(ReplicationRequestBody::disk).toList())
                        .setNetworks(vm.networks().stream().map(ReplicationRequestBody::network).toList())
                        .build())
                .setOsseaConfigId(osseaConfigId)
                .setReplicationType(replicationType == null ? null : ReplicationType.valueOf(replicationType))
                .setTargetNetwork(targetNetwork)
                .setVcenterHost(vcenterHost)
                .setDatacenter(datacenter)
                .setChangeId(changeId)
                .setPreviousChangeId(previousChangeId)
                .setSnapshotId(snapshotId)
                .setStartReplication(startReplication)
                .setScheduleExecutionId(scheduleExecutionId)
                .setVmGroupId(vmGroupId)
                .setScheduledBy(scheduledBy)
                .setRequestedBy(requestedBy)
                .setFailoverId(null)
                .build();
    }

    private static DiskSpec disk(DiskBody disk) {
        return DiskSpec.newBuilder()
                .setId(disk.id()).setLabel(disk.label()).setPath(disk.path()).setVmdkPath(disk.vmdkPath())
                .setSizeGb(disk.sizeGb()).setCapacityBytes(disk.capacityBytes()).setDatastore(disk.datastore())
                .setProvisioningType(disk.provisioningType()).setUnitNumber(disk.unitNumber())
                .build();
    }

    private static NetworkSpec network(NetworkBody network) {
        return NetworkSpec.newBuilder()
                .setLabel(network.label()).setNetworkName(network.networkName())
                .setAdapterType(network.adapterType()).setMacAddress(network.macAddress())
                .setConnected(network.connected())
                .build();
    }
}
