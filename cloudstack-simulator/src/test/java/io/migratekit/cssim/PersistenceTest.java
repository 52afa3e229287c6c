package io.migratekit.cssim;

import static io.migratekit.cssim.SimTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.migratekit.cssim.SimTestSupport.Client;
import io.migratekit.cssim.SimTestSupport.Reply;
import tools.jackson.databind.JsonNode;

/** A restart on the same data directory keeps every volume, attachment, device entry and job. */
class PersistenceTest {

    @TempDir
    Path dataDir;

    @Test
    void aRestartKeepsVolumesAttachmentsDeviceEntriesAndJobs() throws IOException {
        SimulatorConfig config = config(dataDir, Duration.ZERO).build();
        String attached;
        String loose;
        String snapshot;
        String stuckJob;
        String lateJob;
        String lateVolume;
        String before;
        // given a cloud with an attached volume holding data, a detached one, a snapshot, a never-finishing and a slow job
        try (CloudStackSimulator sim = CloudStackSimulator.start(config)) {
            Client client = new Client(sim);
            attached = client.createVolume(sim, "attached", 1);
            client.attach(attached, config.applianceVm().id());
            DevicesAndSnapshotsTest.write(sim.deviceEntry(attached), 512, "survives restarts");
            loose = client.createVolume(sim, "loose", 1);
            snapshot = client.run("createSnapshot", Map.of("volumeid", attached)).get("snapshot").get("id").asString();
            sim.faults().add(Faults.Fault.jobNeverFinishes("attachVolume", 1));
            stuckJob = client.post("attachVolume", Map.of("id", loose, "virtualmachineid", config.applianceVm().id()))
                    .body().get("jobid").asString();
            before = client.get("listVolumes", Map.of()).body().toString();
        }
        // and a job still pending when the simulator stops (its delay longer than the run)
        SimulatorConfig slow = config.toBuilder().jobDelay(Duration.ofMillis(700)).build();
        try (CloudStackSimulator sim = CloudStackSimulator.start(slow)) {
            Reply r = new Client(sim).post("createVolume", Map.of("name", "late", "size", "1",
                    "diskofferingid", config.diskOffering().id(), "zoneid", config.zone().id()));
            lateJob = r.body().get("jobid").asString();
            lateVolume = r.body().get("id").asString();
        }
        // and a stale entry in the device directory
        Files.createSymbolicLink(config.deviceDir().resolve("virtio-00000000000000000000"), dataDir.resolve("nothing"));

        // when the simulator starts again on the same data directory
        try (CloudStackSimulator sim = CloudStackSimulator.start(config)) {
            Client client = new Client(sim);
            // then the same key pair works and the volumes are listed as before (plus the late one, once its job ran)
            JsonNode late = client.awaitJob(lateJob);
            assertThat(late.get("jobstatus").asInt()).isEqualTo(1);
            assertThat(late.get("jobresult").get("volume").get("id").asString()).isEqualTo(lateVolume);
            JsonNode volumes = client.get("listVolumes", Map.of()).body();
            assertThat(volumes.get("count").asInt()).isEqualTo(4);
            JsonNode beforeList = Json.MAPPER.readTree(before);
            for (int i = 0; i < 3; i++) {
                assertThat(volumes.get("volume").get(i)).isEqualTo(beforeList.get("volume").get(i));
            }
            assertThat(volumes.get("volume").get(3).get("id").asString()).isEqualTo(lateVolume);
            // and the attached volume's device entry is back with its content, the stale one gone
            assertThat(read(sim, attached)).isEqualTo("survives restarts");
            assertThat(config.deviceDir().resolve("virtio-00000000000000000000")).doesNotExist();
            try (var entries = Files.list(config.deviceDir())) {
                assertThat(entries.count()).isEqualTo(2);
            }
            // and the snapshot is still there, the never-finishing job still pending
            assertThat(client.get("listSnapshots", Map.of("id", snapshot)).body().get("count").asInt()).isEqualTo(1);
            assertThat(client.get("queryAsyncJobResult", Map.of("jobid", stuckJob)).body().get("jobstatus").asInt()).isZero();
        }
    }

    @Test
    void theStateFileIsReplacedAtomicallyAndIsJson() throws IOException {
        SimulatorConfig config = config(dataDir, Duration.ZERO).build();
        try (CloudStackSimulator sim = CloudStackSimulator.start(config)) {
            new Client(sim).createVolume(sim, "one", 1);
        }
        assertThat(dataDir.resolve("state.json.tmp")).doesNotExist();
        JsonNode state = Json.MAPPER.readTree(dataDir.resolve("state.json").toFile());
        assertThat(state.get("volumes").size()).isEqualTo(2);
        assertThat(state.toString()).doesNotContain(config.secretKey()).doesNotContain(config.apiKey());
    }

    private static String read(CloudStackSimulator sim, String volumeId) throws IOException {
        return DevicesAndSnapshotsTest.read(sim.deviceEntry(volumeId), 512, 17);
    }
}
