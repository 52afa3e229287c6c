package io.migratekit.intake.readmodel;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Failovers as the API shows them (snake_case on the wire, timestamps ISO-8601 UTC), from
 * failover-service's {@code failover_jobs} and {@code job_steps}. Mirrors the columns; adds nothing.
 */
public final class FailoverViews {

    private FailoverViews() {
    }

    /** A failover; {@code steps} only in the single-failover answer. */
    public record FailoverView(
            String failoverJobId,
            String contextId,
            String vmwareVmId,
            String vmName,
            String failoverType,
            String status,
            String currentStep,
            boolean powerOnSourceOnFailure,
            String testNetwork,
            int finalSyncDeadlineMinutes,
            String finalSyncRequestId,
            String finalSyncDeadlineAt,
            String finalSyncJobId,
            String targetVmId,
            String failedStep,
            String errorMessage,
            boolean sourcePoweredBackOn,
            String requestedBy,
            String createdAt,
            String completedAt,
            String updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<StepView> steps) {

        FailoverView withSteps(List<StepView> all) {
            return new FailoverView(failoverJobId, contextId, vmwareVmId, vmName, failoverType, status, currentStep,
                    powerOnSourceOnFailure, testNetwork, finalSyncDeadlineMinutes, finalSyncRequestId,
                    finalSyncDeadlineAt, finalSyncJobId, targetVmId, failedStep, errorMessage, sourcePoweredBackOn,
                    requestedBy, createdAt, completedAt, updatedAt, all);
        }
    }

    /** One step of a failover: when it started and ended, how, and why. */
    public record StepView(
            String step,
            int seq,
            String status,
            String message,
            String jobId,
            String startedAt,
            String completedAt) {
    }

    /** The VM a failover request names, as its context in the read model identifies it. */
    public record ContextRef(String contextId, String vmwareVmId, String vmName) {
    }
}
