package io.migratekit.failover.it;

import static io.migratekit.db.Tables.FAILOVER_JOBS;
import static io.migratekit.db.Tables.JOB_STEPS;
import static io.migratekit.failover.it.Inputs.accepted;
import static io.migratekit.failover.it.Inputs.cleanup;
import static io.migratekit.failover.it.Inputs.discoveryFailed;
import static io.migratekit.failover.it.Inputs.jobCompleted;
import static io.migratekit.failover.it.Inputs.jobFailed;
import static io.migratekit.failover.it.Inputs.jobStarted;
import static io.migratekit.failover.it.Inputs.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.migratekit.cloudstack.NbdExport;
import io.migratekit.cloudstack.SimulatorTarget;
import io.migratekit.cloudstack.TargetVmSpec;
import io.migratekit.cloudstack.TargetVolume;
import io.migratekit.cloudstack.VolumeRequest;
import io.migratekit.db.tables.records.FailoverJobsRecord;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanedUp;
import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.FailoverType;
import io.migratekit.events.FinalSyncRequested;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.failover.FailoverMetrics;
import io.migratekit.failover.it.Inputs.Vm;
import io.migratekit.failover.process.FailoverEvents;
import io.migratekit.schemas.EventIds;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.PowerFailure;
import io.migratekit.vmasim.PowerState;
import io.migratekit.vmasim.SimVm;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * failover-service as a whole against a real broker, registry and PostgreSQL, the VMA simulator and
 * a CloudStack target (the CloudStack API simulator through our client), while the test plays the decision, the workflow and progress-service: for
 * each way a failover can go, every event it wrote (and nothing more), its record, the source VM's
 * power state and the target VM. Each test uses its own VM and failover.
 */
class FailoverServiceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final List<String> LIVE_UNTIL_FINAL_SYNC = List.of("validation:completed",
            "source_power_off:started", "source_power_off:completed", "final_sync:started");

    private static FailoverHarness harness;

    @BeforeAll
    static void start() {
        harness = new FailoverHarness();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aLiveFailoverPowersOffSyncsBuildsTheVmAndOnlyThenReportsCompleted() {
        // given
        Vm vm = newVm("live", 2);
        String failoverId = EventIds.newFailoverId(Instant.now());
        FailoverAccepted accepted = accepted(failoverId, vm, FailoverType.live, true, 30);
        // and: its replications were requested for network prod-net (the newest that names one counts)
        OffsetDateTime t0 = OffsetDateTime.parse("2025-09-23T10:15:30Z");
        harness.replicationJobRow("job-initial-" + vm.vmName(), vm.contextId(), vm.vmId(), vm.vmName(), "old-net", t0);
        harness.replicationJobRow("job-incr-" + vm.vmName(), vm.contextId(), vm.vmId(), vm.vmName(), "prod-net",
                t0.plusHours(1));
        harness.replicationJobRow("job-unnamed-" + vm.vmName(), vm.contextId(), vm.vmId(), vm.vmName(), "",
                t0.plusHours(2));

        // when: the decision accepted the failover
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted);

        // then: the source is off, then the final sync is requested as a standard request, and nothing else
        String requestId = awaitFinalSyncRequest(vm);
        assertThat(harness.vma.inventory().byId(vm.vmId()).orElseThrow().powerState()).isEqualTo(PowerState.POWERED_OFF);
        List<SpecificRecord> waiting = harness.outputsOf(vm.vmId());
        assertThat(steps(waiting)).containsExactlyElementsOf(LIVE_UNTIL_FINAL_SYNC);
        ReplicationRequested request = single(waiting, ReplicationRequested.class);
        assertThat(request.getCorrelationId()).isEqualTo(requestId);
        assertThat(request.getRequest().getReplicationType()).isNull();
        assertThat(request.getRequest().getStartReplication()).isTrue();
        assertThat(request.getRequest().getFailoverId()).isEqualTo(failoverId);
        assertThat(request.getRequest().getRequestedBy()).isEqualTo("failover-service");
        assertThat(request.getRequest().getSourceVm().getId()).isEqualTo(vm.vmId());
        assertThat(request.getRequest().getSourceVm().getName()).isEqualTo(vm.vmName());
        assertThat(request.getRequest().getSourceVm().getPath()).isEqualTo("/DC1/vm/" + vm.vmName());
        assertThat(single(waiting, FinalSyncRequested.class).getRequestId()).isEqualTo(requestId);
        assertThat(only(waiting, FailoverCompleted.class)).isEmpty();
        assertThat(harness.cloud.vmsOf(failoverId)).isEmpty();

        // when: the final sync's job starts and completes
        harness.publish(Topics.JOB_STARTED, vm.vmId(), jobStarted(requestId, vm, failoverId, "job-sync-1"));
        JobCompleted completed = jobCompleted(requestId, vm, failoverId, "job-sync-1");
        harness.publish(Topics.JOB_COMPLETED, vm.vmId(), completed);

        // then: the target VM runs on the replicated volumes on the replication's network, and only then
        // the failover is completed
        FailoverJobsRecord record = awaitStatus(failoverId, "completed");
        SimulatorTarget.Vm target = targetOf(failoverId);
        assertThat(target).isEqualTo(harness.cloud.vmFrom(target.id(), new TargetVmSpec(failoverId, vm.vmName(), 4, 8192,
                "linux", "prod-net"), false, "Running"));
        assertThat(harness.cloud.volumeIdsOf(target.id())).containsExactlyElementsOf(volumeIds(vm));
        List<SpecificRecord> outputs = harness.outputsOf(vm.vmId());
        assertThat(steps(outputs)).containsExactly("validation:completed", "source_power_off:started",
                "source_power_off:completed", "final_sync:started", "final_sync:completed", "target_vm:started",
                "target_vm:completed", "status_update:started", "status_update:completed");
        FailoverCompleted done = single(outputs, FailoverCompleted.class);
        assertThat(done).isEqualTo(FailoverCompleted.newBuilder().setEventId(FailoverEvents.eventId(failoverId,
                "completed")).setOccurredAt(done.getOccurredAt()).setCorrelationId(failoverId).setVmwareVmId(vm.vmId())
                .setFailoverId(failoverId).setContextId(vm.contextId()).setFailoverType(FailoverType.live)
                .setTargetVmId(target.id()).setFinalSyncJobId("job-sync-1").build());
        FailoverStepChanged finalSyncDone = stepEvent(outputs, FailoverStep.final_sync, "completed");
        assertThat(finalSyncDone.getJobId()).isEqualTo("job-sync-1");
        assertThat(done.getOccurredAt()).isAfterOrEqualTo(finalSyncDone.getOccurredAt())
                .isAfterOrEqualTo(completed.getOccurredAt());
        assertThat(single(outputs, ReplicationRequested.class)).isEqualTo(request);
        assertThat(only(outputs, FinalSyncRequested.class)).hasSize(1);
        assertThat(only(outputs, FailoverFailed.class)).isEmpty();
        assertThat(only(outputs, FailoverCleanedUp.class)).isEmpty();
        assertThat(stepRows(failoverId)).containsExactly("1 validation completed", "2 source_power_off completed",
                "3 final_sync completed job-sync-1", "4 target_vm completed", "5 status_update completed");
        assertThat(record.getTargetVmId()).isEqualTo(target.id());
        assertThat(record.getFinalSyncJobId()).isEqualTo("job-sync-1");
        assertThat(record.getFailedStep()).isNull();
        assertThat(record.getCurrentStep()).isNull();
        assertThat(record.getSourcePoweredBackOn()).isFalse();
        assertThat(harness.bean(FailoverMetrics.class).finalSyncReaction().count()).isGreaterThanOrEqualTo(1);

        // when: the acceptance and the completion are delivered again
        int deploys = deploys();
        harness.awaitConsumed(harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted));
        harness.awaitConsumed(harness.publish(Topics.JOB_COMPLETED, vm.vmId(), completed));

        // then: nothing changed and nothing more was written
        assertThat(harness.outputsOf(vm.vmId())).isEqualTo(outputs);
        assertThat(harness.db.selectFrom(FAILOVER_JOBS).where(FAILOVER_JOBS.ID.eq(failoverId)).fetchOne())
                .isEqualTo(record);
        assertThat(harness.cloud.vmsOf(failoverId)).hasSize(1);
        assertThat(deploys()).isEqualTo(deploys);
    }

    @Test
    void aTestFailoverRunsOnSnapshotsOnTheTestNetworkAndIsCleanedUp() {
        // given
        Vm vm = newVm("test", 1);
        String failoverId = EventIds.newFailoverId(Instant.now());

        // when
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.test, true, 30));

        // then: no power-off and no final sync; a VM on clones, the volumes still exported for the next sync
        awaitStatus(failoverId, "completed");
        SimulatorTarget.Vm target = targetOf(failoverId);
        assertThat(target).isEqualTo(harness.cloud.vmFrom(target.id(), new TargetVmSpec(failoverId,
                vm.vmName() + "-test-failover", 4, 8192, "linux", "test-net"), true, "Running"));
        List<String> clones = harness.cloud.volumeIdsOf(target.id());
        assertThat(harness.target.findVm(target.id())).hasValueSatisfying(found -> {
            assertThat(found.fromSnapshots()).isTrue();
            assertThat(found.running()).isTrue();
        });
        assertThat(clones).hasSize(1).doesNotContainAnyElementsOf(volumeIds(vm));
        assertThat(harness.cloud.volume(volumeIds(vm).get(0))).get().extracting(SimulatorTarget.Volume::onAppliance)
                .isEqualTo(true);
        assertThat(harness.vma.inventory().byId(vm.vmId()).orElseThrow().powerState()).isEqualTo(PowerState.POWERED_ON);
        List<SpecificRecord> outputs = harness.outputsOf(vm.vmId());
        assertThat(steps(outputs)).containsExactly("validation:completed", "source_power_off:skipped",
                "final_sync:skipped", "target_vm:started", "target_vm:completed", "status_update:started",
                "status_update:completed");
        assertThat(single(outputs, FailoverCompleted.class).getFinalSyncJobId()).isNull();
        assertThat(only(outputs, ReplicationRequested.class)).isEmpty();
        assertThat(only(outputs, FinalSyncRequested.class)).isEmpty();

        // when: the operator cleans it up
        harness.publish(Topics.FAILOVER_CLEANUP_REQUESTED, vm.vmId(), cleanup(failoverId, vm));

        // then: the test VM and its clones are gone, the replicated volumes stay
        FailoverJobsRecord record = awaitStatus(failoverId, "cleaned_up");
        assertThat(harness.target.findVm(target.id())).isEmpty();
        assertThat(harness.cloud.vmsOf(failoverId)).isEmpty();
        for (String clone : clones) {
            assertThat(harness.cloud.volume(clone)).isEmpty();
        }
        assertThat(harness.cloud.volume(volumeIds(vm).get(0))).isPresent();
        List<SpecificRecord> after = harness.outputsOf(vm.vmId());
        assertThat(steps(after).subList(7, steps(after).size())).containsExactly("cleanup:started", "cleanup:completed");
        assertThat(single(after, FailoverCleanedUp.class).getFailoverId()).isEqualTo(failoverId);
        assertThat(stepRows(failoverId)).containsExactly("1 validation completed", "2 source_power_off skipped",
                "3 final_sync skipped", "4 target_vm completed", "5 status_update completed", "7 cleanup completed");
        assertThat(record.getCurrentStep()).isNull();
    }

    @Test
    void aFailedFinalSyncFailsTheFailoverNamingTheStepAndPowersTheSourceBackOn() {
        // given: a live failover waiting for its final sync
        Vm vm = newVm("sync-fails", 1);
        String failoverId = EventIds.newFailoverId(Instant.now());
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, true, 30));
        String requestId = awaitFinalSyncRequest(vm);

        // when: the final sync's job fails
        harness.publish(Topics.JOB_STARTED, vm.vmId(), jobStarted(requestId, vm, failoverId, "job-sync-2"));
        harness.publish(Topics.JOB_FAILED, vm.vmId(), jobFailed(requestId, vm, failoverId, "job-sync-2"));

        // then
        FailoverJobsRecord record = awaitStatus(failoverId, "failed");
        String reason = "final sync job job-sync-2 failed at copy (VMA_REPORTED_FAILURE): the VMA reported the copy "
                + "failed at 40%";
        assertFailed(vm, failoverId, FailoverStep.final_sync, reason, true, List.of("final_sync:failed",
                "rollback:started", "rollback:completed"));
        assertThat(record.getFinalSyncJobId()).isEqualTo("job-sync-2");
        assertThat(stepRows(failoverId)).containsExactly("1 validation completed", "2 source_power_off completed",
                "3 final_sync failed job-sync-2", "6 rollback completed");
        assertThat(harness.vma.inventory().byId(vm.vmId()).orElseThrow().powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(harness.cloud.vmsOf(failoverId)).isEmpty();
    }

    @Test
    void aRefusedFinalSyncRequestFailsTheFailover() {
        Vm vm = newVm("sync-refused", 1);
        String failoverId = EventIds.newFailoverId(Instant.now());
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, true, 30));
        String requestId = awaitFinalSyncRequest(vm);

        harness.publish(Topics.REPLICATION_REJECTED, vm.vmId(), rejected(requestId, vm, failoverId));

        awaitStatus(failoverId, "failed");
        assertFailed(vm, failoverId, FailoverStep.final_sync, "the final sync request was refused "
                + "(ACTIVE_REPLICATION_JOB): VM has active replication job", true,
                List.of("final_sync:failed", "rollback:started", "rollback:completed"));
    }

    @Test
    void aFinalSyncWhoseDiscoveryFailsFailsTheFailoverAndAnOptedOutSourceStaysOff() {
        Vm vm = newVm("sync-undiscovered", 1);
        String failoverId = EventIds.newFailoverId(Instant.now());
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, false, 30));
        String requestId = awaitFinalSyncRequest(vm);

        harness.publish(Topics.DISCOVERY_FAILED, vm.vmId(), discoveryFailed(requestId, vm, failoverId));

        awaitStatus(failoverId, "failed");
        assertFailed(vm, failoverId, FailoverStep.final_sync, "the final sync's discovery failed (TIMEOUT): the VMA "
                + "did not answer within 15 s", false, List.of("final_sync:failed"));
        assertThat(harness.vma.inventory().byId(vm.vmId()).orElseThrow().powerState()).isEqualTo(PowerState.POWERED_OFF);
    }

    @Test
    void aFinalSyncPastItsDeadlineFailsTheFailover() {
        // given: a deadline of one minute (two seconds in this test), and no outcome ever
        Vm vm = newVm("sync-late", 1);
        String failoverId = EventIds.newFailoverId(Instant.now());
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, true, 1));
        String requestId = awaitFinalSyncRequest(vm);

        // then
        FailoverJobsRecord record = awaitStatus(failoverId, "failed");
        String reason = "the final sync (request " + requestId + ") did not complete within its deadline of 1 minute(s), "
                + record.getFinalSyncDeadlineAt().toInstant();
        assertFailed(vm, failoverId, FailoverStep.final_sync, reason, true,
                List.of("final_sync:failed", "rollback:started", "rollback:completed"));
        assertThat(record.getFinalSyncDeadlineAt().toInstant()).isBefore(record.getCompletedAt().toInstant());

        // when: the final sync completes after all
        harness.awaitConsumed(harness.publish(Topics.JOB_COMPLETED, vm.vmId(),
                jobCompleted(requestId, vm, failoverId, "job-late")));

        // then: too late, nothing changes
        assertThat(harness.db.selectFrom(FAILOVER_JOBS).where(FAILOVER_JOBS.ID.eq(failoverId)).fetchOne())
                .isEqualTo(record);
    }

    @Test
    void aPowerOffTheVmaRefusesFailsTheFailoverBeforeAnySync() {
        Vm vm = newVm("power-off-refused", 1);
        harness.vma.faults().forVm(vm.vmId()).powerOffFailure(PowerFailure.REPORTED);
        String failoverId = EventIds.newFailoverId(Instant.now());

        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, true, 30));

        awaitStatus(failoverId, "failed");
        List<SpecificRecord> outputs = harness.outputsOf(vm.vmId());
        assertThat(steps(outputs)).containsExactly("validation:completed", "source_power_off:started",
                "source_power_off:failed");
        FailoverFailed failed = single(outputs, FailoverFailed.class);
        assertThat(failed.getFailedStep()).isEqualTo(FailoverStep.source_power_off);
        assertThat(failed.getReason()).isEqualTo("the VMA did not power off source VM " + vm.vmId()
                + ": power-off failed: simulated vCenter task failure");
        assertThat(failed.getSourcePoweredBackOn()).isFalse();
        assertThat(only(outputs, ReplicationRequested.class)).isEmpty();
        assertThat(only(outputs, FinalSyncRequested.class)).isEmpty();
        assertThat(only(outputs, FailoverCompleted.class)).isEmpty();
        assertThat(stepRows(failoverId)).containsExactly("1 validation completed", "2 source_power_off failed");
        assertThat(harness.vma.inventory().byId(vm.vmId()).orElseThrow().powerState()).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void aPowerOffWhoseAnswerIsLostChecksThePowerStateAndRollsBack() {
        // given: the VMA powers the VM off, then drops the connection before answering
        Vm vm = newVm("power-off-answer-lost", 1);
        harness.vma.faults().forVm(vm.vmId()).powerOffFailure(PowerFailure.ANSWER_LOST);
        String failoverId = EventIds.newFailoverId(Instant.now());

        // when
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, true, 30));

        // then: the step fails naming the checked state, and the rollback powers the source back on
        awaitStatus(failoverId, "failed");
        List<SpecificRecord> outputs = harness.outputsOf(vm.vmId());
        assertThat(steps(outputs)).containsExactly("validation:completed", "source_power_off:started",
                "source_power_off:failed", "rollback:started", "rollback:completed");
        FailoverFailed failed = single(outputs, FailoverFailed.class);
        assertThat(failed.getFailedStep()).isEqualTo(FailoverStep.source_power_off);
        assertThat(failed.getReason()).startsWith("power-off of source VM " + vm.vmId() + " failed: VMA POST /api/v1/vm/")
                .contains("connection lost before the answer")
                .endsWith("; the VMA may have acted: its power state is now poweredOff");
        assertThat(failed.getSourcePoweredBackOn()).isTrue();
        assertThat(stepEvent(outputs, FailoverStep.rollback, "completed").getMessage())
                .isEqualTo("source VM " + vm.vmId() + " powered back on");
        assertThat(only(outputs, ReplicationRequested.class)).isEmpty();
        assertThat(only(outputs, FailoverCompleted.class)).isEmpty();
        assertThat(stepRows(failoverId)).containsExactly("1 validation completed", "2 source_power_off failed",
                "6 rollback completed");
        assertThat(harness.vma.inventory().byId(vm.vmId()).orElseThrow().powerState()).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void aTargetVmTheCloudRefusesFailsTheFailoverAndPowersTheSourceBackOn() {
        Vm vm = newVm("cloud-refuses", 1);
        String failoverId = EventIds.newFailoverId(Instant.now());
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, true, 30));
        String requestId = awaitFinalSyncRequest(vm);
        harness.cloud.failNext("deployVirtualMachine", 1);

        harness.publish(Topics.JOB_COMPLETED, vm.vmId(), jobCompleted(requestId, vm, failoverId, "job-sync-3"));

        awaitStatus(failoverId, "failed");
        assertFailed(vm, failoverId, FailoverStep.target_vm, "the target platform refused CREATE_VM: CloudStack "
                + "deployVirtualMachine failed: injected fault: CloudStack answered 530 (errorcode 530, cserrorcode 4250)"
                + " [CloudStack target 1, deployVirtualMachine]", true, List.of("final_sync:completed",
                "target_vm:started", "target_vm:failed", "rollback:started", "rollback:completed"));
        assertThat(harness.vma.inventory().byId(vm.vmId()).orElseThrow().powerState()).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void aRestartWhileWaitingForTheFinalSyncResumesItAndRecordsEachStepOnce() {
        // given: a live failover waiting for its final sync
        Vm vm = newVm("restart", 1);
        String failoverId = EventIds.newFailoverId(Instant.now());
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, true, 30));
        String requestId = awaitFinalSyncRequest(vm);
        String deadline = harness.db.select(FAILOVER_JOBS.FINAL_SYNC_DEADLINE_AT).from(FAILOVER_JOBS)
                .where(FAILOVER_JOBS.ID.eq(failoverId)).fetchOne().value1().toString();

        // when: the service stops, the final sync completes meanwhile, and the service starts again
        harness.stopService();
        harness.publish(Topics.JOB_STARTED, vm.vmId(), jobStarted(requestId, vm, failoverId, "job-sync-4"));
        harness.publish(Topics.JOB_COMPLETED, vm.vmId(), jobCompleted(requestId, vm, failoverId, "job-sync-4"));
        harness.startService();

        // then: it completes, every step once, with the deadline it had
        FailoverJobsRecord record = awaitStatus(failoverId, "completed");
        assertThat(record.getFinalSyncDeadlineAt().toString()).isEqualTo(deadline);
        List<SpecificRecord> outputs = harness.outputsOf(vm.vmId());
        assertThat(steps(outputs)).containsExactly("validation:completed", "source_power_off:started",
                "source_power_off:completed", "final_sync:started", "final_sync:completed", "target_vm:started",
                "target_vm:completed", "status_update:started", "status_update:completed");
        assertThat(only(outputs, ReplicationRequested.class)).hasSize(1);
        assertThat(only(outputs, FailoverCompleted.class)).hasSize(1);
        assertThat(stepRows(failoverId)).containsExactly("1 validation completed", "2 source_power_off completed",
                "3 final_sync completed job-sync-4", "4 target_vm completed", "5 status_update completed");
        assertThat(targetOf(failoverId).state()).isEqualTo("Running");
    }

    @Test
    void aStopWhileTheCloudBuildsTheTargetVmLeavesTheStepToResumeInsteadOfFailingTheFailover() {
        // given: a live failover whose target VM is being created when the service stops
        Vm vm = newVm("stop-in-target", 1);
        String failoverId = EventIds.newFailoverId(Instant.now());
        harness.publish(Topics.FAILOVER_ACCEPTED, vm.vmId(), accepted(failoverId, vm, FailoverType.live, true, 30));
        String requestId = awaitFinalSyncRequest(vm);
        harness.cloud.restartSimulator(Duration.ofSeconds(5));
        int deploys = deploys();
        harness.publish(Topics.JOB_COMPLETED, vm.vmId(), jobCompleted(requestId, vm, failoverId, "job-sync-5"));
        await().atMost(WAIT).until(() -> steps(harness.outputsOf(vm.vmId())).contains("target_vm:started")
                && deploys() == deploys + 1);

        // when: the service stops (its workers are interrupted waiting on CloudStack's deploy job) and starts again
        harness.stopService();
        harness.cloud.restartSimulator(SimulatorTarget.JOB_DELAY);
        harness.startService();

        // then: the interrupted call was not taken for a refusal: the failover completes, nothing failed
        awaitStatus(failoverId, "completed");
        List<SpecificRecord> outputs = harness.outputsOf(vm.vmId());
        List<String> distinctSteps = only(outputs, FailoverStepChanged.class).stream()
                .map(e -> e.getEventId() + " " + e.getStep() + ":" + e.getStatus()).distinct()
                .map(line -> line.substring(line.indexOf(' ') + 1)).toList();
        assertThat(distinctSteps).containsExactly("validation:completed", "source_power_off:started",
                "source_power_off:completed", "final_sync:started", "final_sync:completed", "target_vm:started",
                "target_vm:completed", "status_update:started", "status_update:completed");
        assertThat(only(outputs, FailoverFailed.class)).isEmpty();
        assertThat(stepRows(failoverId)).containsExactly("1 validation completed", "2 source_power_off completed",
                "3 final_sync completed job-sync-5", "4 target_vm completed", "5 status_update completed");
        assertThat(targetOf(failoverId).state()).isEqualTo("Running");
        // and it waited on the deploy job it had recorded instead of deploying a second VM
        assertThat(deploys()).isEqualTo(deploys + 1);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Vm newVm(String prefix, int disks) {
        String name = "fo-" + prefix + "-" + SEQUENCE.incrementAndGet();
        SimVm.Builder builder = SimVm.builder(name).datacenter("DC1");
        for (int i = 0; i < disks; i++) {
            builder.diskGb(1);
        }
        SimVm sim = harness.vma.inventory().add(builder);
        String contextId = "ctx-" + name + "-20250923-101530";
        List<VolumeAttachment> volumes = new ArrayList<>();
        for (int i = 0; i < disks; i++) {
            String diskId = "disk-" + (2000 + i);
            TargetVolume volume = harness.target.createVolume(new VolumeRequest("job-initial-" + name, diskId, 1,
                    "migratekit-" + name + "-" + diskId));
            NbdExport export = harness.target.attachToAppliance(volume.volumeId());
            volumes.add(VolumeAttachment.newBuilder().setDiskId(diskId).setVmwareDiskKey(String.valueOf(2000 + i))
                    .setVolumeId(volume.volumeId()).setNbdExportName(export.exportName())
                    .setDevicePath(export.devicePath()).setSizeGb(1).setReused(false).build());
        }
        harness.contextRow(contextId, sim.id(), name);
        return new Vm(sim.id(), name, contextId, volumes);
    }

    private static List<String> volumeIds(Vm vm) {
        return vm.volumes().stream().map(VolumeAttachment::getVolumeId).toList();
    }

    /** The request id of the final sync failover-service asked for. */
    private static String awaitFinalSyncRequest(Vm vm) {
        return await().atMost(WAIT).until(() -> only(harness.outputsOf(vm.vmId()), ReplicationRequested.class),
                requests -> !requests.isEmpty()).get(0).getCorrelationId();
    }

    private static FailoverJobsRecord awaitStatus(String failoverId, String status) {
        return await().atMost(WAIT).until(
                () -> harness.db.selectFrom(FAILOVER_JOBS).where(FAILOVER_JOBS.ID.eq(failoverId)).fetchOne(),
                record -> record != null && status.equals(record.getStatus()));
    }

    private static void assertFailed(Vm vm, String failoverId, FailoverStep step, String reason,
            boolean poweredBackOn, List<String> lastSteps) {
        List<SpecificRecord> outputs = harness.outputsOf(vm.vmId());
        List<String> steps = steps(outputs);
        assertThat(steps.subList(0, 4)).containsExactlyElementsOf(LIVE_UNTIL_FINAL_SYNC);
        assertThat(steps.subList(4, steps.size())).containsExactlyElementsOf(lastSteps);
        FailoverFailed failed = single(outputs, FailoverFailed.class);
        assertThat(failed).isEqualTo(FailoverFailed.newBuilder().setEventId(FailoverEvents.eventId(failoverId, "failed"))
                .setOccurredAt(failed.getOccurredAt()).setCorrelationId(failoverId).setVmwareVmId(vm.vmId())
                .setFailoverId(failoverId).setContextId(vm.contextId()).setFailoverType(FailoverType.live)
                .setFailedStep(step).setReason(reason).setSourcePoweredBackOn(poweredBackOn).build());
        assertThat(stepEvent(outputs, step, "failed").getMessage()).isEqualTo(reason);
        assertThat(only(outputs, FailoverCompleted.class)).isEmpty();
        assertThat(only(outputs, ReplicationRequested.class)).hasSize(1);
        FailoverJobsRecord record = harness.db.selectFrom(FAILOVER_JOBS).where(FAILOVER_JOBS.ID.eq(failoverId)).fetchOne();
        assertThat(record.getFailedStep()).isEqualTo(step.name());
        assertThat(record.getErrorMessage()).isEqualTo(reason);
        assertThat(record.getSourcePoweredBackOn()).isEqualTo(poweredBackOn);
        assertThat(record.getCurrentStep()).isNull();
    }

    /** The failover's VM in the cloud; there must be exactly one. */
    private static SimulatorTarget.Vm targetOf(String failoverId) {
        List<SimulatorTarget.Vm> vms = harness.cloud.vmsOf(failoverId);
        assertThat(vms).hasSize(1);
        return vms.get(0);
    }

    /** How many deployVirtualMachine jobs the cloud was given. */
    private static int deploys() {
        return (int) harness.cloud.asyncCommands().stream().filter("deployvirtualmachine"::equals).count();
    }

    private static List<String> steps(List<SpecificRecord> outputs) {
        return only(outputs, FailoverStepChanged.class).stream().map(e -> e.getStep() + ":" + e.getStatus()).toList();
    }

    private static FailoverStepChanged stepEvent(List<SpecificRecord> outputs, FailoverStep step, String status) {
        List<FailoverStepChanged> matching = only(outputs, FailoverStepChanged.class).stream()
                .filter(e -> e.getStep() == step && e.getStatus().name().equals(status)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private static List<String> stepRows(String failoverId) {
        return harness.db.selectFrom(JOB_STEPS).where(JOB_STEPS.FAILOVER_ID.eq(failoverId)).orderBy(JOB_STEPS.SEQ)
                .fetch(r -> r.getSeq() + " " + r.getStep() + " " + r.getStatus()
                        + (r.getJobId() != null && !r.getStep().equals("validation") ? " " + r.getJobId() : ""));
    }

    private static <T> List<T> only(List<SpecificRecord> outputs, Class<T> type) {
        return outputs.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> T single(List<SpecificRecord> outputs, Class<T> type) {
        List<T> found = only(outputs, type);
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
