package io.migratekit.failover.process;

import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverType;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * One failover as its durable record holds it: what was accepted (the VM and the request's
 * options), where the process is ({@code status}, {@code currentStep}, a failure being reported),
 * what the final sync is ({@code finalSync*}), what it built ({@code targetVmId}) and every
 * recorded step. {@code version} is the optimistic version of the record. Immutable; the store
 * reads a new one after every change.
 */
public record FailoverProcess(
        String failoverId,
        String contextId,
        String vmwareVmId,
        String vmName,
        String vmPath,
        String vcenterHost,
        String datacenter,
        FailoverType type,
        ProcessStatus status,
        FailoverStep currentStep,
        boolean powerOnSourceOnFailure,
        String testNetwork,
        int finalSyncDeadlineMinutes,
        String finalSyncRequestId,
        Instant finalSyncDeadlineAt,
        Instant finalSyncCompletedAt,
        String finalSyncJobId,
        String targetVmId,
        FailoverStep failedStep,
        String errorMessage,
        boolean sourcePoweredBackOn,
        String requestedBy,
        Instant createdAt,
        long version,
        Map<FailoverStep, StepRecord> steps) {

    public FailoverProcess {
        EnumMap<FailoverStep, StepRecord> copy = new EnumMap<>(FailoverStep.class);
        copy.putAll(steps);
        steps = java.util.Collections.unmodifiableMap(copy);
    }

    public boolean isLive() {
        return type == FailoverType.live;
    }

    /** A step failed and the failover is on its way to {@code FailoverFailed} (rollback first, if any). */
    public boolean isFailing() {
        return status == ProcessStatus.running && failedStep != null;
    }

    public Optional<StepRecord> step(FailoverStep step) {
        return Optional.ofNullable(steps.get(step));
    }
}
