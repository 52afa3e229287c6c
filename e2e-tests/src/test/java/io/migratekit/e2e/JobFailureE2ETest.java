package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.e2e.JobEventStreams.JobEvent;
import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A job that fails after its copy started, end to end on the standalone stack: the copy engine
 * reports a failure, or never reports the job at all (404 past the 30 s grace). Each ends as
 * {@code JobFailed} with its reason as the last event of the job's stream, leaves the VM
 * {@code failed}, and the VM takes a new request afterwards; a change id the failed job recorded is
 * never the base of the next incremental. (A stalled copy and an unreachable VMA take 10 minutes and
 * 5 backed-off polls at the default settings: progress-service's integration test drives those.)
 */
class JobFailureE2ETest {

    private static final long DISK = 2L * 1024 * 1024 * 1024;

    static Pipeline pipeline;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
    }

    @Test
    void aFailedCopyAndAJobTheVmaNeverReportsEachFailWithTheirReasonAndTheVmReplicatesAgain() {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(JobFailureE2ETest::aCopyTheVmaReportsFailedKeepsTheLastCompletedBase),
                CompletableFuture.runAsync(JobFailureE2ETest::aJobTheVmaNeverReportsFailsAfterTheGrace)).join();
    }

    private static void aCopyTheVmaReportsFailedKeepsTheLastCompletedBase() {
        // given: a VM whose initial replication completed with base change ids
        SimVm vm = newVm("fail", 2);
        String initial = started(vm, "initial");
        List<JobEvent> initialEvents = JobEventStreams.open(pipeline, initial).untilEnd();
        assertThat(last(initialEvents).type()).isEqualTo("JobCompleted");
        Map<String, String> base = JobEventStreams.changeIds(last(initialEvents).data().get("change_ids"));

        // when: the next (incremental) copy fails on its second disk, after the first recorded a new change id
        pipeline.stack.simulator().faults().forVm(vm.id()).failCopyAt(75);
        String failing = started(vm, "incremental");
        List<JobEvent> failingEvents = JobEventStreams.open(pipeline, failing).untilEnd();

        // then: the job's last event is JobFailed with the VMA's reason, after the first disk's change id
        assertThat(JobEventStreams.types(failingEvents)).startsWith("JobCreated", "JobStarted")
                .contains("ChangeIdRecorded").endsWith("JobFailed").doesNotContain("JobCompleted");
        JsonNode failed = last(failingEvents).data();
        assertThat(failed.get("reason").asString()).isEqualTo("VMA_REPORTED_FAILURE");
        assertThat(failed.get("message").asString()).isNotBlank();
        JsonNode context = awaitStatus(vm, "failed");
        assertThat(context.get("failed_jobs").asInt()).isEqualTo(1);
        assertThat(context.get("current_job_id").isNull()).isTrue();

        // when: the fault is gone and the VM is requested again
        pipeline.stack.simulator().faults().forVm(vm.id()).clear();
        String next = started(vm, "incremental");
        List<JobEvent> nextEvents = JobEventStreams.open(pipeline, next).untilEnd();

        // then: it is incremental from the completed job's change ids, not the failed job's, and completes
        assertThat(JobEventStreams.changeIds(nextEvents.get(0).data().get("previous_change_ids"))).isEqualTo(base);
        assertThat(last(nextEvents).type()).isEqualTo("JobCompleted");
        assertThat(awaitStatus(vm, "ready_for_failover").get("successful_jobs").asInt()).isEqualTo(2);
    }

    private static void aJobTheVmaNeverReportsFailsAfterTheGrace() {
        // given: a VM whose copy engine will never report the job (progress answers 404)
        SimVm vm = newVm("lost", 1);
        pipeline.stack.simulator().faults().forVm(vm.id()).progressNotFound(true);

        // when: its replication is requested
        String lost = started(vm, "initial");
        List<JobEvent> events = JobEventStreams.open(pipeline, lost).untilEnd();

        // then: created, started, and failed as not found once the grace passed, nothing else
        assertThat(JobEventStreams.types(events)).containsExactly("JobCreated", "JobStarted", "JobFailed");
        assertThat(last(events).data().get("reason").asString()).isEqualTo("VMA_JOB_NOT_FOUND");
        awaitStatus(vm, "failed");

        // when: the fault is gone and the VM is requested again, then: a new job runs to completion
        pipeline.stack.simulator().faults().forVm(vm.id()).clear();
        String again = started(vm, "initial");
        assertThat(last(JobEventStreams.open(pipeline, again).untilEnd()).type()).isEqualTo("JobCompleted");
        assertThat(awaitStatus(vm, "ready_for_failover").get("failed_jobs").asInt()).isEqualTo(1);
    }

    private static SimVm newVm(String prefix, int disks) {
        SimVm.Builder builder = SimVm.builder(prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).folder("e2e");
        for (int i = 0; i < disks; i++) {
            builder.disk(DISK);
        }
        return pipeline.stack.simulator().inventory().add(builder);
    }

    /** Requests a replication without a type; it must start as that type. Returns the job id. */
    private static String started(SimVm vm, String type) {
        HttpResponse<String> response = pipeline.post("/replications", requestFor(vm));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).get("replication_type").asString()).isEqualTo(type);
        return json(response).get("job_id").asString();
    }

    private static JsonNode awaitStatus(SimVm vm, String status) {
        return JobEventStreams.await("context of " + vm.name() + " " + status,
                () -> pipeline.get("/vm-contexts/" + vm.name()),
                detail -> status.equals(detail.get("context").get("current_status").asString())).get("context");
    }

    private static JobEvent last(List<JobEvent> events) {
        return events.get(events.size() - 1);
    }
}
