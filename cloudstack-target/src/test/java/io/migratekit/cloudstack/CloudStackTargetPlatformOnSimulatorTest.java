package io.migratekit.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.client.CloudStackClient.Timing;
import io.migratekit.cloudstack.nbd.NbdExportServer;
import io.migratekit.cloudstack.nbd.NbdServerSettings;
import io.migratekit.cloudstack.nbd.NbdTools;
import io.migratekit.cloudstack.nbd.NbdkitApplianceServer;
import io.migratekit.cssim.CloudStackSimulator;
import io.migratekit.cssim.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@link CloudStackTargetPlatform} end to end: our client against the CloudStack API simulator
 * (signed requests, async jobs, CloudStack's volume and VM rules, volumes on the appliance as device
 * links) and the appliance's real NBD server (nbdkit), with Debian's nbdinfo and nbdcopy as the VMA.
 */
class CloudStackTargetPlatformOnSimulatorTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final int MIB = 1024 * 1024;
    private static final Timing FAST = new Timing(Duration.ofSeconds(10), Duration.ofMillis(20),
            Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMinutes(5));

    @TempDir
    Path dir;

    private CloudStackSimulator sim;
    private NbdExportServer nbdServer;
    private int nbdPort;
    private CloudStackTargetConfig config;
    private final InMemoryAsyncJobJournal journal = new InMemoryAsyncJobJournal();
    private CloudStackTargetPlatform platform;

    @BeforeEach
    void start() throws IOException {
        NbdTools.requireInstalled();
        sim = CloudStackSimulator.start(SimulatorConfig.builder().dataDir(dir.resolve("cloud"))
                .deviceDir(dir.resolve("devices")).apiKey(randomKey()).secretKey(randomKey())
                .jobDelay(Duration.ofMillis(150)).build());
        SimulatorConfig world = sim.config();
        Path secret = dir.resolve("cloudstack-secret");
        Files.writeString(secret, world.secretKey());
        String testNet = world.networks().get(0).id();
        String liveNet = world.networks().get(1).id();
        config = new CloudStackTargetConfig(1, sim.endpoint(), world.apiKey(), SecretSource.file(secret.toString()),
                world.zone().id(), world.diskOffering().id(), world.serviceOffering().id(), world.template().id(),
                world.applianceVm().id(), new NetworkMapping(List.of(testNet), Map.of("isolated", List.of(testNet))),
                new NetworkMapping(List.of(liveNet), Map.of("prod-vlan-10", List.of(liveNet))));
        nbdPort = NbdTools.freePort();
        nbdServer = NbdExportServer.start(new NbdServerSettings(world.deviceDir(), dir.resolve("nbd"), "127.0.0.1",
                nbdPort, "127.0.0.1", NbdServerSettings.DEFAULT_SERVER_BINARY, Duration.ofSeconds(5),
                Duration.ofSeconds(10)));
        platform = platform(FAST);
    }

    @AfterEach
    void stop() {
        if (nbdServer != null) {
            nbdServer.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aReplicationVolumeIsServedOverNbdAndTakesTheVmasWrites() throws IOException {
        // given
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-1", "disk-2000", 1, "mk-job-1-disk-2000"));

        // when
        NbdExport export = platform.attachToAppliance(volume.volumeId());
        Path source = randomFile("disk-2000.img", MIB);
        NbdTools.copy(source.toString(), export.devicePath());

        // then
        assertThat(volume).isEqualTo(new TargetVolume(volume.volumeId(), "mk-job-1-disk-2000", 1, "job-1", "disk-2000"));
        assertThat(export).isEqualTo(NbdExport.of(volume.volumeId(), "127.0.0.1", nbdPort));
        assertThat(NbdTools.list(nbdPort)).isEqualTo(Map.of(export.exportName(), GIB));
        assertThat(firstBytes(backingFile(volume.volumeId()), MIB)).isEqualTo(Files.readAllBytes(source));
        assertThat(sim.applianceVolumeIds()).contains(volume.volumeId());
        assertThat(commands()).containsExactly("createvolume", "attachvolume");
        assertThat(journal.open()).isEmpty();

        // and when it is attached and created again (a redelivery), nothing new is issued
        assertThat(platform.createVolume(new VolumeRequest("job-1", "disk-2000", 1, "mk-job-1-disk-2000")))
                .isEqualTo(volume);
        assertThat(platform.attachToAppliance(volume.volumeId())).isEqualTo(export);
        assertThat(commands()).containsExactly("createvolume", "attachvolume");

        // and when detached, the export and the device go, the content stays, and it can be deleted
        platform.detachFromAppliance(volume.volumeId());
        assertThat(NbdTools.list(nbdPort)).isEmpty();
        assertThat(Files.exists(sim.deviceEntry(volume.volumeId()), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(firstBytes(backingFile(volume.volumeId()), MIB)).isEqualTo(Files.readAllBytes(source));
        platform.deleteVolume(volume.volumeId());
        assertThat(platform.findVolume(volume.volumeId())).isEmpty();
        platform.deleteVolume(volume.volumeId());
        assertThat(commands()).containsExactly("createvolume", "attachvolume", "detachvolume");
    }

    @Test
    void aLiveFailoverVmBootsFromTheReplicasAndItsCleanupKeepsThem() throws IOException {
        // given two replicated volumes, exported and written
        List<String> replicas = replicas("job-2", 2);
        TargetVmSpec spec = new TargetVmSpec("failover-live-1", "pgtest1", 2, 2048, "linux", "prod-vlan-10");

        // when
        TargetVm vm = platform.createVmFromVolumes(spec, replicas);
        platform.powerOn(vm.vmId());

        // then the VM runs on the replicas (OS volume as ROOT), on the mapped live network; the exports are gone
        assertThat(vm).isEqualTo(new TargetVm(vm.vmId(), spec, replicas, false, false));
        JsonNode state = sim.state();
        JsonNode vmState = state.get("vms").get(vm.vmId());
        assertThat(vmState.get("state").asString()).isEqualTo("Running");
        assertThat(vmState.get("displayName").asString()).isEqualTo("pgtest1");
        assertThat(vmState.get("cpuNumber").asInt()).isEqualTo(2);
        assertThat(vmState.get("memory").asInt()).isEqualTo(2048);
        assertThat(vmState.get("networkId").asString()).isEqualTo(sim.config().networks().get(1).id());
        assertThat(volumesOf(state, vm.vmId())).isEqualTo(Map.of(replicas.get(0), "ROOT@0", replicas.get(1), "DATADISK@1"));
        assertThat(NbdTools.list(nbdPort)).isEmpty();
        assertThat(sim.applianceVolumeIds()).doesNotContainAnyElementsOf(replicas);
        assertThat(platform.findVm(vm.vmId())).hasValueSatisfying(found -> {
            assertThat(found.volumeIds()).containsExactlyInAnyOrderElementsOf(replicas);
            assertThat(found.fromSnapshots()).isFalse();
            assertThat(found.running()).isTrue();
        });
        assertThat(journal.open()).isEmpty();

        // and when it is removed, the replicas stay, detached, with their content
        platform.deleteVm(vm.vmId());
        state = sim.state();
        assertThat(platform.findVm(vm.vmId())).isEmpty();
        assertThat(state.get("vms").has(vm.vmId())).isFalse();
        for (String replica : replicas) {
            assertThat(state.get("volumes").get(replica).get("virtualMachineId").isNull()).isTrue();
            assertThat(firstBytes(backingFile(replica), 16)).isEqualTo(firstBytes(written(replica), 16));
        }
        // only the template's ROOT was deleted: the replicas, the appliance's ROOT and nothing else remain
        assertThat(state.get("volumes").propertyNames()).hasSize(3).containsAll(replicas);
        platform.deleteVm(vm.vmId());
    }

    @Test
    void aTestFailoverVmRunsOnClonesWhileTheReplicasStayExported() throws IOException {
        // given
        List<String> replicas = replicas("job-3", 2);
        TargetVmSpec spec = new TargetVmSpec("failover-test-1", "pgtest1", 1, 1024, "linux", null);
        Map<String, Long> exportsBefore = NbdTools.list(nbdPort);

        // when
        TargetVm vm = platform.createVmFromSnapshots(spec, replicas);
        platform.powerOn(vm.vmId());

        // then the VM runs on clones holding the replicas' content, on the test network; replication goes on
        JsonNode state = sim.state();
        assertThat(vm.fromSnapshots()).isTrue();
        assertThat(vm.volumeIds()).hasSize(2).doesNotContainAnyElementsOf(replicas);
        for (int i = 0; i < 2; i++) {
            assertThat(firstBytes(backingFile(vm.volumeIds().get(i)), MIB))
                    .isEqualTo(firstBytes(written(replicas.get(i)), MIB));
        }
        assertThat(volumesOf(state, vm.vmId())).isEqualTo(Map.of(vm.volumeIds().get(0), "ROOT@0",
                vm.volumeIds().get(1), "DATADISK@1"));
        assertThat(state.get("vms").get(vm.vmId()).get("networkId").asString())
                .isEqualTo(sim.config().networks().get(0).id());
        assertThat(state.get("snapshots").size()).isEqualTo(2);
        assertThat(NbdTools.list(nbdPort)).isEqualTo(exportsBefore).hasSize(2);
        assertThat(sim.applianceVolumeIds()).containsAll(replicas);

        // and when it is removed, clones and snapshots go; the replicas stay attached and exported
        platform.deleteVm(vm.vmId());
        state = sim.state();
        assertThat(state.get("vms").has(vm.vmId())).isFalse();
        assertThat(state.get("snapshots").size()).isZero();
        for (String clone : vm.volumeIds()) {
            assertThat(state.get("volumes").has(clone)).isFalse();
        }
        assertThat(sim.applianceVolumeIds()).containsAll(replicas);
        assertThat(NbdTools.list(nbdPort)).isEqualTo(exportsBefore);
        assertThat(journal.open()).isEmpty();
    }

    @Test
    void aRestartedPlatformWaitsOnTheJobItsPredecessorRecordedInsteadOfIssuingItAgain() {
        // given an attach whose wait ended before the job did (the service stopped mid-operation)
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-4", "disk-2000", 1, "mk-job-4-disk-2000"));
        CloudStackTargetPlatform impatient = platform(new Timing(Duration.ofSeconds(10), Duration.ofMillis(10),
                Duration.ofMillis(10), Duration.ZERO, Duration.ofMinutes(5)));
        assertThatThrownBy(() -> impatient.attachToAppliance(volume.volumeId()))
                .isInstanceOf(TargetPlatformException.class).hasMessageContaining("a retry waits on the same job");
        assertThat(journal.open()).containsOnlyKeys("1/attachVolume/" + volume.volumeId());
        String recordedJob = journal.open().get("1/attachVolume/" + volume.volumeId());

        // when a new platform object (the restarted service, same journal) attaches again
        NbdExport export = platform(FAST).attachToAppliance(volume.volumeId());

        // then it waited on the recorded job: one attachVolume in all, and the volume is served
        assertThat(commands()).containsExactly("createvolume", "attachvolume");
        assertThat(sim.state().get("jobs").get(recordedJob).get("command").asString()).isEqualTo("attachvolume");
        assertThat(journal.open()).isEmpty();
        assertThat(NbdTools.list(nbdPort)).isEqualTo(Map.of(export.exportName(), GIB));
    }

    // ---- helpers

    private CloudStackTargetPlatform platform(Timing timing) {
        return new CloudStackTargetPlatform(config, config.client(System::getenv, timing, Clock.systemUTC()), journal,
                new NbdkitApplianceServer(nbdServer), "127.0.0.1", nbdPort);
    }

    /** Creates, attaches and writes {@code count} replication volumes of 1 GiB, as a replication does. */
    private List<String> replicas(String jobId, int count) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TargetVolume volume = platform.createVolume(new VolumeRequest(jobId, "disk-" + i, 1, jobId + "-disk-" + i));
            NbdExport export = platform.attachToAppliance(volume.volumeId());
            Path source = randomFile(volume.volumeId() + ".src", MIB);
            NbdTools.copy(source.toString(), export.devicePath());
            ids.add(volume.volumeId());
        }
        return ids;
    }

    /** The file the VMA wrote into a replica (kept by {@link #replicas}). */
    private Path written(String volumeId) {
        return dir.resolve(volumeId + ".src");
    }

    private Path backingFile(String volumeId) {
        return sim.config().dataDir().resolve("volumes").resolve(volumeId + ".img");
    }

    /** The async commands the simulator was given, in order (as it keeps them: lower case). */
    private List<String> commands() {
        List<String> commands = new ArrayList<>();
        sim.state().get("jobs").forEach(job -> commands.add(job.get("command").asString()));
        return commands;
    }

    /** The VM's volumes as id → type@device. */
    private static Map<String, String> volumesOf(JsonNode state, String vmId) {
        Map<String, String> volumes = new java.util.HashMap<>();
        state.get("volumes").forEach(v -> {
            if (vmId.equals(v.get("virtualMachineId").asString(null))) {
                volumes.put(v.get("id").asString(), v.get("type").asString() + "@" + v.get("deviceId").asLong());
            }
        });
        return volumes;
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] firstBytes(Path file, int count) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(count);
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
