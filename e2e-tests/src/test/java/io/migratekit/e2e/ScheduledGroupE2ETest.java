package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A machine group on a schedule end to end on the standalone stack: definitions through job-intake,
 * scheduler-service materializing them and running a manual trigger, every VM replicated through the
 * canonical path (discovery, decision, workflow, simulated VMA and CloudStack), the execution counted.
 */
class ScheduledGroupE2ETest {

    static Pipeline pipeline;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
    }

    @Test
    void aTriggeredGroupReplicatesEveryVmAndTheExecutionCompletesWithExactCounts() {
        // given: three managed VMs
        List<SimVm> vms = new ArrayList<>();
        List<String> contexts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SimVm vm = pipeline.newVm("sched", 1);
            HttpResponse<String> managed = pipeline.post("/replications", requestFor(vm).put("start_replication", false));
            assertThat(managed.statusCode()).as(managed.body()).isEqualTo(201);
            vms.add(vm);
            contexts.add(json(managed).get("context_id").asString());
        }
        // and: a schedule that does not fire during the test, a group of 2 at once on it, the VMs in it
        ObjectNode schedule = Pipeline.JSON.createObjectNode().put("name", "e2e-" + vms.get(0).name())
                .put("cron_expression", "0 0 1 1 *").put("max_concurrent_jobs", 3).put("retry_attempts", 0);
        HttpResponse<String> created = pipeline.post("/schedules", schedule);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String scheduleId = json(created).get("id").asString();
        await(() -> pipeline.get("/schedules/" + scheduleId).statusCode() == 200, "the schedule is applied");
        HttpResponse<String> group = pipeline.post("/machine-groups", Pipeline.JSON.createObjectNode()
                .put("name", "e2e-" + vms.get(0).name()).put("schedule_id", scheduleId).put("max_concurrent_vms", 2));
        assertThat(group.statusCode()).as(group.body()).isEqualTo(202);
        String groupId = json(group).get("id").asString();
        await(() -> pipeline.get("/machine-groups/" + groupId).statusCode() == 200, "the group is applied");
        ObjectNode members = Pipeline.JSON.createObjectNode();
        contexts.forEach(members.putArray("vm_context_ids")::add);
        HttpResponse<String> added = pipeline.post("/machine-groups/" + groupId + "/vms", members);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        await(() -> json(pipeline.get("/machine-groups/" + groupId + "/vms")).size() == 3, "the members are applied");

        // when
        HttpResponse<String> triggered = pipeline.post("/schedules/" + scheduleId + "/trigger",
                Pipeline.JSON.createObjectNode().put("reason", "e2e"));

        // then: the execution ends completed, every VM replicated by a job of its own
        assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(202);
        String executionId = json(triggered).get("execution_id").asString();
        await(() -> {
            JsonNode items = json(pipeline.get("/schedules/" + scheduleId + "/executions")).get("items");
            return items.size() == 1 && items.get(0).get("completed_at") != null
                    && !items.get(0).get("completed_at").isNull();
        }, "the execution ends");
        JsonNode execution = json(pipeline.get("/schedules/" + scheduleId + "/executions")).get("items").get(0);
        assertThat(execution.get("id").asString()).isEqualTo(executionId);
        assertThat(execution.get("status").asString()).isEqualTo("completed");
        assertThat(execution.get("triggered_by").asString()).isEqualTo("operator");
        assertThat(List.of(execution.get("vms_eligible").asInt(), execution.get("jobs_created").asInt(),
                execution.get("jobs_completed").asInt(), execution.get("jobs_failed").asInt(),
                execution.get("jobs_skipped").asInt(), execution.get("queued").asInt()))
                .containsExactly(3, 3, 3, 0, 0, 0);
        for (JsonNode vm : execution.get("vms")) {
            assertThat(vm.get("status").asString()).isEqualTo("completed");
            JsonNode job = json(pipeline.get("/replications/" + vm.get("job_id").asString()));
            assertThat(job.get("status").asString()).isEqualTo("completed");
        }
        assertThat(execution.get("vms")).extracting(v -> v.get("vmware_vm_id").asString())
                .containsExactlyInAnyOrderElementsOf(vms.stream().map(SimVm::id).toList());
    }

    private static void await(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within 120 s");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
