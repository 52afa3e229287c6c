package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The canonical job-creation pattern end to end through REST, discovery, the decision and the
 * workflow on the standalone stack, with the simulated VMA and CloudStack.
 */
class ReplicationFlowE2ETest {

    static Pipeline pipeline;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
    }

    @Test
    void aNewVmGetsAStartedJobAndASecondRequestWhileItRunsIs409() {
        // given: a VM with two disks whose copy will stay running
        SimVm vm = pipeline.newVm("flow-new", 2);
        pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(5);

        // when: replication is requested
        HttpResponse<String> created = pipeline.post("/replications", requestFor(vm));

        // then: 201 with the original job shape, one created and mounted volume per disk
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode job = json(created);
        assertThat(job.get("job_id").asString()).matches("job-\\d{8}-\\d{6}\\.\\d{3}-[0-9a-f]{6}");
        assertThat(job.get("context_id").asString()).startsWith("ctx-" + vm.name() + "-");
        assertThat(job.get("status").asString()).isEqualTo("replicating");
        assertThat(job.get("replication_type").asString()).isEqualTo("initial");
        assertThat(job.get("progress_percent").asDouble()).isEqualTo(0.0);
        assertThat(job.get("created_volumes")).hasSize(2);
        assertThat(job.get("mounted_volumes")).hasSize(2);
        assertThat(job.get("source_vm").get("id").asString()).isEqualTo(vm.id());
        assertThat(job.get("started_at").asString()).isNotBlank();
        assertThat(job.get("message").asString()).contains("2 disk(s)");
        assertThat(pipeline.stack.simulator().job(job.get("job_id").asString())).isPresent();

        // when: the same VM is requested again while the job runs
        HttpResponse<String> again = pipeline.post("/replications", requestFor(vm));

        // then: 409, and the first job is still the VM's only job
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(json(again).get("error").asString()).isEqualTo("VM has active replication job");
    }

    @Test
    void addToManagementTwiceIs201Then409() {
        SimVm vm = pipeline.newVm("flow-manage", 1);
        ObjectNode body = requestFor(vm).put("start_replication", false);

        HttpResponse<String> first = pipeline.post("/replications", body);
        HttpResponse<String> second = pipeline.post("/replications", body);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        JsonNode context = json(first);
        assertThat(context.get("vm_name").asString()).isEqualTo(vm.name());
        assertThat(context.get("vmware_vm_id").asString()).isEqualTo(vm.id());
        assertThat(context.get("current_status").asString()).isEqualTo("discovered");
        assertThat(context.get("message").asString()).isEqualTo("VM added to management successfully");
        assertThat(context.has("job_id")).isFalse();
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(json(second).get("error").asString()).isEqualTo("VM already exists in management");
    }

    @Test
    void startingAManagedVmReusesItsContextWithNewDiskRecords() {
        // given: a VM already in management, with no job
        SimVm vm = pipeline.newVm("flow-reuse", 3);
        pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(5);
        HttpResponse<String> managed = pipeline.post("/replications", requestFor(vm).put("start_replication", false));
        String contextId = json(managed).get("context_id").asString();

        // when: replication is started for it, with a client disk array that must not be used
        ObjectNode body = requestFor(vm);
        ((ObjectNode) body.get("source_vm")).putArray("disks").addObject().put("id", "disk-9999").put("size_gb", 1);
        HttpResponse<String> started = pipeline.post("/replications", body);

        // then: the job is on the same context, with one disk record per DISCOVERED disk
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        JsonNode job = json(started);
        assertThat(job.get("context_id").asString()).isEqualTo(contextId);
        assertThat(job.get("created_volumes")).hasSize(3);
        JsonNode stored = awaitJob(job.get("job_id").asString());
        List<String> diskIds = new ArrayList<>();
        stored.get("disks").forEach(d -> diskIds.add(d.get("disk_id").asString()));
        assertThat(diskIds).containsExactlyInAnyOrder("disk-2000", "disk-2001", "disk-2002");
    }

    @Test
    void theGuiTheSchedulerAndAnExternalClientGetTheSameJobShape() {
        SimVm gui = pipeline.newVm("style-gui", 1);
        SimVm scheduled = pipeline.newVm("style-scheduler", 1);
        SimVm external = pipeline.newVm("style-curl", 1);
        for (SimVm vm : List.of(gui, scheduled, external)) {
            pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(5);
        }

        // GUI: the full discovered object with the compatibility duplicates, type initial
        ObjectNode guiBody = requestFor(gui).put("replication_type", "initial");
        ObjectNode guiSource = (ObjectNode) guiBody.get("source_vm");
        guiSource.put("vm_id", gui.id()).put("vm_name", gui.name()).put("vm_path", gui.path());
        guiBody.put("vcenter_host", "vcenter.e2e.local").put("datacenter", gui.datacenter())
                .put("target_network", "").put("change_id", "").put("previous_change_id", "").put("snapshot_id", "");
        // scheduler: metadata, no type (auto-detect)
        ObjectNode schedulerBody = requestFor(scheduled).put("schedule_execution_id", "exec-42")
                .put("vm_group_id", "group-7").put("scheduled_by", "scheduler-service");
        // external curl: the seed's example 3 body
        ObjectNode curlBody = requestFor(external).put("replication_type", "initial").put("start_replication", true);

        JsonNode fromGui = json(pipeline.post("/replications", guiBody));
        JsonNode fromScheduler = json(pipeline.post("/replications", schedulerBody));
        JsonNode fromCurl = json(pipeline.post("/replications", curlBody));

        assertThat(keys(fromScheduler)).isEqualTo(keys(fromGui)).isEqualTo(keys(fromCurl));
        for (JsonNode job : List.of(fromGui, fromScheduler, fromCurl)) {
            assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("replicating");
            assertThat(job.get("replication_type").asString()).isEqualTo("initial");
        }
        JsonNode scheduledJob = awaitJob(fromScheduler.get("job_id").asString());
        assertThat(scheduledJob.get("schedule_execution_id").asString()).isEqualTo("exec-42");
        assertThat(scheduledJob.get("vm_group_id").asString()).isEqualTo("group-7");
        assertThat(scheduledJob.get("scheduled_by").asString()).isEqualTo("scheduler-service");
        JsonNode guiJob = awaitJob(fromGui.get("job_id").asString());
        assertThat(guiJob.get("schedule_execution_id").isNull()).isTrue();
    }

    /** The job as the read model shows it, once the projector has written it. */
    static JsonNode awaitJob(String jobId) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        HttpResponse<String> response;
        do {
            response = pipeline.get("/replications/" + jobId);
            if (response.statusCode() == 200 && json(response).get("disks") != null
                    && !json(response).get("disks").isEmpty()) {
                return json(response);
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("job " + jobId + " not in the read model: " + response.statusCode() + " " + response.body());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.propertyNames().forEach(keys::add);
        return keys;
    }
}
