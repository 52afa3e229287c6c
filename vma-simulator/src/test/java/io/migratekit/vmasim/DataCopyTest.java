package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.MAPPER;
import static io.migratekit.vmasim.SimTestSupport.get;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.post;
import static io.migratekit.vmasim.SimTestSupport.replicateBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real bytes: with {@code copyData} on, replicate writes every disk over NBD to a real nbdkit
 * serving {@code migration-vol-<uuid>} files, and source and target checksums are compared. Full
 * copies, incrementals since a change id, an incremental into a blank target (which must NOT match,
 * so the comparison can catch corruption), and the ways a copy fails.
 */
class DataCopyTest {

    private static final long MIB = 1024L * 1024;
    private static final long CONTENT = 2 * MIB;
    private static final int BLOCK = DiskContent.BLOCK_SIZE;

    @TempDir
    Path temp;

    private NbdkitServer nbd;
    private SimTestSupport.StubOma oma;
    private VmaSimulator sim;
    private SimVm vm;

    @BeforeEach
    void setUp() throws Exception {
        Path exports = temp.resolve("exports");
        Files.createDirectories(exports);
        nbd = NbdkitServer.serve(exports);
        oma = new SimTestSupport.StubOma();
        Inventory inventory = Inventory.empty();
        vm = inventory.add(SimVm.builder("bytes01").disk(1024 * MIB).disk(512 * MIB));
        sim = VmaSimulator.start(SimulatorConfig.builder()
                .inventory(inventory)
                .copyData(true)
                .contentBytes(CONTENT)
                .copyRateBytesPerSecond(16L * 1024 * MIB)
                .diskGap(Duration.ZERO)
                .tickInterval(Duration.ofMillis(10))
                .callbackRetryBackoff(Duration.ofMillis(20))
                .build());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sim != null) {
            sim.close();
        }
        oma.close();
        nbd.close();
    }

    @Test
    void fullCopyWritesEveryAllocatedBlockAndTheTargetsEqualTheSources() throws Exception {
        Map<String, String> targets = newTargets(CONTENT);

        JsonNode job = replicateAndFinish("job-full-1", targets);

        assertThat(job.get("sync_type").asString()).isEqualTo("full");
        assertThat(job.get("errors")).isEmpty();
        for (JsonNode disk : job.get("disks")) {
            String diskId = disk.get("disk_id").asString();
            JsonNode source = checksum(diskId);
            int allocated = source.get("allocated_blocks").asInt();
            assertThat(allocated).as("some blocks unallocated, so 'allocated only' is tested").isLessThan(source.get("blocks").asInt());
            assertThat(disk.get("data_blocks_written").asInt()).isEqualTo(allocated);
            assertThat(disk.get("data_bytes_written").asLong()).isEqualTo((long) allocated * BLOCK);
            assertThat(nbd.sha256(targets.get(diskId))).isEqualTo(source.get("sha256").asString());
        }
        assertThat(checksum("disk-2000").get("sha256").asString()).isNotEqualTo(checksum("disk-2001").get("sha256").asString());
        assertThat(job.get("total_bytes").asLong()).as("progress figures keep the declared sizes").isEqualTo(1536 * MIB);
    }

    @Test
    void incrementalWritesOnlyTheBlocksChangedSinceTheGivenChangeId() throws Exception {
        Map<String, String> targets = newTargets(CONTENT);
        JsonNode first = replicateAndFinish("job-inc-1", targets);
        String afterFirst = checksum("disk-2000").get("sha256").asString();

        List<Integer> randomBlocks = blockList(writeBlocks("disk-2000", randomBlocks(3, 7)));
        byte[] bytes = new byte[20];
        Arrays.fill(bytes, (byte) 0x5a);
        List<Integer> spanning = blockList(writeBlocks("disk-2001", bytesAt(6L * BLOCK - 10, bytes)));
        assertThat(randomBlocks).hasSize(3);
        assertThat(spanning).containsExactly(5, 6);
        assertThat(checksum("disk-2000").get("sha256").asString()).isNotEqualTo(afterFirst);
        answerChangeIdsOf(first);

        JsonNode second = replicateAndFinish("job-inc-2", targets);

        assertThat(second.get("sync_type").asString()).isEqualTo("incremental");
        assertThat(second.get("errors")).isEmpty();
        JsonNode d0 = second.get("disks").get(0);
        JsonNode d1 = second.get("disks").get(1);
        assertThat(d0.get("previous_change_id").asString()).isEqualTo(first.get("disks").get(0).get("change_id").asString());
        assertThat(d0.get("data_blocks_written").asInt()).isEqualTo(3);
        assertThat(d0.get("data_bytes_written").asLong()).isEqualTo(3L * BLOCK);
        assertThat(d1.get("data_blocks_written").asInt()).isEqualTo(2);
        assertThat(d1.get("data_bytes_written").asLong()).isEqualTo(2L * BLOCK);
        for (String diskId : targets.keySet()) {
            assertThat(nbd.sha256(targets.get(diskId))).as(diskId).isEqualTo(checksum(diskId).get("sha256").asString());
        }
    }

    @Test
    void incrementalSinceTheLatestChangeIdWritesNothingWhenNothingChanged() throws Exception {
        Map<String, String> targets = newTargets(CONTENT);
        answerChangeIdsOf(replicateAndFinish("job-idle-1", targets));

        JsonNode second = replicateAndFinish("job-idle-2", targets);

        assertThat(second.get("sync_type").asString()).isEqualTo("incremental");
        for (JsonNode disk : second.get("disks")) {
            assertThat(disk.get("data_blocks_written").asInt()).isZero();
            assertThat(disk.get("data_bytes_written").asLong()).isZero();
            String diskId = disk.get("disk_id").asString();
            assertThat(nbd.sha256(targets.get(diskId))).isEqualTo(checksum(diskId).get("sha256").asString());
        }
    }

    @Test
    void incrementalIntoABlankTargetDoesNotEqualTheSource() throws Exception {
        Map<String, String> copied = newTargets(CONTENT);
        answerChangeIdsOf(replicateAndFinish("job-blank-1", copied));
        writeBlocks("disk-2000", randomBlocks(2, 11));
        writeBlocks("disk-2001", randomBlocks(2, 12));
        Map<String, String> blank = newTargets(CONTENT);

        JsonNode second = replicateAndFinish("job-blank-2", blank);

        assertThat(second.get("sync_type").asString()).isEqualTo("incremental");
        for (String diskId : blank.keySet()) {
            String source = checksum(diskId).get("sha256").asString();
            assertThat(nbd.sha256(blank.get(diskId))).as("only the changed blocks reached the blank " + diskId).isNotEqualTo(source);
            assertThat(nbd.sha256(copied.get(diskId))).as("the old target lacks the changes of " + diskId).isNotEqualTo(source);
        }
        assertThat(second.get("disks").get(0).get("data_blocks_written").asInt()).isEqualTo(2);
    }

    @Test
    void incrementalSinceAChangeIdTheSimulatorNeverHandedOutFailsTheJobAndWritesNothing() throws Exception {
        Map<String, String> targets = newTargets(CONTENT);
        String unknown = "52 00 11 22 33 44 55 66-77 88 99 aa bb cc dd ee/5";
        oma.changeIds.put(vm.path() + "|disk-2000", unknown);

        JsonNode job = replicateAndSettle("job-unknown-1", targets);

        assertThat(job.get("engine_state").asString()).isEqualTo("failed");
        assertThat(job.get("last_error").asString()).isEqualTo("QueryChangedDiskAreas for disk-2000 failed: A specified parameter "
                + "was not correct: changeId (change id '" + unknown + "' is not known for this disk)");
        assertThat(json(get(sim.baseUrl() + "/api/v1/progress/job-unknown-1")).get("status").asString()).isEqualTo("failed");
        assertThat(nbd.bytes(targets.get("disk-2000"))).containsOnly(0);
        assertThat(oma.calls()).noneMatch(c -> "POST".equals(c.method()));
    }

    @Test
    void anExportTheServerDoesNotHaveFailsTheJobNamingTheExport() throws Exception {
        Map<String, String> targets = newTargets(CONTENT);
        targets.put("disk-2000", "migration-vol-missing");

        JsonNode job = replicateAndSettle("job-missing-1", targets);

        assertThat(job.get("engine_state").asString()).isEqualTo("failed");
        assertThat(job.get("last_error").asString())
                .startsWith("NBD write to target for disk-2000 failed: export " + nbd.devicePath("migration-vol-missing")
                        + ": the server refused the export: NBD_REP_ERR_");
        assertThat(job.get("disks").get(1).get("status").asString()).isEqualTo("pending");
    }

    @Test
    void aTargetSmallerThanTheContentFailsTheJob() throws Exception {
        Map<String, String> targets = newTargets(CONTENT);
        targets.put("disk-2001", nbd.newVolume(CONTENT / 2));

        JsonNode job = replicateAndSettle("job-small-1", targets);

        assertThat(job.get("engine_state").asString()).isEqualTo("failed");
        assertThat(job.get("last_error").asString()).isEqualTo("NBD write to target for disk-2001 failed: export "
                + nbd.devicePath(targets.get("disk-2001")) + " has " + CONTENT / 2 + " bytes, fewer than the " + CONTENT
                + " bytes of disk-2001's content");
        assertThat(nbd.sha256(targets.get("disk-2000"))).isEqualTo(checksum("disk-2000").get("sha256").asString());
    }

    @Test
    void anUnreachableTargetFailsTheJob() throws Exception {
        Map<String, String> targets = newTargets(CONTENT);
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        ObjectNode body = body("job-closed-1", targets);
        ((ObjectNode) body.get("nbd_targets").get(0)).put("device_path", "nbd://127.0.0.1:" + closedPort + "/" + targets.get("disk-2000"));
        assertThat(post(sim.baseUrl() + "/api/v1/replicate", body).statusCode()).isEqualTo(200);

        JsonNode job = settled("job-closed-1");

        assertThat(job.get("engine_state").asString()).isEqualTo("failed");
        assertThat(job.get("last_error").asString()).startsWith("NBD write to target for disk-2000 failed: export nbd://127.0.0.1:"
                + closedPort + "/" + targets.get("disk-2000") + ": ").contains("refused");
    }

    @Test
    void aDiskEndsOnlyWhenItsBytesAreWrittenNotWhenItsProgressIsFull() throws Exception {
        Map<String, String> targets = newTargets(CONTENT);
        try (ServerSocket silent = new ServerSocket(0)) {
            ObjectNode body = body("job-hold-1", targets);
            ((ObjectNode) body.get("nbd_targets").get(0)).put("device_path", "nbd://127.0.0.1:" + silent.getLocalPort() + "/held");
            assertThat(post(sim.baseUrl() + "/api/v1/replicate", body).statusCode()).isEqualTo(200);
            try (Socket held = silent.accept()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    JobSnapshot.DiskSnapshot d = sim.job("job-hold-1").orElseThrow().disks().get(0);
                    return d.bytesTransferred() == d.totalBytes();
                });
                long ticks = sim.engineTicks();
                await().atMost(Duration.ofSeconds(20)).until(() -> sim.engineTicks() >= ticks + 20);

                JobSnapshot holding = sim.job("job-hold-1").orElseThrow();
                assertThat(holding.engineState()).isEqualTo("copying");
                assertThat(holding.disks().get(0).status()).isEqualTo("in_progress");
                assertThat(json(get(sim.baseUrl() + "/api/v1/progress/job-hold-1")).get("status").asString()).isEqualTo("in_progress");
                assertThat(oma.calls()).noneMatch(c -> "POST".equals(c.method()));
            }

            JsonNode job = settled("job-hold-1");

            assertThat(job.get("engine_state").asString()).isEqualTo("failed");
            assertThat(job.get("last_error").asString()).isEqualTo("NBD write to target for disk-2000 failed: export nbd://127.0.0.1:"
                    + silent.getLocalPort() + "/held: the server closed the connection during the handshake");
            assertThat(oma.calls()).noneMatch(c -> "POST".equals(c.method()));
        }
    }

    @Test
    void aDevicePathWithoutAnExportIsABadRequestWhenDataIsCopied() throws Exception {
        ObjectNode body = body("job-bad-path", newTargets(CONTENT));
        ((ObjectNode) body.get("nbd_targets").get(1)).put("device_path", "nbd://127.0.0.1:10809/");

        HttpResponse<String> response = post(sim.baseUrl() + "/api/v1/replicate", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("nbd target device_path 'nbd://127.0.0.1:10809/' names no export\n");
        assertThat(sim.jobs()).isEmpty();
    }

    private Map<String, String> newTargets(long size) throws Exception {
        Map<String, String> targets = new LinkedHashMap<>();
        for (SimDisk d : vm.disks()) {
            targets.put(d.id(), nbd.newVolume(size));
        }
        return targets;
    }

    private ObjectNode body(String jobId, Map<String, String> targets) {
        ObjectNode body = replicateBody(jobId, vm, oma.url());
        ArrayNode list = body.putArray("nbd_targets");
        for (SimDisk d : vm.disks()) {
            ObjectNode t = list.addObject();
            t.put("device_path", nbd.devicePath(targets.get(d.id())));
            t.put("vmware_disk_key", String.valueOf(d.key()));
        }
        return body;
    }

    private JsonNode replicateAndSettle(String jobId, Map<String, String> targets) {
        assertThat(post(sim.baseUrl() + "/api/v1/replicate", body(jobId, targets)).statusCode()).isEqualTo(200);
        return settled(jobId);
    }

    private JsonNode settled(String jobId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.job(jobId).orElseThrow().settled());
        return json(get(sim.baseUrl() + "/sim/jobs/" + jobId));
    }

    private JsonNode replicateAndFinish(String jobId, Map<String, String> targets) {
        JsonNode job = replicateAndSettle(jobId, targets);
        assertThat(job.get("engine_state").asString()).as(job.toString()).isEqualTo("finished");
        return job;
    }

    /** Makes the stub OMA answer the change ids the given job posted, as the real OMA stores them. */
    private void answerChangeIdsOf(JsonNode job) {
        for (JsonNode disk : job.get("disks")) {
            oma.changeIds.put(vm.path() + "|" + disk.get("disk_id").asString(), disk.get("change_id").asString());
        }
    }

    private JsonNode checksum(String diskId) {
        HttpResponse<String> r = get(sim.baseUrl() + "/sim/vms/" + vm.id() + "/disks/" + diskId + "/checksum");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private JsonNode writeBlocks(String diskId, ObjectNode body) {
        HttpResponse<String> r = post(sim.baseUrl() + "/sim/vms/" + vm.id() + "/disks/" + diskId + "/blocks", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private static ObjectNode randomBlocks(int count, long seed) {
        return MAPPER.createObjectNode().put("random_blocks", count).put("seed", seed);
    }

    private static ObjectNode bytesAt(long offset, byte[] data) {
        return MAPPER.createObjectNode().put("offset", offset).put("data_base64", Base64.getEncoder().encodeToString(data));
    }

    private static List<Integer> blockList(JsonNode written) {
        return written.get("blocks").valueStream().map(JsonNode::asInt).toList();
    }
}
