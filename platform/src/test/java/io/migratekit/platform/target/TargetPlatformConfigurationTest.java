package io.migratekit.platform.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.ApplianceNbdServer;
import io.migratekit.cloudstack.AsyncJobJournal;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.cloudstack.NbdExport;
import io.migratekit.cloudstack.TargetVolume;
import io.migratekit.cloudstack.VolumeRequest;
import io.migratekit.cloudstack.client.CloudStackClient;
import io.migratekit.cloudstack.nbd.NbdExportServer;
import io.migratekit.cloudstack.nbd.NbdkitApplianceServer;
import io.migratekit.cssim.CloudStackSimulator;
import io.migratekit.cssim.SimulatorConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migratekit.cloudstack.*} into a platform: against the CloudStack API simulator, with the preflight's problems all listed. */
class TargetPlatformConfigurationTest {

    @TempDir
    Path dir;

    private CloudStackSimulator sim;
    private final Map<String, String> journal = new HashMap<>();
    private final List<String> nbdCalls = new ArrayList<>();

    @BeforeEach
    void start() {
        sim = CloudStackSimulator.start(SimulatorConfig.builder().dataDir(dir.resolve("cloud"))
                .apiKey(randomKey()).secretKey(randomKey()).jobDelay(Duration.ofMillis(20)).build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void aConfiguredTargetDrivesTheCloudThroughTheClient() {
        // given
        CloudStackProperties properties = properties(target("MIGRATEKIT_TEST_CS_SECRET"));
        Map<String, String> env = Map.of("MIGRATEKIT_TEST_CS_SECRET", sim.config().secretKey());

        // when
        TargetPlatforms platforms = TargetPlatformConfiguration.cloudStack(properties, env::get,
                Clock.systemUTC(), journal(), nbd());
        TargetPlatform platform = platforms.forConfig(1L);
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-1", "disk-2000", 1, "job-1-disk-2000"));
        NbdExport export = platform.attachToAppliance(volume.volumeId());

        // then
        assertThat(sim.applianceVolumeIds()).contains(volume.volumeId());
        assertThat(export).isEqualTo(NbdExport.of(volume.volumeId(), "10.0.0.5", 10809));
        assertThat(nbdCalls).containsExactly("export " + export.exportName());
        assertThat(journal).isEmpty();
        assertThat(platforms.ids()).containsExactly(1L);
        assertThat(platforms.forConfig(null)).isSameAs(platform);
    }

    @Test
    void everyTargetHasItsOwnClientAndAJobsVolumeLandsInTheTargetOfItsOsseaConfigId(@TempDir Path other) {
        // given two targets, each a CloudStack of its own with its own key pair
        try (CloudStackSimulator second = CloudStackSimulator.start(SimulatorConfig.builder()
                .dataDir(other.resolve("cloud")).apiKey(randomKey()).secretKey(randomKey())
                .jobDelay(Duration.ofMillis(20)).build())) {
            CloudStackProperties.Target secondTarget = target(second, "MIGRATEKIT_TEST_CS_SECRET_2");
            secondTarget.setId(2);
            CloudStackProperties properties = properties(target("MIGRATEKIT_TEST_CS_SECRET"), secondTarget);
            Map<String, String> env = Map.of("MIGRATEKIT_TEST_CS_SECRET", sim.config().secretKey(),
                    "MIGRATEKIT_TEST_CS_SECRET_2", second.config().secretKey());

            // when
            TargetPlatforms platforms = TargetPlatformConfiguration.cloudStack(properties, env::get,
                    Clock.systemUTC(), journal(), nbd());
            TargetVolume one = platforms.forConfig(1L).createVolume(new VolumeRequest("job-1", "disk-2000", 1, "job-1"));
            TargetVolume two = platforms.forConfig(2L).createVolume(new VolumeRequest("job-2", "disk-2000", 1, "job-2"));

            // then each volume is in its own cloud only, and is found there
            assertThat(platforms.ids()).containsExactly(1L, 2L);
            assertThat(sim.state().get("volumes").has(one.volumeId())).isTrue();
            assertThat(sim.state().get("volumes").has(two.volumeId())).isFalse();
            assertThat(second.state().get("volumes").has(two.volumeId())).isTrue();
            assertThat(second.state().get("volumes").has(one.volumeId())).isFalse();
            assertThat(platforms.holdingVolume(two.volumeId())).containsSame(platforms.forConfig(2L));
            assertThat(platforms.holdingVolume(one.volumeId())).containsSame(platforms.forConfig(1L));
            assertThatThrownBy(() -> platforms.forConfig(null)).isInstanceOf(TargetPlatformException.class)
                    .hasMessage("the job names no ossea_config_id and 2 CloudStack targets are configured (1, 2)");
            assertThatThrownBy(() -> platforms.forConfig(7L)).isInstanceOf(TargetPlatformException.class)
                    .hasMessage("ossea_config_id 7 is not a configured CloudStack target (configured: 1, 2)");
        }
    }

    @Test
    void thePreflightStopsTheStartListingEveryProblem() {
        // given a wrong template, a missing live network and an unknown appliance VM
        CloudStackProperties.Target target = target("MIGRATEKIT_TEST_CS_SECRET");
        target.setTemplateId("no-such-template");
        target.setApplianceVmId("no-such-vm");
        target.getLiveNetworks().setDefaults(List.of("no-such-network"));
        CloudStackProperties properties = properties(target);
        Map<String, String> env = Map.of("MIGRATEKIT_TEST_CS_SECRET", sim.config().secretKey());

        // when / then
        assertThatThrownBy(() -> TargetPlatformConfiguration.cloudStack(properties, env::get, Clock.systemUTC(),
                journal(), nbd()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the CloudStack preflight found 3 problem(s):")
                .hasMessageContaining("CloudStack target 1: ").hasMessageContaining("no-such-template")
                .hasMessageContaining("no-such-network").hasMessageContaining("no-such-vm");
    }

    @Test
    void aMissingSecretIsAProblemOfItsTarget() {
        CloudStackProperties properties = properties(target("MIGRATEKIT_TEST_CS_UNSET"));

        assertThatThrownBy(() -> TargetPlatformConfiguration.cloudStack(properties, name -> null, Clock.systemUTC(),
                journal(), nbd()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the CloudStack preflight found 1 problem(s):\n  CloudStack target 1: ")
                .hasMessageContaining("MIGRATEKIT_TEST_CS_UNSET");
    }

    @Test
    void targetsMustBeCompleteUniqueAndAtLeastOne() {
        CloudStackProperties.Target noSecret = target(null);
        noSecret.setZoneId(null);
        assertThatThrownBy(() -> TargetPlatformConfiguration.configs(properties(noSecret)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("migratekit.cloudstack.targets is incomplete:\n  CloudStack target 1 needs exactly one of"
                        + " secret-file and secret-env");
        assertThatThrownBy(() -> TargetPlatformConfiguration.configs(properties()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("migratekit.cloudstack.target=cloudstack needs at least one entry in"
                        + " migratekit.cloudstack.targets");
        assertThatThrownBy(() -> TargetPlatformConfiguration.configs(properties(target("A"), target("B"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("migratekit.cloudstack.targets: CloudStack target 1 is configured twice");
    }

    @Test
    void theBoundOfAJobWaitIsConfigurableAndTheRestOfTheTimingStaysTheClientsDefault() {
        CloudStackProperties properties = new CloudStackProperties();
        assertThat(TargetPlatformConfiguration.timing(properties)).isEqualTo(CloudStackClient.Timing.defaults());

        properties.setJobWaitBound(Duration.ofSeconds(20));

        CloudStackClient.Timing defaults = CloudStackClient.Timing.defaults();
        assertThat(TargetPlatformConfiguration.timing(properties)).isEqualTo(new CloudStackClient.Timing(
                defaults.callTimeout(), defaults.firstPoll(), defaults.maxPoll(), Duration.ofSeconds(20),
                defaults.expiresAhead()));
    }

    @Test
    void theSecretCanComeFromAnOwnerOnlyFileAndTheNbdServerFromTheSettings() throws IOException {
        // given
        Path secret = Files.writeString(dir.resolve("cs-secret"), sim.config().secretKey());
        CloudStackProperties.Target target = target(null);
        target.setSecretFile(secret.toString());
        CloudStackProperties properties = properties(target);
        properties.setNbdHost("127.0.0.1");
        properties.setNbdBindAddress("127.0.0.1");
        properties.setNbdPort(freePort());
        properties.setNbdStateDir(dir.resolve("nbd").toString());
        properties.setNbdDeviceDir(sim.config().deviceDir().toString());
        try (NbdExportServer server = NbdExportServer.start(TargetPlatformConfiguration.nbdSettings(properties))) {

            // when
            TargetPlatform platform = TargetPlatformConfiguration.cloudStack(properties, name -> null,
                    Clock.systemUTC(), journal(), new NbdkitApplianceServer(server)).forConfig(1L);
            TargetVolume volume = platform.createVolume(new VolumeRequest("job-2", "disk-2000", 1, "job-2-disk-2000"));
            NbdExport export = platform.attachToAppliance(volume.volumeId());

            // then the export is a link in the configured state directory to the simulator's device entry
            Path link = dir.resolve("nbd").resolve("exports").resolve(export.exportName());
            assertThat(Files.readSymbolicLink(link)).isEqualTo(sim.deviceEntry(volume.volumeId()).toAbsolutePath());
            assertThat(server.exports()).containsExactly(export);
            assertThat(export.devicePath()).isEqualTo("nbd://127.0.0.1:" + properties.getNbdPort() + "/"
                    + export.exportName());
            platform.detachFromAppliance(volume.volumeId());
            assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }

    @Test
    void anUnknownKindIsRefusedNamingTheSetting() {
        CloudStackProperties properties = new CloudStackProperties();
        properties.setTarget("openstack");

        assertThatThrownBy(() -> new TargetPlatformConfiguration().targetPlatforms(properties, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("migratekit.cloudstack.target=openstack is not supported; use 'cloudstack' (the CloudStack"
                        + " API, or the CloudStack API simulator)");
    }

    // ---- helpers

    private CloudStackProperties.Target target(String secretEnv) {
        return target(sim, secretEnv);
    }

    private static CloudStackProperties.Target target(CloudStackSimulator sim, String secretEnv) {
        SimulatorConfig world = sim.config();
        CloudStackProperties.Target target = new CloudStackProperties.Target();
        target.setId(1);
        target.setApiUrl(sim.endpoint());
        target.setApiKey(world.apiKey());
        target.setSecretEnv(secretEnv);
        target.setZoneId(world.zone().id());
        target.setDiskOfferingId(world.diskOffering().id());
        target.setServiceOfferingId(world.serviceOffering().id());
        target.setTemplateId(world.template().id());
        target.setApplianceVmId(world.applianceVm().id());
        target.getTestNetworks().setDefaults(List.of(world.networks().get(0).id()));
        target.getLiveNetworks().setDefaults(List.of(world.networks().get(1).id()));
        target.getLiveNetworks().setByName(Map.of("prod", List.of(world.networks().get(1).id())));
        return target;
    }

    private static CloudStackProperties properties(CloudStackProperties.Target... targets) {
        CloudStackProperties properties = new CloudStackProperties();
        properties.setTarget("cloudstack");
        properties.setNbdHost("10.0.0.5");
        properties.setTargets(new ArrayList<>(List.of(targets)));
        return properties;
    }

    private AsyncJobJournal journal() {
        return new AsyncJobJournal() {
            @Override
            public Optional<String> recordedJob(String operationKey) {
                return Optional.ofNullable(journal.get(operationKey));
            }

            @Override
            public void recorded(String operationKey, String command, String jobId) {
                journal.put(operationKey, jobId);
            }

            @Override
            public void ended(String operationKey) {
                journal.remove(operationKey);
            }
        };
    }

    private ApplianceNbdServer nbd() {
        return new ApplianceNbdServer() {
            @Override
            public void export(String exportName, String devicePath) {
                nbdCalls.add("export " + exportName);
            }

            @Override
            public void unexport(String exportName) {
                nbdCalls.add("unexport " + exportName);
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
