package io.migratekit.intake.readmodel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * The read model as the API shows it (snake_case on the wire, timestamps ISO-8601 UTC). Mirrors
 * the projector's columns; adds nothing the tables do not hold.
 */
public final class Views {

    private Views() {
    }

    /** A replication job with its live progress; {@code disks} only in the single-job answer. */
    public record JobView(
            String jobId,
            String contextId,
            String vmwareVmId,
            String requestId,
            String sourceVmName,
            String sourceVmPath,
            String vcenterHost,
            String datacenter,
            String replicationType,
            String status,
            double progressPercent,
            String currentOperation,
            String vmaSyncType,
            long bytesTransferred,
            long totalBytes,
            double throughputMbps,
            Long etaSeconds,
            String lastPollAt,
            String failureReason,
            String errorMessage,
            Long osseaConfigId,
            String targetNetwork,
            String scheduleExecutionId,
            String vmGroupId,
            String scheduledBy,
            String requestedBy,
            String failoverId,
            String createdAt,
            String startedAt,
            String completedAt,
            String updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<DiskView> disks) {

        JobView withDisks(List<DiskView> jobDisks) {
            return new JobView(jobId, contextId, vmwareVmId, requestId, sourceVmName, sourceVmPath, vcenterHost,
                    datacenter, replicationType, status, progressPercent, currentOperation, vmaSyncType,
                    bytesTransferred, totalBytes, throughputMbps, etaSeconds, lastPollAt, failureReason, errorMessage,
                    osseaConfigId, targetNetwork, scheduleExecutionId, vmGroupId, scheduledBy, requestedBy,
                    failoverId, createdAt, startedAt, completedAt, updatedAt, jobDisks);
        }
    }

    /** One disk of one job: the specification audit trail, its target volume and its copy. */
    public record DiskView(
            String diskId,
            String jobId,
            String label,
            String vmdkPath,
            Long sizeGb,
            Long capacityBytes,
            String datastore,
            String provisioningType,
            Integer unitNumber,
            String volumeId,
            String nbdExportName,
            String devicePath,
            long bytesTransferred,
            long totalBytes,
            double progressPercent,
            String status,
            String changeId,
            String previousChangeId,
            String createdAt,
            String updatedAt) {
    }

    /** A VM replication context. */
    public record ContextView(
            String contextId,
            String vmwareVmId,
            String vmName,
            String vmPath,
            String vcenterHost,
            String datacenter,
            String currentStatus,
            String currentJobId,
            String lastSuccessfulJobId,
            int totalJobsRun,
            int successfulJobs,
            int failedJobs,
            Integer cpuCount,
            Long memoryMb,
            String osType,
            String powerState,
            String vmxVersion,
            String activeFailoverId,
            String createdAt,
            String updatedAt) {
    }

    /**
     * A context as the estate lists it: its fields, its current job with live progress and its last
     * successful job (when and how it last synced), each null when there is none.
     */
    public record ContextSummary(
            @JsonUnwrapped ContextView context,
            JobView currentJob,
            JobView lastSuccessfulJob) {
    }

    /** A context with its current job, its job history (newest first) and the disks of its latest job. */
    public record ContextDetail(
            ContextView context,
            JobView currentJob,
            List<JobView> jobHistory,
            List<DiskView> disks) {
    }

    /** A replication request and its outcome, for asynchronous callers. */
    public record RequestView(
            String requestId,
            String status,
            String outcome,
            String vmwareVmId,
            String vmName,
            String requestedBy,
            boolean startReplication,
            String failoverId,
            String jobId,
            String contextId,
            String reason,
            String message,
            String createdAt,
            String decidedAt) {
    }
}
