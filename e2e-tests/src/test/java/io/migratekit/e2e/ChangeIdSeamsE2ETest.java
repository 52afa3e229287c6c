package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.e2e.JobEventStreams.JobEvent;
import io.migratekit.vmasim.JobSnapshot;
import io.migratekit.vmasim.JobSnapshot.DiskSnapshot;
import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seams between the decision, the copy engine's change-id callbacks (sent without a token, as the
 * deployed engine does, to job-intake's callback listener) and the target volumes, on the standalone
 * stack: an initial job requested after a completed one is copied in full onto new volumes, and the
 * completed job's volumes are released only once the new job completed.
 */
class ChangeIdSeamsE2ETest {

    static Pipeline pipeline;
    static FailoverSupport failovers;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
        failovers = new FailoverSupport(pipeline);
    }

    @Test
    void anInitialJobAfterACompletedOneIsToldNoBaseWritesNewVolumesAndThenReleasesTheOldOnes() {
        // given: a VM whose first job completed
        SimVm vm = pipeline.stack.simulator().inventory().add(SimVm.builder("seam-" + UUID.randomUUID()
                .toString().substring(0, 8)).folder("e2e").diskGb(6).diskGb(4));
        HttpResponse<String> first = pipeline.post("/replications", requestFor(vm));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        List<JobEvent> firstEvents = JobEventStreams.open(pipeline, json(first).get("job_id").asString()).untilEnd();
        assertThat(firstEvents.get(firstEvents.size() - 1).type()).isEqualTo("JobCompleted");
        List<String> oldVolumes = volumeIds(firstEvents);

        // when: an initial job is requested explicitly
        ObjectNode body = requestFor(vm);
        body.put("replication_type", "initial");
        HttpResponse<String> second = pipeline.post("/replications", body);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        String secondJob = json(second).get("job_id").asString();
        List<JobEvent> secondEvents = JobEventStreams.open(pipeline, secondJob).untilEnd();

        // then: the copy engine was told "no base" for every disk and copied in full ...
        assertThat(secondEvents.get(secondEvents.size() - 1).type()).isEqualTo("JobCompleted");
        JobSnapshot copied = pipeline.stack.simulator().job(secondJob).orElseThrow();
        assertThat(copied.syncType()).isEqualTo("full");
        assertThat(copied.disks()).extracting(DiskSnapshot::previousChangeId).containsOnly("");
        // ... onto new volumes only ...
        List<String> newVolumes = volumeIds(secondEvents);
        assertThat(newVolumes).hasSize(2).doesNotContainAnyElementsOf(oldVolumes);
        // ... and once it completed, the first job's volumes are released while its own stay
        awaitGone(oldVolumes);
        assertThat(newVolumes).allSatisfy(id ->
                assertThat(failovers.cloudVolume(id)).as("volume " + id).isPresent());
    }

    @Test
    void aDiskAddedToTheVmIsCopiedInFullOntoANewVolumeAndSoAreTheOthers() {
        // given: a VM whose first job completed, which then gets a second disk
        String name = "grown-" + UUID.randomUUID().toString().substring(0, 8);
        SimVm vm = pipeline.stack.simulator().inventory().add(SimVm.builder(name).folder("e2e").diskGb(4));
        HttpResponse<String> first = pipeline.post("/replications", requestFor(vm));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        List<JobEvent> firstEvents = JobEventStreams.open(pipeline, json(first).get("job_id").asString()).untilEnd();
        assertThat(firstEvents.get(firstEvents.size() - 1).type()).isEqualTo("JobCompleted");
        List<String> oldVolumes = volumeIds(firstEvents);
        pipeline.stack.simulator().inventory().remove(vm.id());
        SimVm grown = pipeline.stack.simulator().inventory().add(SimVm.builder(name).id(vm.id()).folder("e2e")
                .diskGb(4).diskGb(2));

        // when: replication is requested again, without a type
        HttpResponse<String> second = pipeline.post("/replications", requestFor(grown));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        String secondJob = json(second).get("job_id").asString();
        assertThat(json(second).get("replication_type").asString()).isEqualTo("initial");
        List<JobEvent> secondEvents = JobEventStreams.open(pipeline, secondJob).untilEnd();

        // then: every disk, the new one included, was copied in full onto a new volume
        assertThat(secondEvents.get(secondEvents.size() - 1).type()).isEqualTo("JobCompleted");
        JobSnapshot copied = pipeline.stack.simulator().job(secondJob).orElseThrow();
        assertThat(copied.syncType()).isEqualTo("full");
        assertThat(copied.disks()).extracting(DiskSnapshot::diskId).containsExactlyInAnyOrder("disk-2000", "disk-2001");
        assertThat(copied.disks()).extracting(DiskSnapshot::previousChangeId).containsOnly("");
        assertThat(volumeIds(secondEvents)).hasSize(2).doesNotContainAnyElementsOf(oldVolumes);
    }

    private static List<String> volumeIds(List<JobEvent> events) {
        JsonNode started = events.stream().filter(event -> event.type().equals("JobStarted")).findFirst()
                .orElseThrow().data();
        List<String> ids = new ArrayList<>();
        started.get("volumes").forEach(volume -> ids.add(volume.get("volume_id").asString()));
        return ids;
    }

    private static void awaitGone(List<String> volumeIds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (volumeIds.stream().anyMatch(id -> failovers.cloudVolume(id).isPresent())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("volumes not released within 60 s: " + volumeIds.stream()
                        .filter(id -> failovers.cloudVolume(id).isPresent()).toList());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
