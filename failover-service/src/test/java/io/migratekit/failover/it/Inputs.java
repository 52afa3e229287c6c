package io.migratekit.failover.it;

import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverType;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VolumeAttachment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** The events the rest of the pipeline would send failover-service, as the test plays it. */
final class Inputs {

    private Inputs() {
    }

    /** One failover's VM as the test set it up: the simulator's VM, its replicated volumes, its context. */
    record Vm(String vmId, String vmName, String contextId, List<VolumeAttachment> volumes) {
    }

    static FailoverAccepted accepted(String failoverId, Vm vm, FailoverType type, boolean powerOnSourceOnFailure,
            int deadlineMinutes) {
        return FailoverAccepted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setCorrelationId(failoverId)
                .setVmwareVmId(vm.vmId())
                .setFailoverId(failoverId)
                .setContextId(vm.contextId())
                .setVmName(vm.vmName())
                .setVmPath("/DC1/vm/" + vm.vmName())
                .setVcenterHost(FailoverHarness.VCENTER)
                .setDatacenter("DC1")
                .setFailoverType(type)
                .setPowerOnSourceOnFailure(powerOnSourceOnFailure)
                .setTestNetwork(type == FailoverType.test ? "test-net" : null)
                .setFinalSyncDeadlineMinutes(deadlineMinutes)
                .setRequestedBy("operator")
                .setLastSuccessfulJobId("job-initial-" + vm.vmName())
                .setVolumes(vm.volumes())
                .build();
    }

    static JobStarted jobStarted(String requestId, Vm vm, String failoverId, String jobId) {
        return JobStarted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.vmId())
                .setJobId(jobId)
                .setContextId(vm.contextId())
                .setReplicationType(ReplicationType.incremental)
                .setVolumes(vm.volumes().stream().map(v -> VolumeAttachment.newBuilder(v).setReused(true).build()).toList())
                .setVmPath("/DC1/vm/" + vm.vmName())
                .setFailoverId(failoverId)
                .build();
    }

    static JobCompleted jobCompleted(String requestId, Vm vm, String failoverId, String jobId) {
        return JobCompleted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.vmId())
                .setJobId(jobId)
                .setContextId(vm.contextId())
                .setReplicationType(ReplicationType.incremental)
                .setChangeIds(vm.volumes().stream().map(v -> new DiskChangeId(v.getDiskId(), "change-2")).toList())
                .setBytesTransferred(1024)
                .setDurationMs(900)
                .setFailoverId(failoverId)
                .build();
    }

    static JobFailed jobFailed(String requestId, Vm vm, String failoverId, String jobId) {
        return JobFailed.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.vmId())
                .setJobId(jobId)
                .setContextId(vm.contextId())
                .setReason(JobFailureReason.VMA_REPORTED_FAILURE)
                .setStep("copy")
                .setMessage("the VMA reported the copy failed at 40%")
                .setFailoverId(failoverId)
                .build();
    }

    static ReplicationRejected rejected(String requestId, Vm vm, String failoverId) {
        return ReplicationRejected.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.vmId())
                .setVmName(vm.vmName())
                .setContextId(vm.contextId())
                .setReason(RejectionReason.ACTIVE_REPLICATION_JOB)
                .setMessage("VM has active replication job")
                .setActiveJobId("job-running")
                .setFailoverId(failoverId)
                .build();
    }

    static DiscoveryFailed discoveryFailed(String requestId, Vm vm, String failoverId) {
        return DiscoveryFailed.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setCorrelationId(requestId)
                .setVmwareVmId(vm.vmId())
                .setVmName(vm.vmName())
                .setReason(DiscoveryFailureReason.TIMEOUT)
                .setMessage("the VMA did not answer within 15 s")
                .setFailoverId(failoverId)
                .build();
    }

    static FailoverCleanupRequested cleanup(String failoverId, Vm vm) {
        return FailoverCleanupRequested.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now())
                .setCorrelationId(failoverId)
                .setVmwareVmId(vm.vmId())
                .setFailoverId(failoverId)
                .setContextId(vm.contextId())
                .setRequestedBy("operator")
                .build();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
