package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.e2e.JobEventStreams.JobEvent;
import io.migratekit.vmasim.JobSnapshot;
import io.migratekit.vmasim.JobSnapshot.DiskSnapshot;
import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * CBT end to end on the standalone stack, through the REST API only: an initial job followed by its
 * live events (server-sent events) to its completion with the change id of every disk, then the
 * next request without a replication type is incremental from exactly those change ids (as the read
 * model and the simulated VMA's copy engine show) and completes too.
 */
class IncrementalReplicationE2ETest {

    private static final List<String> DISKS = List.of("disk-2000", "disk-2001");

    static Pipeline pipeline;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
    }

    @Test
    void anInitialJobCompletesWithEveryDisksChangeIdAndTheNextRequestIsIncrementalFromThem() {
        // given: a VM with two disks the simulated copy engine copies one after the other, in seconds
        SimVm vm = pipeline.stack.simulator().inventory().add(SimVm.builder("cbt-" + UUID.randomUUID()
                .toString().substring(0, 8)).folder("e2e").diskGb(8).diskGb(12));

        // when: replication is requested without a type, and the job's events are followed
        HttpResponse<String> first = pipeline.post("/replications", requestFor(vm));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String initialJob = json(first).get("job_id").asString();
        assertThat(json(first).get("replication_type").asString()).isEqualTo("initial");
        List<JobEvent> initialEvents = JobEventStreams.open(pipeline, initialJob).untilEnd();

        // then: created, started, progress while it copies, one change id per disk, completed last
        List<String> types = JobEventStreams.types(initialEvents);
        assertThat(types.subList(0, 2)).containsExactly("JobCreated", "JobStarted");
        assertThat(types.get(types.size() - 1)).isEqualTo("JobCompleted");
        assertThat(types.subList(2, types.size() - 1)).containsOnly("JobProgress", "ChangeIdRecorded")
                .contains("JobProgress");
        assertThat(types).filteredOn("ChangeIdRecorded"::equals).hasSize(2);
        assertThat(new HashSet<>(initialEvents.stream().map(JobEvent::id).toList())).hasSize(initialEvents.size());
        for (JobEvent event : initialEvents) {
            assertThat(event.data().get("job_id").asString()).isEqualTo(initialJob);
            assertThat(event.data().get("event_id").asString()).isEqualTo(event.id());
            assertThat(event.data().get("vmware_vm_id").asString()).isEqualTo(vm.id());
        }
        Map<String, String> recorded = new HashMap<>();
        initialEvents.stream().filter(event -> event.type().equals("ChangeIdRecorded")).forEach(event ->
                recorded.put(event.data().get("disk_id").asString(), event.data().get("change_id").asString()));
        assertThat(recorded.keySet()).containsExactlyInAnyOrderElementsOf(DISKS);
        JsonNode completed = initialEvents.get(initialEvents.size() - 1).data();
        assertThat(JobEventStreams.changeIds(completed.get("change_ids"))).isEqualTo(recorded);
        assertThat(completed.get("replication_type").asString()).isEqualTo("initial");
        assertThat(completed.get("bytes_transferred").asLong()).isEqualTo(20L * 1024 * 1024 * 1024);
        double percent = -1;
        for (JobEvent progress : initialEvents.stream().filter(event -> event.type().equals("JobProgress")).toList()) {
            assertThat(progress.data().get("percent").asDouble()).isGreaterThanOrEqualTo(percent);
            percent = progress.data().get("percent").asDouble();
        }
        // and: the read model shows the completed job with its change ids, the VM ready for failover
        JsonNode initial = awaitJobStatus(initialJob, "completed");
        assertThat(diskChangeIds(initial, "change_id")).isEqualTo(recorded);
        JsonNode context = awaitContext(vm, initialJob);
        assertThat(context.get("current_status").asString()).isEqualTo("ready_for_failover");
        assertThat(context.get("current_job_id").isNull()).isTrue();
        assertThat(context.get("total_jobs_run").asInt()).isEqualTo(1);
        assertThat(context.get("successful_jobs").asInt()).isEqualTo(1);

        // when: the VM is requested again, still without a type
        HttpResponse<String> second = pipeline.post("/replications", requestFor(vm));

        // then: the job is incremental on the same context, from the change ids the first job completed with
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        String incrementalJob = json(second).get("job_id").asString();
        assertThat(json(second).get("replication_type").asString()).isEqualTo("incremental");
        assertThat(json(second).get("context_id").asString()).isEqualTo(json(first).get("context_id").asString());
        List<JobEvent> incrementalEvents = JobEventStreams.open(pipeline, incrementalJob).untilEnd();
        assertThat(JobEventStreams.types(incrementalEvents).subList(0, 2)).containsExactly("JobCreated", "JobStarted");
        JobEvent createdIncremental = incrementalEvents.get(0);
        assertThat(createdIncremental.data().get("replication_type").asString()).isEqualTo("incremental");
        assertThat(JobEventStreams.changeIds(createdIncremental.data().get("previous_change_ids")))
                .isEqualTo(recorded);
        JobEvent end = incrementalEvents.get(incrementalEvents.size() - 1);
        assertThat(end.type()).isEqualTo("JobCompleted");
        assertThat(end.data().get("replication_type").asString()).isEqualTo("incremental");
        assertThat(JobEventStreams.changeIds(end.data().get("change_ids")).keySet())
                .containsExactlyInAnyOrderElementsOf(DISKS);

        // and: the copy engine was asked for an incremental copy from those change ids
        JobSnapshot copied = pipeline.stack.simulator().job(incrementalJob).orElseThrow();
        assertThat(copied.syncType()).isEqualTo("incremental");
        Map<String, String> bases = new HashMap<>();
        for (DiskSnapshot disk : copied.disks()) {
            bases.put(disk.diskId(), disk.previousChangeId());
        }
        assertThat(bases).isEqualTo(recorded);
        // and: the read model shows the incremental job's bases and the context's second success
        JsonNode incremental = awaitJobStatus(incrementalJob, "completed");
        assertThat(incremental.get("replication_type").asString()).isEqualTo("incremental");
        assertThat(diskChangeIds(incremental, "previous_change_id")).isEqualTo(recorded);
        assertThat(diskChangeIds(incremental, "change_id"))
                .isEqualTo(JobEventStreams.changeIds(end.data().get("change_ids")));
        JsonNode after = awaitContext(vm, incrementalJob);
        assertThat(after.get("current_status").asString()).isEqualTo("ready_for_failover");
        assertThat(after.get("total_jobs_run").asInt()).isEqualTo(2);
        assertThat(after.get("successful_jobs").asInt()).isEqualTo(2);
        assertThat(after.get("failed_jobs").asInt()).isEqualTo(0);
    }

    private static Map<String, String> diskChangeIds(JsonNode job, String field) {
        Map<String, String> ids = new HashMap<>();
        job.get("disks").forEach(disk -> ids.put(disk.get("disk_id").asString(), disk.get(field).asString()));
        return ids;
    }

    /** The job as GET /replications/{id} shows it once the projector wrote that status (bounded wait). */
    static JsonNode awaitJobStatus(String jobId, String status) {
        return JobEventStreams.await("job " + jobId + " " + status, () -> pipeline.get("/replications/" + jobId),
                job -> status.equals(job.get("status").asString()));
    }

    /** The VM's context once its last successful job is that one (bounded wait). */
    static JsonNode awaitContext(SimVm vm, String lastSuccessfulJob) {
        return JobEventStreams.await("context of " + vm.name(), () -> pipeline.get("/vm-contexts/" + vm.name()),
                detail -> lastSuccessfulJob.equals(detail.get("context").get("last_successful_job_id").asString()))
                .get("context");
    }
}
