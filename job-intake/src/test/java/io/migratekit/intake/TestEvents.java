package io.migratekit.intake;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.ContextStatus;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.DiskProgress;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.SourceVm;
import io.migratekit.events.VolumeAttachment;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds complete events of the outcome topics for the tests: the test plays the pipeline. */
public final class TestEvents {

    public static final Instant AT = Instant.parse("2025-09-23T10:15:30.123Z");

    private TestEvents() {
    }

    public static ReplicationRequest request(String vmId, String vmName) {
        return ReplicationRequest.newBuilder()
                .setSourceVm(SourceVm.newBuilder()
                        .setId(vmId).setName(vmName).setPath("/DC1/vm/" + vmName)
                        .setVmId(vmId).setVmName(vmName).setVmPath("/DC1/vm/" + vmName)
                        .setDatacenter("DC1").setVcenterHost("vcenter.example.test")
                        .setCpus(2).setMemoryMb(8192L).setPowerState("poweredOn").setOsType("linux")
                        .setDisks(List.of(DiskSpec.newBuilder().setId("disk-2000").setSizeGb(40L).build()))
                        .build())
                .setOsseaConfigId(1L)
                .setReplicationType(ReplicationType.initial)
                .setScheduleExecutionId("exec-7")
                .setVmGroupId("group-3")
                .setScheduledBy("scheduler-service")
                .setRequestedBy("scheduler")
                .build();
    }

    public static DiscoveredVm vm(String vmId, String vmName) {
        return DiscoveredVm.newBuilder()
                .setId(vmId).setName(vmName).setPath("/DC1/vm/" + vmName)
                .setDatacenter("DC1").setVcenterHost("vcenter.example.test")
                .setCpus(2).setMemoryMb(8192L).setPowerState("poweredOn").setOsType("linux")
                .setDisks(List.of(DiskSpec.newBuilder().setId("disk-2000").setSizeGb(40L).build()))
                .build();
    }

    public static JobStarted jobStarted(String requestId, String vmId) {
        return JobStarted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setJobId("job-20250923-101530.123-abc123").setContextId("ctx-" + vmId + "-20250923-101530")
                .setReplicationType(ReplicationType.initial)
                .setVolumes(List.of(VolumeAttachment.newBuilder()
                        .setDiskId("disk-2000").setVmwareDiskKey("2000").setVolumeId("vol-1")
                        .setNbdExportName("migration-vol-vol-1").setDevicePath("nbd://127.0.0.1:10809/migration-vol-vol-1")
                        .setSizeGb(40L).setReused(false).build()))
                .setVmPath("/DC1/vm/" + vmId)
                .build();
    }

    public static ContextCreated contextCreated(String requestId, String vmId, boolean startReplication) {
        return ContextCreated.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setContextId("ctx-" + vmId + "-20250923-101530").setVmName(vmId).setVmPath("/DC1/vm/" + vmId)
                .setCurrentStatus(startReplication ? ContextStatus.replicating : ContextStatus.discovered)
                .setStartReplication(startReplication)
                .setVm(vm(vmId, vmId))
                .build();
    }

    public static ReplicationRejected rejected(String requestId, String vmId) {
        return ReplicationRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setVmName(vmId).setContextId("ctx-" + vmId + "-20250923-101530")
                .setReason(RejectionReason.ACTIVE_REPLICATION_JOB)
                .setMessage("VM has active replication job")
                .setActiveJobId("job-20250923-101000.000-000001")
                .build();
    }

    public static DiscoveryFailed discoveryFailed(String requestId, String vmId) {
        return DiscoveryFailed.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setVmName(vmId).setReason(DiscoveryFailureReason.VM_NOT_FOUND)
                .setMessage("no VM named " + vmId + " in vCenter")
                .build();
    }

    public static JobFailed jobFailed(String requestId, String vmId) {
        return JobFailed.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setJobId("job-20250923-101530.123-abc124").setContextId("ctx-" + vmId + "-20250923-101530")
                .setReason(JobFailureReason.TARGET_VOLUME_FAILED).setStep("target_volumes")
                .setMessage("volume could not be created")
                .build();
    }

    public static JobCreated jobCreated(String requestId, String vmId) {
        return JobCreated.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setJobId("job-20250923-101530.123-abc125").setContextId("ctx-" + vmId + "-20250923-101530")
                .setReplicationType(ReplicationType.initial)
                .setVm(vm(vmId, vmId))
                .build();
    }

    /** The job's events after it was created, as progress-service and job-intake would write them. */
    public static JobProgress jobProgress(String requestId, String vmId, String jobId, double percent, Instant at) {
        return JobProgress.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setJobId(jobId).setContextId("ctx-" + vmId + "-20250923-101530")
                .setPercent(percent).setPhase("copying").setCurrentOperation("copying disk-2000")
                .setSyncType("full").setBytesTransferred(1024L).setTotalBytes(4096L).setThroughputMbps(12.5)
                .setEtaSeconds(30L)
                .setDisks(List.of(DiskProgress.newBuilder().setDiskId("disk-2000").setBytesTransferred(1024L)
                        .setTotalBytes(4096L).setPercent(percent).setStatus("in_progress").build()))
                .build();
    }

    public static ChangeIdRecorded changeIdRecorded(String requestId, String vmId, String jobId, String changeId,
            Instant at) {
        return ChangeIdRecorded.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setJobId(jobId).setContextId("ctx-" + vmId + "-20250923-101530")
                .setDiskId("disk-2000").setChangeId(changeId)
                .build();
    }

    public static JobCompleted jobCompleted(String requestId, String vmId, String jobId, String changeId, Instant at) {
        return JobCompleted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setCorrelationId(requestId).setVmwareVmId(vmId)
                .setJobId(jobId).setContextId("ctx-" + vmId + "-20250923-101530")
                .setReplicationType(ReplicationType.initial)
                .setChangeIds(List.of(DiskChangeId.newBuilder().setDiskId("disk-2000").setChangeId(changeId).build()))
                .setBytesTransferred(4096L).setDurationMs(61_000L)
                .build();
    }
}
