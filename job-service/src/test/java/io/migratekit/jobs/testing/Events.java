package io.migratekit.jobs.testing;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.FailoverCleanedUp;
import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverType;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.NetworkSpec;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.SourceVm;
import io.migratekit.events.VmDiscovered;
import io.migratekit.events.VolumeAttachment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Input events for tests, with realistic values and every required field set. */
public final class Events {

    public static final Instant T0 = Instant.parse("2025-09-23T10:15:30.123Z");

    private Events() {
    }

    public static DiskSpec disk(String id, long sizeGb) {
        return DiskSpec.newBuilder()
                .setId(id)
                .setLabel("Hard disk " + id.substring(id.indexOf('-') + 1))
                .setPath("[datastore1] vm/" + id + ".vmdk")
                .setVmdkPath("[datastore1] vm/" + id + ".vmdk")
                .setSizeGb(sizeGb)
                .setCapacityBytes(sizeGb * 1024L * 1024 * 1024)
                .setDatastore("datastore1")
                .setProvisioningType("thin")
                .setUnitNumber(Integer.parseInt(id.substring(id.length() - 1)))
                .build();
    }

    /** A discovered VM with one 40 GiB disk per id. */
    public static DiscoveredVm vm(String vmId, String name, String... diskIds) {
        List<DiskSpec> disks = new ArrayList<>();
        for (String diskId : diskIds) {
            disks.add(disk(diskId, 40));
        }
        return DiscoveredVm.newBuilder()
                .setId(vmId)
                .setName(name)
                .setPath("/DatabanxDC/vm/" + name)
                .setDatacenter("DatabanxDC")
                .setVcenterHost("vcenter.example.test")
                .setCpus(2)
                .setMemoryMb(8192)
                .setPowerState("poweredOn")
                .setOsType("linux")
                .setVmxVersion("vmx-19")
                .setDisks(disks)
                .setNetworks(List.of(NetworkSpec.newBuilder().setLabel("Network adapter 1")
                        .setNetworkName("VM Network").setAdapterType("vmxnet3")
                        .setMacAddress("00:50:56:00:00:01").setConnected(true).build()))
                .build();
    }

    /** A request to start replication of {@code vm}, as job-intake would send it. */
    public static ReplicationRequest.Builder request(DiscoveredVm vm) {
        return ReplicationRequest.newBuilder()
                .setSourceVm(SourceVm.newBuilder().setId(vm.getId()).setName(vm.getName()).setPath(vm.getPath())
                        .setVmId(vm.getId()).setVmName(vm.getName()).setVmPath(vm.getPath())
                        .setDatacenter(vm.getDatacenter()).setVcenterHost(vm.getVcenterHost()).build())
                .setOsseaConfigId(1L)
                .setVcenterHost(vm.getVcenterHost())
                .setDatacenter(vm.getDatacenter())
                .setStartReplication(true)
                .setRequestedBy("gui");
    }

