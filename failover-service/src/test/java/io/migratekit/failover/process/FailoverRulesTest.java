package io.migratekit.failover.process;

import static io.migratekit.failover.process.Processes.T0;
import static io.migratekit.failover.process.Processes.accepted;
import static io.migratekit.failover.process.Processes.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverType;
import io.migratekit.events.StepStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The order of the steps and what a record says to do next, for every state a failover can be in. */
class FailoverRulesTest {

    private static final Instant DEADLINE = T0.plus(Duration.ofMinutes(30));

    @Test
    void aLiveFailoverPowersOffThenSyncsThenBuildsThenReports() {
        assertThat(FailoverRules.firstStep(FailoverType.live)).isEqualTo(FailoverStep.source_power_off);
        assertThat(FailoverRules.skippedSteps(FailoverType.live)).isEmpty();
        assertThat(FailoverRules.after(FailoverStep.source_power_off)).isEqualTo(FailoverStep.final_sync);
        assertThat(FailoverRules.after(FailoverStep.final_sync)).isEqualTo(FailoverStep.target_vm);
        assertThat(FailoverRules.after(FailoverStep.target_vm)).isEqualTo(FailoverStep.status_update);
        assertThat(FailoverRules.after(FailoverStep.status_update)).isNull();
    }

    @Test
    void aTestFailoverSkipsThePowerOffAndTheFinalSync() {
        assertThat(FailoverRules.firstStep(FailoverType.test)).isEqualTo(FailoverStep.target_vm);
        assertThat(FailoverRules.skippedSteps(FailoverType.test))
                .containsExactly(FailoverStep.source_power_off, FailoverStep.final_sync);
    }

