package io.migratekit.e2e;

import static io.migratekit.e2e.FailoverSupport.only;
import static io.migratekit.e2e.FailoverSupport.options;
import static io.migratekit.e2e.FailoverSupport.steps;
import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ContextStatus;
import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.StepStatus;
import io.migratekit.events.VmContext;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.PowerState;
import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Live failover end to end on the standalone stack: the source is powered off, the final sync runs
 * through the standard request path as an incremental job, and only after its JobCompleted the target
 * VM is built and the context becomes failed_over_live — refusing every other replication meanwhile,
 * and surviving a restart of failover-service while it waits.
 */
class LiveFailoverE2ETest {

    private static final List<String> LIVE_STEPS = List.of("validation:completed", "source_power_off:completed",
            "final_sync:completed", "target_vm:completed", "status_update:completed");

    static Pipeline pipeline;
    static FailoverSupport failovers;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
        failovers = new FailoverSupport(pipeline);
    }

    @Test
    void theContextIsFailedOverLiveOnlyAfterThePoweredOffSourcesFinalSyncCompleted() {
        // given: a VM with a completed replication
        SimVm vm = failovers.replicatedVm("live-order", 2);

        // when
        String failoverId = failovers.acceptedFailover(vm, "live", options());

        // then: it completed, every step once
        JsonNode failover = failovers.awaitEnded(failoverId);
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("completed");
        assertThat(steps(failover)).containsExactlyElementsOf(LIVE_STEPS);
        assertThat(failovers.awaitContextStatus(vm, "failed_over_live").get("active_failover_id").isNull()).isTrue();
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_OFF);
        String targetVmId = failover.get("target_vm_id").asString();
        assertThat(failovers.cloudVm(targetVmId).orElseThrow().get("state").asString()).isEqualTo("Running");
        // it runs on the replicas themselves, the OS disk as its ROOT
        assertThat(failovers.cloudVolumesOf(targetVmId)).hasSize(2)
                .allSatisfy(volume -> assertThat(volume.get("snapshotId").isNull()).isTrue())
                .anySatisfy(volume -> assertThat(volume.get("type").asString()).isEqualTo("ROOT"));

        // and: power-off confirmed → final sync job created (incremental, no type given) → its JobCompleted
        //      → target VM up → failed_over_live, in that order
        List<SpecificRecord> events = failovers.events(vm, Topics.FAILOVER_STEP_CHANGED, Topics.JOB_CREATED,
                Topics.JOB_COMPLETED, Topics.FAILOVER_COMPLETED, Topics.VM_CONTEXTS);
        FailoverStepChanged poweredOff = step(events, FailoverStep.source_power_off, StepStatus.completed);
        List<JobCreated> finalSyncJobs = only(events, JobCreated.class).stream()
                .filter(job -> failoverId.equals(job.getFailoverId())).toList();
        assertThat(finalSyncJobs).hasSize(1);
        JobCreated finalSync = finalSyncJobs.get(0);
        assertThat(finalSync.getReplicationType()).isEqualTo(ReplicationType.incremental);
        assertThat(finalSync.getReplicationTypeRequested()).isFalse();
        assertThat(finalSync.getRequestedBy()).isEqualTo("failover-service");
        List<JobCompleted> finalSyncCompletions = only(events, JobCompleted.class).stream()
                .filter(job -> failoverId.equals(job.getFailoverId())).toList();
        assertThat(finalSyncCompletions).extracting(JobCompleted::getJobId).containsExactly(finalSync.getJobId());
        JobCompleted synced = finalSyncCompletions.get(0);
        FailoverStepChanged targetUp = step(events, FailoverStep.target_vm, StepStatus.completed);
        List<VmContext> changelog = only(events, VmContext.class);
        VmContext failedOver = changelog.stream().filter(c -> c.getCurrentStatus() == ContextStatus.failed_over_live)
                .findFirst().orElseThrow();
        assertThat(poweredOff.getOccurredAt()).isBeforeOrEqualTo(finalSync.getOccurredAt());
        assertThat(finalSync.getOccurredAt()).isBeforeOrEqualTo(synced.getOccurredAt());
        assertThat(synced.getOccurredAt()).isBeforeOrEqualTo(targetUp.getOccurredAt());
        assertThat(targetUp.getOccurredAt()).isBeforeOrEqualTo(failedOver.getOccurredAt());
        assertThat(single(events, FailoverCompleted.class).getFinalSyncJobId()).isEqualTo(finalSync.getJobId());

        // and: in the context's changelog, nothing is failed_over_live before the final sync's completion is folded in
        int syncFolded = indexOf(changelog, c -> finalSync.getJobId().equals(c.getLastSuccessfulJobId()));
        int firstFailedOver = indexOf(changelog, c -> c.getCurrentStatus() == ContextStatus.failed_over_live);
        assertThat(syncFolded).isNotNegative();
        assertThat(changelog.subList(0, syncFolded + 1)).extracting(VmContext::getCurrentStatus)
                .doesNotContain(ContextStatus.failed_over_live);
        assertThat(changelog.get(syncFolded).getCurrentStatus()).isEqualTo(ContextStatus.failing_over);
        assertThat(firstFailedOver).isGreaterThan(syncFolded);
        assertThat(changelog.get(changelog.size() - 1).getCurrentStatus()).isEqualTo(ContextStatus.failed_over_live);
    }

    @Test
    void aScheduledReplicationDuringALiveFailoverIs409WhileTheFinalSyncPasses() {
        // given: a live failover just accepted
        SimVm vm = failovers.replicatedVm("live-scheduler", 1);
        String failoverId = failovers.acceptedFailover(vm, "live", options());

        // when: the scheduler asks for a replication of the VM
        ObjectNode scheduled = requestFor(vm).put("schedule_execution_id", "exec-" + vm.name())
                .put("vm_group_id", "group-e2e").put("scheduled_by", "scheduler-service");
        HttpResponse<String> refused = pipeline.post("/replications", scheduled);

        // then: refused, and the failover's own final sync went through to the end
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(json(refused).get("error").asString()).isEqualTo("VM has a failover in progress");
        JsonNode failover = failovers.awaitEnded(failoverId);
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("completed");
        assertThat(steps(failover)).containsExactlyElementsOf(LIVE_STEPS);
        List<SpecificRecord> events = failovers.events(vm, Topics.REPLICATION_REJECTED, Topics.JOB_CREATED);
        assertThat(only(events, ReplicationRejected.class)).singleElement().satisfies(rejected -> {
            assertThat(rejected.getReason().name()).isEqualTo("FAILOVER_IN_PROGRESS");
            assertThat(rejected.getFailoverId()).isNull();
        });
        assertThat(only(events, JobCreated.class)).extracting(JobCreated::getFailoverId)
                .containsExactly(null, failoverId);
        assertThat(only(events, JobCreated.class)).extracting(JobCreated::getScheduleExecutionId).containsOnlyNulls();
    }

    @Test
    void aFailoverServiceRestartedWhileTheFinalSyncRunsResumesAndRecordsEachStepOnce() {
        // given: a live failover whose final sync is slow to be discovered
        SimVm vm = failovers.replicatedVm("live-restart", 1);
        pipeline.stack.simulator().faults().forVm(vm.id()).discoveryDelay(Duration.ofSeconds(6));
        String failoverId = failovers.acceptedFailover(vm, "live", options());
        failovers.awaitFailover(failoverId, f -> steps(f).contains("final_sync:started"));

        // when: failover-service is stopped and a new one started while it waits
        pipeline.stack.restartService("failover-service", false);

        // then: the new one completes the failover from its record
        JsonNode failover = failovers.awaitEnded(failoverId);
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("completed");
        assertThat(steps(failover)).containsExactlyElementsOf(LIVE_STEPS);
        failovers.awaitContextStatus(vm, "failed_over_live");
        List<SpecificRecord> events = failovers.events(vm, Topics.FAILOVER_STEP_CHANGED, Topics.REPLICATION_REQUESTED,
                Topics.FAILOVER_COMPLETED);
        assertThat(only(events, FailoverStepChanged.class)).extracting(e -> e.getStep() + ":" + e.getStatus())
                .containsExactly("validation:completed", "source_power_off:started", "source_power_off:completed",
                        "final_sync:started", "final_sync:completed", "target_vm:started", "target_vm:completed",
                        "status_update:started", "status_update:completed");
        assertThat(only(events, FailoverCompleted.class)).hasSize(1);
        assertThat(only(events, io.migratekit.events.ReplicationRequested.class))
                .filteredOn(r -> failoverId.equals(r.getRequest().getFailoverId())).hasSize(1);
    }

    private static FailoverStepChanged step(List<SpecificRecord> events, FailoverStep step, StepStatus status) {
        List<FailoverStepChanged> matching = only(events, FailoverStepChanged.class).stream()
                .filter(e -> e.getStep() == step && e.getStatus() == status).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    private static <T> T single(List<SpecificRecord> events, Class<T> type) {
        List<T> found = only(events, type);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static int indexOf(List<VmContext> changelog, java.util.function.Predicate<VmContext> wanted) {
        for (int i = 0; i < changelog.size(); i++) {
            if (wanted.test(changelog.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