    public static ReplicationRequested requested(String requestId, DiscoveredVm vm, ReplicationRequest request) {
        return ReplicationRequested.newBuilder()
                .setEventId("requested-" + requestId)
                .setOccurredAt(T0)
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.getId())
                .setRequest(request)
                .build();
    }

    public static VmDiscovered discovered(String requestId, DiscoveredVm vm, ReplicationRequest request) {
        return VmDiscovered.newBuilder()
                .setEventId("discovered-" + requestId)
                .setOccurredAt(T0)
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.getId())
                .setRequest(request)
                .setVm(vm)
                .setDiscoveryMs(120)
                .build();
    }

    public static VmDiscovered discovered(String requestId, DiscoveredVm vm) {
        return discovered(requestId, vm, request(vm).build());
    }

    public static VolumeAttachment volume(String diskId, String volumeId) {
        String export = "migration-vol-" + volumeId;
        return VolumeAttachment.newBuilder()
                .setDiskId(diskId)
                .setVmwareDiskKey(diskId.replace("disk-", ""))
                .setVolumeId(volumeId)
                .setNbdExportName(export)
                .setDevicePath("nbd://10.0.0.5:10809/" + export)
                .setSizeGb(40)
                .setReused(false)
                .build();
    }

    public static JobStarted jobStarted(String requestId, String vmId, String jobId, String contextId,
            List<VolumeAttachment> volumes) {
        return JobStarted.newBuilder()
                .setEventId("started-" + jobId)
                .setOccurredAt(T0)
                .setCorrelationId(requestId)
                .setVmwareVmId(vmId)
                .setJobId(jobId)
                .setContextId(contextId)
                .setReplicationType(ReplicationType.initial)
                .setVolumes(volumes)
                .setVmPath("/DatabanxDC/vm/x")
                .build();
    }

    public static ChangeIdRecorded changeIdRecorded(String requestId, String vmId, String jobId, String contextId,
            String diskId, String changeId) {
        return ChangeIdRecorded.newBuilder()
                .setEventId("changeid-" + jobId + "-" + diskId + "-" + changeId)
                .setOccurredAt(T0)
                .setCorrelationId(requestId)
                .setVmwareVmId(vmId)
                .setJobId(jobId)
                .setContextId(contextId)
                .setDiskId(diskId)
                .setChangeId(changeId)
                .build();
    }

    public static DiskChangeId changeId(String diskId, String changeId) {
        return new DiskChangeId(diskId, changeId);
    }

    public static JobCompleted jobCompleted(String requestId, String vmId, String jobId, String contextId,
            List<DiskChangeId> changeIds) {
        return JobCompleted.newBuilder()
                .setEventId("completed-" + jobId)
                .setOccurredAt(T0)
                .setCorrelationId(requestId)
                .setVmwareVmId(vmId)
                .setJobId(jobId)
                .setContextId(contextId)
                .setReplicationType(ReplicationType.initial)
                .setChangeIds(changeIds)
                .setBytesTransferred(42L * 1024 * 1024 * 1024)
                .setDurationMs(61_000)
                .build();
    }

    public static JobFailed jobFailed(String requestId, String vmId, String jobId, String contextId) {
        return JobFailed.newBuilder()
                .setEventId("failed-" + jobId)
                .setOccurredAt(T0)
                .setCorrelationId(requestId)
                .setVmwareVmId(vmId)
                .setJobId(jobId)
                .setContextId(contextId)
                .setReason(JobFailureReason.STALLED)
                .setStep("copy")
                .setMessage("no progress for 10 minutes")
                .build();
    }

    public static FailoverRequested failoverRequested(String failoverId, String vmId, String contextId,
            FailoverType type) {
        return FailoverRequested.newBuilder()
                .setEventId("failover-requested-" + failoverId)
                .setOccurredAt(T0)
                .setCorrelationId(failoverId)
                .setVmwareVmId(vmId)
                .setFailoverId(failoverId)
                .setContextId(contextId)
                .setVmName("pgtest1")
                .setFailoverType(type)
                .setPowerOnSourceOnFailure(true)
                .setTestNetwork(type == FailoverType.test ? "test-net" : null)
                .setFinalSyncDeadlineMinutes(30)
                .setRequestedBy("operator")
                .build();
    }

    public static FailoverCompleted failoverCompleted(String failoverId, String vmId, String contextId,
            FailoverType type) {
        return FailoverCompleted.newBuilder()
                .setEventId("failover-completed-" + failoverId)
                .setOccurredAt(T0)
                .setCorrelationId(failoverId)
                .setVmwareVmId(vmId)
                .setFailoverId(failoverId)
                .setContextId(contextId)
                .setFailoverType(type)
                .setTargetVmId("target-vm-1")
                .build();
    }

    public static FailoverFailed failoverFailed(String failoverId, String vmId, String contextId, FailoverType type) {
        return FailoverFailed.newBuilder()
                .setEventId("failover-failed-" + failoverId)
                .setOccurredAt(T0)
                .setCorrelationId(failoverId)
                .setVmwareVmId(vmId)
                .setFailoverId(failoverId)
                .setContextId(contextId)
                .setFailoverType(type)
                .setFailedStep(FailoverStep.final_sync)
                .setReason("final sync failed")
                .build();
    }

    public static FailoverCleanedUp failoverCleanedUp(String failoverId, String vmId, String contextId) {
        return FailoverCleanedUp.newBuilder()
                .setEventId("failover-cleaned-up-" + failoverId)
                .setOccurredAt(T0)
                .setCorrelationId(failoverId)
                .setVmwareVmId(vmId)
                .setFailoverId(failoverId)
                .setContextId(contextId)
                .build();
    }
}
