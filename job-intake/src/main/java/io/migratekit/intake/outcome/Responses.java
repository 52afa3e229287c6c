package io.migratekit.intake.outcome;

import io.migratekit.intake.request.ReplicationRequestBody.SourceVmBody;
import java.util.List;

/** The success bodies of {@code POST /api/v1/replications}, in the original product's shapes (snake_case on the wire). */
public final class Responses {

    private Responses() {
    }

    /** 201 when the job started. */
    public record JobStartedResponse(
            String jobId,
            String contextId,
            String status,
            int progressPercent,
            String replicationType,
            List<Volume> createdVolumes,
            List<Volume> mountedVolumes,
            SourceVmBody sourceVm,
            String startedAt,
            String message) {
    }

    /** A target volume of a job as the original answer listed it. */
    public record Volume(String volumeId, String diskId, String devicePath, String nbdExportName) {
    }

    /** 201 when the VM was added to management only. */
    public record ContextCreatedResponse(
            String contextId,
            String vmName,
            String vmwareVmId,
            String currentStatus,
            String createdAt,
            String message) {
    }

    /** 202 when the outcome is not known yet (asynchronous request, or the wait passed). */
    public record AcceptedResponse(String requestId, String status, String outcomeUrl, String message) {
    }
}