    @Test
    void stepsAreShownInTheirOrder() {
        assertThat(FailoverStep.values()).extracting(FailoverRules::seq).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void aRunningStepIsRun() {
        assertThat(FailoverRules.next(accepted(FailoverType.live), T0))
                .isEqualTo(new Next.Run(FailoverStep.source_power_off));
        assertThat(FailoverRules.next(accepted(FailoverType.test), T0)).isEqualTo(new Next.Run(FailoverStep.target_vm));
        assertThat(FailoverRules.next(of(accepted(FailoverType.test)).currentStep(FailoverStep.status_update).build(), T0))
                .isEqualTo(new Next.Run(FailoverStep.status_update));
    }

    @Test
    void theFinalSyncIsPlannedThenRequestedThenAwaitedUntilItsDeadline() {
        FailoverProcess syncing = of(accepted(FailoverType.live)).currentStep(FailoverStep.final_sync)
                .step(FailoverStep.source_power_off, StepStatus.completed).build();
        assertThat(FailoverRules.next(syncing, T0)).isEqualTo(new Next.PlanFinalSync());

        FailoverProcess planned = of(syncing).finalSync("req-1", DEADLINE, null, null).build();
        assertThat(FailoverRules.next(planned, T0)).isEqualTo(new Next.RequestFinalSync());

        FailoverProcess requested = of(planned).step(FailoverStep.final_sync, StepStatus.started).build();
        assertThat(FailoverRules.next(requested, T0)).isEqualTo(new Next.AwaitFinalSync(DEADLINE));
        assertThat(FailoverRules.next(requested, DEADLINE.minusMillis(1))).isEqualTo(new Next.AwaitFinalSync(DEADLINE));
        assertThat(FailoverRules.next(requested, DEADLINE)).isEqualTo(new Next.FinalSyncDeadlinePassed(
                "the final sync (request req-1) did not complete within its deadline of 30 minute(s), "
                        + "2025-09-23T10:45:30.123Z"));

        FailoverProcess synced = of(requested).finalSync("req-1", DEADLINE, T0.plusSeconds(5), "job-2").build();
        assertThat(FailoverRules.next(synced, DEADLINE.plusSeconds(1))).isEqualTo(new Next.CompleteFinalSync());
    }

    @Test
    void theDeadlineIsCountedInConfiguredMinutesFromTheRequest() {
        assertThat(FailoverRules.finalSyncDeadline(T0, 30, Duration.ofMinutes(1))).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(FailoverRules.finalSyncDeadline(T0, 2, Duration.ofSeconds(3))).isEqualTo(T0.plusSeconds(6));
    }

    @Test
    void aFailureIsClosedThenRolledBackThenReported() {
        FailoverProcess syncing = of(accepted(FailoverType.live)).currentStep(FailoverStep.rollback)
                .step(FailoverStep.source_power_off, StepStatus.completed)
                .step(FailoverStep.final_sync, StepStatus.started)
                .failed(FailoverStep.final_sync, "final sync job job-2 failed").build();
        assertThat(FailoverRules.next(syncing, T0)).isEqualTo(new Next.CloseFailedStep(FailoverStep.final_sync));

        FailoverProcess closed = of(syncing).step(FailoverStep.final_sync, StepStatus.failed).build();
        assertThat(FailoverRules.next(closed, T0)).isEqualTo(new Next.Run(FailoverStep.rollback));

        FailoverProcess rolledBack = of(closed).currentStep(null).step(FailoverStep.rollback, StepStatus.completed).build();
        assertThat(FailoverRules.next(rolledBack, T0)).isEqualTo(new Next.ReportFailure());
    }

    @Test
    void aFailureOfAStepNeverRecordedIsRecordedAsFailedFirst() {
        FailoverProcess process = of(accepted(FailoverType.live)).currentStep(null)
                .failed(FailoverStep.final_sync, "refused").build();

        assertThat(FailoverRules.next(process, T0)).isEqualTo(new Next.CloseFailedStep(FailoverStep.final_sync));
    }

    @Test
    void aRollbackIsNeededOnlyWhenSomethingMustBeUndone() {
        FailoverProcess live = accepted(FailoverType.live);
        assertThat(FailoverRules.afterFailure(live, true)).isEqualTo(FailoverStep.rollback);
        assertThat(FailoverRules.afterFailure(live, false)).isNull();
        assertThat(FailoverRules.afterFailure(of(live).powerOnSourceOnFailure(false).build(), true)).isNull();
        assertThat(FailoverRules.afterFailure(of(live).powerOnSourceOnFailure(false).targetVm("vm-9").build(), true))
                .isEqualTo(FailoverStep.rollback);
        FailoverProcess test = accepted(FailoverType.test);
        assertThat(FailoverRules.afterFailure(test, true)).isNull();
        assertThat(FailoverRules.afterFailure(of(test).targetVm("vm-9").build(), true)).isEqualTo(FailoverStep.rollback);
    }

    @Test
    void theSourceIsPoweredBackOnOnlyAfterALivePowerOffWasTriedAndUnlessOptedOut() {
        FailoverProcess live = accepted(FailoverType.live);
        assertThat(FailoverRules.powersSourceBackOn(live)).isFalse();
        FailoverProcess poweredOff = of(live).step(FailoverStep.source_power_off, StepStatus.completed).build();
        assertThat(FailoverRules.powersSourceBackOn(poweredOff)).isTrue();
        assertThat(FailoverRules.powersSourceBackOn(of(live).step(FailoverStep.source_power_off, StepStatus.failed)
                .build())).isTrue();
        assertThat(FailoverRules.powersSourceBackOn(of(poweredOff).powerOnSourceOnFailure(false).build())).isFalse();
        assertThat(FailoverRules.powersSourceBackOn(accepted(FailoverType.test))).isFalse();
    }

    @Test
    void anEndedFailoverHasNothingToDoUntilACleanupIsRequested() {
        for (ProcessStatus ended : new ProcessStatus[] {ProcessStatus.completed, ProcessStatus.failed,
                ProcessStatus.cleaned_up}) {
            assertThat(FailoverRules.next(of(accepted(FailoverType.test)).status(ended).currentStep(null).build(), T0))
                    .isEqualTo(new Next.Nothing("ended " + ended));
        }
        FailoverProcess cleaning = of(accepted(FailoverType.test)).status(ProcessStatus.cleaning_up)
                .currentStep(FailoverStep.cleanup).build();
        assertThat(FailoverRules.next(cleaning, T0)).isEqualTo(new Next.Run(FailoverStep.cleanup));
    }
}
