package io.migratekit.e2e;

import static io.migratekit.e2e.FailoverSupport.only;
import static io.migratekit.e2e.FailoverSupport.options;
import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.migratekit.e2e.JobEventStreams.JobEvent;
import io.migratekit.events.FailoverCompleted;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.JobSnapshot;
import io.migratekit.vmasim.JobSnapshot.DiskSnapshot;
import io.migratekit.vmasim.SimDisk;
import io.migratekit.vmasim.SimVm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The bytes at the seams, end to end on the standalone stack: the VMA simulator copies each disk's real
 * content over NBD into the CloudStack simulator's volumes (served by nbdkit), and after every completed
 * job — initial, incremental, a live failover's final sync — the SHA-256 of each target volume's content
 * area equals the simulator's checksum of its source disk; the failover's target VM runs on exactly the
 * volumes of that final sync. Does not test the copy engine's NBD client itself (vma-simulator's tests).
 */
class DataIntegrityE2ETest {

    static Pipeline pipeline;
    static FailoverSupport failovers;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
        failovers = new FailoverSupport(pipeline);
    }

    @Test
    void everyTargetVolumeEqualsItsSourceDiskAfterTheInitialTheIncrementalAndALiveFailoversFinalSync() {
        // given: a VM with two disks
        SimVm vm = pipeline.stack.simulator().inventory().add(SimVm.builder("integrity-" + UUID.randomUUID()
                .toString().substring(0, 8)).folder("e2e").disk(FailoverSupport.SMALL_DISK)
                .disk(FailoverSupport.SMALL_DISK));

        // when: its initial job runs
        String initialJob = completedJob(vm);

        // then: every target volume holds exactly its source disk's content
        Map<String, String> volumes = volumesOf(initialJob);
        assertThat(volumes.keySet()).containsExactlyInAnyOrderElementsOf(diskIds(vm));
        assertTargetsEqualSources(vm, volumes);

        // when: blocks change on the source
        Map<String, Integer> firstWrite = writeRandomBlocks(vm, 5, 11);

        // then (the check can fail): the targets no longer match their sources
        volumes.forEach((disk, volume) -> {
            JsonNode source = sourceChecksum(vm, disk);
            assertThat(targetSha256(volume, source.get("content_bytes").asLong())).as("target of " + disk)
                    .isNotEqualTo(source.get("sha256").asString());
        });

        // when: the next job runs (incremental)
        String incrementalJob = completedJob(vm);

        // then: on the same volumes, equal again, and only the changed blocks were written
        assertThat(volumesOf(incrementalJob)).isEqualTo(volumes);
        assertTargetsEqualSources(vm, volumes);
        assertBlocksWritten(incrementalJob, "incremental", firstWrite);

        // when: blocks change again and the VM fails over live
        Map<String, Integer> secondWrite = writeRandomBlocks(vm, 3, 12);
        String failoverId = failovers.acceptedFailover(vm, "live", options());
        JsonNode failover = failovers.awaitEnded(failoverId);

        // then: the final sync wrote just those blocks and made every volume equal to its source again
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("completed");
        List<FailoverCompleted> completed = only(failovers.events(vm, Topics.FAILOVER_COMPLETED),
                FailoverCompleted.class);
        assertThat(completed).hasSize(1);
        String finalSync = completed.get(0).getFinalSyncJobId();
        assertBlocksWritten(finalSync, "incremental", secondWrite);
        Map<String, String> finalVolumes = volumesOf(finalSync);
        assertThat(finalVolumes).isEqualTo(volumes);
        assertTargetsEqualSources(vm, finalVolumes);

        // and: the target VM is built from exactly those volumes, the OS disk's as its ROOT
        String targetVmId = failover.get("target_vm_id").asString();
        List<JsonNode> attached = failovers.cloudVolumesOf(targetVmId);
        assertThat(attached).extracting(v -> v.get("id").asString())
                .containsExactlyInAnyOrderElementsOf(finalVolumes.values());
        assertThat(attached).filteredOn(v -> "ROOT".equals(v.get("type").asString()))
                .extracting(v -> v.get("id").asString())
                .containsExactly(finalVolumes.get(vm.disks().get(0).id()));
    }

    /** Requests the VM's next replication (no type given) and waits for its JobCompleted; returns the job id. */
    private static String completedJob(SimVm vm) {
        HttpResponse<String> started = pipeline.post("/replications", requestFor(vm));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String jobId = json(started).get("job_id").asString();
        List<JobEvent> events = JobEventStreams.open(pipeline, jobId).untilEnd();
        assertThat(events.get(events.size() - 1).type()).as(JobEventStreams.types(events).toString())
                .isEqualTo("JobCompleted");
        failovers.awaitContextStatus(vm, "ready_for_failover");
        return jobId;
    }

    /** The volume of each disk of a job, as its JobStarted attached them: disk id → volume id. */
    private static Map<String, String> volumesOf(String jobId) {
        JsonNode started = JobEventStreams.open(pipeline, jobId).untilEnd().stream()
                .filter(event -> event.type().equals("JobStarted")).findFirst().orElseThrow().data();
        Map<String, String> volumes = new LinkedHashMap<>();
        started.get("volumes").forEach(v -> volumes.put(v.get("disk_id").asString(), v.get("volume_id").asString()));
        return volumes;
    }

    private static void assertTargetsEqualSources(SimVm vm, Map<String, String> volumes) {
        volumes.forEach((disk, volume) -> {
            JsonNode source = sourceChecksum(vm, disk);
            assertThat(targetSha256(volume, source.get("content_bytes").asLong())).as("target of " + disk)
                    .isEqualTo(source.get("sha256").asString());
        });
    }

    /** The copy engine's view of a job: its sync type, and per disk exactly the blocks expected written over NBD. */
    private static void assertBlocksWritten(String jobId, String syncType, Map<String, Integer> blocks) {
        JobSnapshot job = pipeline.stack.simulator().job(jobId).orElseThrow();
        assertThat(job.syncType()).isEqualTo(syncType);
        assertThat(job.disks()).extracting(DiskSnapshot::diskId, DiskSnapshot::dataBlocksWritten)
                .containsExactlyInAnyOrderElementsOf(blocks.entrySet().stream()
                        .map(e -> tuple(e.getKey(), e.getValue())).toList());
    }

    private static List<String> diskIds(SimVm vm) {
        return vm.disks().stream().map(SimDisk::id).toList();
    }

    /** Writes that many distinct random blocks on every disk of the VM; returns disk id → blocks touched. */
    private static Map<String, Integer> writeRandomBlocks(SimVm vm, int count, long seed) {
        Map<String, Integer> touched = new LinkedHashMap<>();
        for (String disk : diskIds(vm)) {
            JsonNode written = simulator("POST", "/sim/vms/" + vm.id() + "/disks/" + disk + "/blocks",
                    "{\"random_blocks\": " + count + ", \"seed\": " + (seed + touched.size()) + "}");
            assertThat(written.get("blocks")).hasSize(count);
            touched.put(disk, count);
        }
        return touched;
    }

    /** The simulator's checksum of a source disk: {@code sha256} and {@code content_bytes} among others. */
    private static JsonNode sourceChecksum(SimVm vm, String disk) {
        return simulator("GET", "/sim/vms/" + vm.id() + "/disks/" + disk + "/checksum", null);
    }

    private static JsonNode simulator(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(pipeline.stack.simulator().baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = pipeline.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return Pipeline.JSON.readTree(response.body());
    }

    /** The SHA-256 of the first {@code length} bytes of a volume's backing file in the CloudStack simulator. */
    private static String targetSha256(String volumeId, long length) {
        Path file = pipeline.stack.cloudStack().volumeFile(volumeId);
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new AssertionError("volume " + volumeId + " holds fewer than " + length + " bytes");
                }
                digest.update(buffer, 0, read);
                left -= read;
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
