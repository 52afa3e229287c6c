package io.migratekit.failover.process;

import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverType;
import io.migratekit.events.StepStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Failover records for the rule tests: a fresh one of each type, changed field by field. */
public final class Processes {

    public static final Instant T0 = Instant.parse("2025-09-23T10:15:30.123Z");

    private Processes() {
    }

    public static FailoverProcess accepted(FailoverType type) {
        Map<FailoverStep, StepRecord> steps = new EnumMap<>(FailoverStep.class);
        steps.put(FailoverStep.validation, new StepRecord(FailoverStep.validation, 1, StepStatus.completed, "accepted",
                "job-1", T0, T0));
        for (FailoverStep skipped : FailoverRules.skippedSteps(type)) {
            steps.put(skipped, new StepRecord(skipped, FailoverRules.seq(skipped), StepStatus.skipped, "skipped", null,
                    T0, T0));
        }
        return new FailoverProcess("fo-1", "ctx-pgtest1-20250923-101530", "vm-1", "pgtest1", "/DC1/vm/pgtest1",
                "vcenter.example.test", "DC1", type, ProcessStatus.running, FailoverRules.firstStep(type), true,
                type == FailoverType.test ? "test-net" : null, 30, null, null, null, null, null, null, null, false,
                "operator", T0, 1, steps);
    }

    static Builder of(FailoverProcess process) {
        return new Builder(process);
    }

    /** Copies a record with some fields changed. */
    static final class Builder {
        private FailoverProcess p;

        Builder(FailoverProcess p) {
            this.p = p;
        }

        Builder status(ProcessStatus status) {
            p = new FailoverProcess(p.failoverId(), p.contextId(), p.vmwareVmId(), p.vmName(), p.vmPath(), p.vcenterHost(),
                    p.datacenter(), p.type(), status, p.currentStep(), p.powerOnSourceOnFailure(), p.testNetwork(),
                    p.finalSyncDeadlineMinutes(), p.finalSyncRequestId(), p.finalSyncDeadlineAt(),
                    p.finalSyncCompletedAt(), p.finalSyncJobId(), p.targetVmId(), p.failedStep(), p.errorMessage(),
                    p.sourcePoweredBackOn(), p.requestedBy(), p.createdAt(), p.version(), p.steps());
            return this;
        }

        Builder currentStep(FailoverStep step) {
            p = new FailoverProcess(p.failoverId(), p.contextId(), p.vmwareVmId(), p.vmName(), p.vmPath(), p.vcenterHost(),
                    p.datacenter(), p.type(), p.status(), step, p.powerOnSourceOnFailure(), p.testNetwork(),
                    p.finalSyncDeadlineMinutes(), p.finalSyncRequestId(), p.finalSyncDeadlineAt(),
                    p.finalSyncCompletedAt(), p.finalSyncJobId(), p.targetVmId(), p.failedStep(), p.errorMessage(),
                    p.sourcePoweredBackOn(), p.requestedBy(), p.createdAt(), p.version(), p.steps());
            return this;
        }

        Builder powerOnSourceOnFailure(boolean on) {
            p = new FailoverProcess(p.failoverId(), p.contextId(), p.vmwareVmId(), p.vmName(), p.vmPath(), p.vcenterHost(),
                    p.datacenter(), p.type(), p.status(), p.currentStep(), on, p.testNetwork(),
                    p.finalSyncDeadlineMinutes(), p.finalSyncRequestId(), p.finalSyncDeadlineAt(),
                    p.finalSyncCompletedAt(), p.finalSyncJobId(), p.targetVmId(), p.failedStep(), p.errorMessage(),
                    p.sourcePoweredBackOn(), p.requestedBy(), p.createdAt(), p.version(), p.steps());
            return this;
        }

        Builder finalSync(String requestId, Instant deadline, Instant completedAt, String jobId) {
            p = new FailoverProcess(p.failoverId(), p.contextId(), p.vmwareVmId(), p.vmName(), p.vmPath(), p.vcenterHost(),
                    p.datacenter(), p.type(), p.status(), p.currentStep(), p.powerOnSourceOnFailure(), p.testNetwork(),
                    p.finalSyncDeadlineMinutes(), requestId, deadline, completedAt, jobId, p.targetVmId(), p.failedStep(),
                    p.errorMessage(), p.sourcePoweredBackOn(), p.requestedBy(), p.createdAt(), p.version(), p.steps());
            return this;
        }

        Builder targetVm(String vmId) {
            p = new FailoverProcess(p.failoverId(), p.contextId(), p.vmwareVmId(), p.vmName(), p.vmPath(), p.vcenterHost(),
                    p.datacenter(), p.type(), p.status(), p.currentStep(), p.powerOnSourceOnFailure(), p.testNetwork(),
                    p.finalSyncDeadlineMinutes(), p.finalSyncRequestId(), p.finalSyncDeadlineAt(),
                    p.finalSyncCompletedAt(), p.finalSyncJobId(), vmId, p.failedStep(), p.errorMessage(),
                    p.sourcePoweredBackOn(), p.requestedBy(), p.createdAt(), p.version(), p.steps());
            return this;
        }

        Builder failed(FailoverStep step, String reason) {
            p = new FailoverProcess(p.failoverId(), p.contextId(), p.vmwareVmId(), p.vmName(), p.vmPath(), p.vcenterHost(),
                    p.datacenter(), p.type(), p.status(), p.currentStep(), p.powerOnSourceOnFailure(), p.testNetwork(),
                    p.finalSyncDeadlineMinutes(), p.finalSyncRequestId(), p.finalSyncDeadlineAt(),
                    p.finalSyncCompletedAt(), p.finalSyncJobId(), p.targetVmId(), step, reason, p.sourcePoweredBackOn(),
                    p.requestedBy(), p.createdAt(), p.version(), p.steps());
            return this;
        }

        Builder step(FailoverStep step, StepStatus status) {
            Map<FailoverStep, StepRecord> steps = new EnumMap<>(FailoverStep.class);
            steps.putAll(p.steps());
            steps.put(step, new StepRecord(step, FailoverRules.seq(step), status, status.name(), null, T0,
                    status == StepStatus.started ? null : T0));
            p = new FailoverProcess(p.failoverId(), p.contextId(), p.vmwareVmId(), p.vmName(), p.vmPath(), p.vcenterHost(),
                    p.datacenter(), p.type(), p.status(), p.currentStep(), p.powerOnSourceOnFailure(), p.testNetwork(),
                    p.finalSyncDeadlineMinutes(), p.finalSyncRequestId(), p.finalSyncDeadlineAt(),
                    p.finalSyncCompletedAt(), p.finalSyncJobId(), p.targetVmId(), p.failedStep(), p.errorMessage(),
                    p.sourcePoweredBackOn(), p.requestedBy(), p.createdAt(), p.version(), steps);
            return this;
        }

        FailoverProcess build() {
            return p;
        }
    }
}
