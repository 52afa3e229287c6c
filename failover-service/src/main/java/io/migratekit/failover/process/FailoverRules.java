package io.migratekit.failover.process;

import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The order of a failover's steps and what its record says to do next, as plain functions of the
 * record and the time. Live: validation (the decision's) → source power-off → final sync → target
 * VM → status update. Test: validation → target VM (from snapshots) → status update, the live-only
 * steps recorded as skipped. A failed step leads to a rollback when something must be undone (the
 * target VM was created, or a live source may have been powered off and the request wants it back
 * on), then to the failure report. Does no I/O and keeps no state.
 */
public final class FailoverRules {

    private FailoverRules() {
    }

    /** The first step failover-service runs once the decision accepted the failover. */
    public static FailoverStep firstStep(FailoverType type) {
        return type == FailoverType.live ? FailoverStep.source_power_off : FailoverStep.target_vm;
    }

    /** The steps a failover of this type does not have; recorded as skipped when it is accepted. */
    public static List<FailoverStep> skippedSteps(FailoverType type) {
        return type == FailoverType.live ? List.of() : List.of(FailoverStep.source_power_off, FailoverStep.final_sync);
    }

    /** The step after a completed one, or null after the status update (the end). */
    public static FailoverStep after(FailoverStep step) {
        return switch (step) {
            case validation -> FailoverStep.source_power_off;
            case source_power_off -> FailoverStep.final_sync;
            case final_sync -> FailoverStep.target_vm;
            case target_vm -> FailoverStep.status_update;
            default -> null;
        };
    }

    /** The order a step is shown in ({@code job_steps.seq}). */
    public static int seq(FailoverStep step) {
        return step.ordinal() + 1;
    }

    /**
     * Where a failover goes when a step failed: to the rollback when there is something to undo, else
     * straight to the failure report (null).
     *
     * @param sourceMayBeOff whether the source VM may be powered off by now (a power-off was accepted)
     */
    public static FailoverStep afterFailure(FailoverProcess process, boolean sourceMayBeOff) {
        boolean sourceBackOn = process.isLive() && process.powerOnSourceOnFailure() && sourceMayBeOff;
        return sourceBackOn || process.targetVmId() != null ? FailoverStep.rollback : null;
    }

    /** Whether the rollback powers the source VM back on: a live failover that tried to power it off, unless opted out. */
    public static boolean powersSourceBackOn(FailoverProcess process) {
        Optional<StepRecord> powerOff = process.step(FailoverStep.source_power_off);
        return process.isLive() && process.powerOnSourceOnFailure() && powerOff.isPresent()
                && powerOff.get().status() != io.migratekit.events.StepStatus.skipped;
    }

    /** The final sync's absolute deadline: {@code minutes} units after it was requested. */
    public static Instant finalSyncDeadline(Instant requestedAt, int minutes, Duration minute) {
        return requestedAt.plus(minute.multipliedBy(minutes));
    }

    /** What the failover has to do next. */
    public static Next next(FailoverProcess process, Instant now) {
        switch (process.status()) {
            case completed:
            case failed:
            case cleaned_up:
                return new Next.Nothing("ended " + process.status());
            case cleaning_up:
                return process.currentStep() == FailoverStep.cleanup
                        ? new Next.Run(FailoverStep.cleanup) : new Next.Nothing("cleaning up without a cleanup step");
            default:
                break;
        }
        if (process.failedStep() != null) {
            Optional<StepRecord> failed = process.step(process.failedStep());
            if (failed.isEmpty() || failed.get().isOpen()) {
                return new Next.CloseFailedStep(process.failedStep());
            }
            if (process.currentStep() == FailoverStep.rollback) {
                return new Next.Run(FailoverStep.rollback);
            }
            return new Next.ReportFailure();
        }
        if (process.currentStep() == null) {
            return new Next.Nothing("running without a current step");
        }
        return switch (process.currentStep()) {
            case final_sync -> finalSync(process, now);
            case source_power_off, target_vm, status_update -> new Next.Run(process.currentStep());
            default -> new Next.Nothing("no rule for step " + process.currentStep() + " of a running failover");
        };
    }

    private static Next finalSync(FailoverProcess process, Instant now) {
        if (process.finalSyncCompletedAt() != null) {
            return new Next.CompleteFinalSync();
        }
        if (process.finalSyncRequestId() == null) {
            return new Next.PlanFinalSync();
        }
        if (process.step(FailoverStep.final_sync).isEmpty()) {
            return new Next.RequestFinalSync();
        }
        if (!now.isBefore(process.finalSyncDeadlineAt())) {
            return new Next.FinalSyncDeadlinePassed("the final sync (request " + process.finalSyncRequestId()
                    + ") did not complete within its deadline of " + process.finalSyncDeadlineMinutes() + " minute(s), "
                    + DateTimeFormatter.ISO_INSTANT.format(process.finalSyncDeadlineAt()));
        }
        return new Next.AwaitFinalSync(process.finalSyncDeadlineAt());
    }
}
