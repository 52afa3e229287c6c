package io.migratekit.failover.process;

import static io.migratekit.failover.process.Processes.T0;
import static io.migratekit.failover.process.Processes.accepted;
import static io.migratekit.failover.process.Processes.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.FailoverType;
import io.migratekit.events.FinalSyncRequested;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.SourceVm;
import io.migratekit.events.StepStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events failover-service writes, whole, and their ids that stay the same when they are sent again. */
class FailoverEventsTest {

    private final FailoverEvents events = new FailoverEvents(Clock.fixed(T0, ZoneOffset.UTC));
    private final FailoverProcess syncing = of(accepted(FailoverType.live)).currentStep(FailoverStep.final_sync)
            .finalSync("req-1", T0.plus(Duration.ofMinutes(30)), null, null).build();

    @Test
    void theFinalSyncIsAStandardRequestWithoutATypeForTheFailover() {
        ReplicationRequested request = events.finalSyncRequest(syncing);

        assertThat(request).isEqualTo(ReplicationRequested.newBuilder()
                .setEventId(FailoverEvents.eventId("fo-1", "final_sync/replication-requested"))
                .setOccurredAt(T0)
                .setCorrelationId("req-1")
                .setVmwareVmId("vm-1")
                .setRequest(ReplicationRequest.newBuilder()
                        .setSourceVm(SourceVm.newBuilder().setId("vm-1").setName("pgtest1").setPath("/DC1/vm/pgtest1")
                                .setVmId("vm-1").setVmName("pgtest1").setVmPath("/DC1/vm/pgtest1").setDatacenter("DC1")
                                .setVcenterHost("vcenter.example.test").setDisks(List.of()).setNetworks(List.of())
                                .build())
                        .setOsseaConfigId(null)
                        .setReplicationType(null)
                        .setVcenterHost("vcenter.example.test")
                        .setDatacenter("DC1")
                        .setStartReplication(true)
                        .setScheduleExecutionId(null).setVmGroupId(null).setScheduledBy(null)
                        .setRequestedBy("failover-service")
                        .setFailoverId("fo-1")
                        .build())
                .build());
        assertThat(events.finalSyncRequested(syncing)).isEqualTo(FinalSyncRequested.newBuilder()
                .setEventId(FailoverEvents.eventId("fo-1", "final_sync/requested")).setOccurredAt(T0)
                .setCorrelationId("fo-1").setVmwareVmId("vm-1").setFailoverId("fo-1")
                .setContextId("ctx-pgtest1-20250923-101530").setRequestId("req-1").build());
    }

    @Test
    void theSameFactOfTheSameFailoverKeepsItsIdAndOthersDoNot() {
        FailoverStepChanged first = events.stepChanged(syncing, FailoverEvents.PROCESS, FailoverStep.final_sync,
                StepStatus.started, "requested", null);
        FailoverStepChanged again = new FailoverEvents(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC))
                .stepChanged(syncing, FailoverEvents.PROCESS, FailoverStep.final_sync, StepStatus.started, "requested", null);

        assertThat(again.getEventId()).isEqualTo(first.getEventId());
        assertThat(events.stepChanged(syncing, FailoverEvents.PROCESS, FailoverStep.final_sync, StepStatus.completed,
                "done", "job-2").getEventId()).isNotEqualTo(first.getEventId());
        assertThat(events.stepChanged(syncing, FailoverEvents.cleanupAttempt(7), FailoverStep.cleanup,
                StepStatus.started, "x", null).getEventId()).isNotEqualTo(events.stepChanged(syncing,
                FailoverEvents.cleanupAttempt(9), FailoverStep.cleanup, StepStatus.started, "x", null).getEventId());
        assertThat(FailoverEvents.eventId("fo-2", "completed")).isNotEqualTo(FailoverEvents.eventId("fo-1", "completed"));
        assertThat(first).isEqualTo(FailoverStepChanged.newBuilder().setEventId(first.getEventId()).setOccurredAt(T0)
                .setCorrelationId("fo-1").setVmwareVmId("vm-1").setFailoverId("fo-1")
                .setContextId("ctx-pgtest1-20250923-101530").setStep(FailoverStep.final_sync)
                .setStatus(StepStatus.started).setMessage("requested").setJobId(null).build());
    }

    @Test
    void theEndOfAFailoverSaysWhatItBuiltOrWhereAndWhyItFailed() {
        FailoverProcess completed = of(syncing).finalSync("req-1", T0, T0, "job-2").targetVm("vm-9").build();
        assertThat(events.completed(completed)).isEqualTo(FailoverCompleted.newBuilder()
                .setEventId(FailoverEvents.eventId("fo-1", "completed")).setOccurredAt(T0).setCorrelationId("fo-1")
                .setVmwareVmId("vm-1").setFailoverId("fo-1").setContextId("ctx-pgtest1-20250923-101530")
                .setFailoverType(FailoverType.live).setTargetVmId("vm-9").setFinalSyncJobId("job-2").build());

        FailoverProcess failed = of(syncing).failed(FailoverStep.final_sync, "final sync job job-2 failed").build();
        assertThat(events.failed(failed)).isEqualTo(FailoverFailed.newBuilder()
                .setEventId(FailoverEvents.eventId("fo-1", "failed")).setOccurredAt(T0).setCorrelationId("fo-1")
                .setVmwareVmId("vm-1").setFailoverId("fo-1").setContextId("ctx-pgtest1-20250923-101530")
                .setFailoverType(FailoverType.live).setFailedStep(FailoverStep.final_sync)
                .setReason("final sync job job-2 failed").setSourcePoweredBackOn(false).build());
    }
}
