package io.migratekit.cssim;

import static io.migratekit.cssim.SimTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.migratekit.cssim.SimTestSupport.Client;
import tools.jackson.databind.JsonNode;

/** Volumes attached to the appliance as files under the device directory; snapshots copy bytes. */
class DevicesAndSnapshotsTest {

    static final long GIB = 1L << 30;

    @TempDir
    Path dataDir;
    @TempDir
    Path deviceDir;
    CloudStackSimulator sim;
    Client client;
    String appliance;

    @BeforeEach
    void start() {
        sim = CloudStackSimulator.start(config(dataDir, Duration.ZERO).deviceDir(deviceDir).build());
        client = new Client(sim);
        appliance = sim.config().applianceVm().id();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    static void write(Path device, long offset, String text) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(device.toFile(), "rw")) {
            f.seek(offset);
            f.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String read(Path device, long offset, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(device.toFile(), "r")) {
            byte[] b = new byte[length];
            f.seek(offset);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    @Test
    void anAttachedVolumeAppearsAsVirtioFileOfItsSizeAndGoesOnDetachKeepingItsContent() throws IOException {
        // given a 3 GiB volume
        String vol = client.createVolume(sim, "replica", 3);
        Path device = deviceDir.resolve("virtio-" + vol.replace("-", "").substring(0, 20));
        assertThat(device).doesNotExist();
        // when attached to the appliance, then its device entry exists with the volume's size
        client.attach(vol, appliance);
        assertThat(sim.deviceEntry(vol)).isEqualTo(device);
        assertThat(Files.size(device)).isEqualTo(3 * GIB);
        write(device, 2 * GIB, "replicated bytes");
        // when detached, then the entry is gone
        client.run("detachVolume", Map.of("id", vol));
        assertThat(device).doesNotExist();
        // when attached again, the content is still there
        client.attach(vol, appliance);
        assertThat(read(device, 2 * GIB, 16)).isEqualTo("replicated bytes");
        // and exactly the appliance's ROOT and this volume have entries
        try (var entries = Files.list(deviceDir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList()).containsExactlyInAnyOrderElementsOf(
                    sim.applianceVolumeIds().stream().map(Disks::deviceName).toList());
        }
        assertThat(sim.applianceVolumeIds()).hasSize(2).contains(vol);
    }

    @Test
    void aVolumeAttachedToAnotherVmHasNoDeviceEntry() {
        String vm = client.run("deployVirtualMachine", Map.of("serviceofferingid", sim.config().serviceOffering().id(),
                "templateid", sim.config().template().id(), "zoneid", sim.config().zone().id(), "name", "elsewhere",
                "details[0].cpuNumber", "1", "details[0].memory", "1024", "startvm", "false")).get("virtualmachine").get("id").asString();
        String vol = client.createVolume(sim, "not-ours", 1);
        client.attach(vol, vm);
        assertThat(sim.deviceEntry(vol)).doesNotExist();
    }

    @Test
    void aVolumeFromASnapshotHasTheSnapshotsBytesAndLaterWritesStaySeparate() throws IOException {
        // given a replica with content, attached to the appliance
        String vol = client.createVolume(sim, "replica", 1);
        client.attach(vol, appliance);
        write(sim.deviceEntry(vol), 4096, "before snapshot");
        // when snapshotted, then written again
        JsonNode snapshot = client.run("createSnapshot", Map.of("volumeid", vol)).get("snapshot");
        assertThat(snapshot.get("volumeid").asString()).isEqualTo(vol);
        assertThat(snapshot.get("state").asString()).isEqualTo("BackedUp");
        write(sim.deviceEntry(vol), 4096, "after  snapshot");
        // when a volume is created from the snapshot and attached
        JsonNode clone = client.run("createVolume", Map.of("snapshotid", snapshot.get("id").asString(), "zoneid", sim.config().zone().id()))
                .get("volume");
        assertThat(clone.get("size").asLong()).isEqualTo(GIB);
        assertThat(clone.get("snapshotid").asString()).isEqualTo(snapshot.get("id").asString());
        String cloneId = clone.get("id").asString();
        client.attach(cloneId, appliance);
        // then the clone holds the bytes of the snapshot time, the replica its newer ones
        assertThat(read(sim.deviceEntry(cloneId), 4096, 15)).isEqualTo("before snapshot");
        assertThat(read(sim.deviceEntry(vol), 4096, 15)).isEqualTo("after  snapshot");
        assertThat(Files.size(sim.deviceEntry(cloneId))).isEqualTo(GIB);
        // when the snapshot is deleted, it is no longer listed and the clone keeps its bytes
        JsonNode deleted = client.run("deleteSnapshot", Map.of("id", snapshot.get("id").asString()));
        assertThat(deleted.toString()).isEqualTo("{\"success\":true}");
        assertThat(client.get("listSnapshots", Map.of()).body().toString()).isEqualTo("{}");
        assertThat(read(sim.deviceEntry(cloneId), 4096, 15)).isEqualTo("before snapshot");
    }

    @Test
    void aSnapshotTakesTheGivenNameAndListsFilterByNameAndKeyword() {
        // given a replica and another volume, both snapshotted, one snapshot named
        String vol = client.createVolume(sim, "replica", 1);
        String other = client.createVolume(sim, "other", 1);
        client.attach(vol, appliance);
        client.attach(other, appliance);
        String named = client.run("createSnapshot", Map.of("volumeid", vol, "name", "mk-1a2b3c4d-snap-0"))
                .get("snapshot").get("id").asString();
        JsonNode unnamed = client.run("createSnapshot", Map.of("volumeid", other)).get("snapshot");

        // when listed by name, by keyword, and volumes by keyword
        JsonNode byName = client.get("listSnapshots", Map.of("name", "mk-1a2b3c4d-snap-0")).body();
        JsonNode byKeyword = client.get("listSnapshots", Map.of("keyword", "1A2B3C4D-snap")).body();
        JsonNode volumes = client.get("listVolumes", Map.of("keyword", "repl")).body();

        // then only the named snapshot, resp. the replica, is listed; the other got CloudStack's default name
        assertThat(byName.get("count").asInt()).isEqualTo(1);
        assertThat(byName.get("snapshot").get(0).get("id").asString()).isEqualTo(named);
        assertThat(byKeyword.get("count").asInt()).isEqualTo(1);
        assertThat(byKeyword.get("snapshot").get(0).get("id").asString()).isEqualTo(named);
        assertThat(unnamed.get("name").asString()).matches("other_\\d{14}");
        assertThat(volumes.get("count").asInt()).isEqualTo(1);
        assertThat(volumes.get("volume").get(0).get("id").asString()).isEqualTo(vol);
    }

    @Test
    void aDeletedVolumeLosesItsBackingFile() {
        String vol = client.createVolume(sim, "temp", 1);
        Path backing = dataDir.resolve("volumes").resolve(vol + ".img");
        assertThat(backing).exists();
        assertThat(client.post("deleteVolume", Map.of("id", vol)).status()).isEqualTo(200);
        assertThat(backing).doesNotExist();
    }
}
