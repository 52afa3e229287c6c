package io.migratekit.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.cloudstack.CloudStackPreflight.Report;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The preflight finds the appliance VM by its MAC addresses when its id is not configured
 * ({@code listVirtualMachines listall=true} on the CloudStack API simulator), checks its account,
 * and says so plainly when no VM or several match.
 */
class ApplianceIdentityTest {

    private static final Supplier<List<String>> NO_LOCAL_MACS = List::of;

    @TempDir
    Path dir;

    private SimulatorTarget cloud;
    private String applianceId;
    private String applianceMac;

    @BeforeEach
    void start() {
        cloud = SimulatorTarget.start(dir, 1, "127.0.0.1");
        applianceId = cloud.simulator().config().applianceVm().id();
        applianceMac = cloud.simulator().config().applianceMac();
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void withoutAnIdTheApplianceIsTheVmWithItsConfiguredMacAddress() {
        // given the MAC as an operator may write it (upper case, hyphens) and another VM in the cloud
        otherVm();
        CloudStackTargetConfig config = byMacs(List.of(applianceMac.toUpperCase().replace(':', '-'), "02:00:00:00:99:99"));

        // when
        Report report = check(config, NO_LOCAL_MACS);

        // then
        assertThat(report).isEqualTo(new Report(1, applianceId, List.of()));
    }

    @Test
    void withoutIdOrConfiguredMacsTheMachinesOwnMacAddressesAreUsed() {
        // when: this machine's interfaces (as NetworkInterface reads them) carry the appliance's MAC
        Report withIt = check(byMacs(List.of()), () -> List.of("02:00:00:00:99:98", applianceMac));
        Report without = check(byMacs(List.of()), () -> List.of("02:00:00:00:99:98"));

        // then
        assertThat(withIt).isEqualTo(new Report(1, applianceId, List.of()));
        assertThat(without).isEqualTo(new Report(1, null, List.of("no VM the API key can see has one of the"
                + " appliance's MAC addresses (02:00:00:00:99:98); configure the appliance VM id (appliance-vm-id)")));
    }

    @Test
    void noMatchingVmOrSeveralAreProblemsNamingThem() {
        // given a second VM, and MAC addresses matching it and the appliance
        String other = otherVm();
        String otherMac = macOf(other);

        // when
        Report none = check(byMacs(List.of()), NO_LOCAL_MACS);
        Report several = check(byMacs(List.of(applianceMac, otherMac)), NO_LOCAL_MACS);

        // then
        assertThat(none.problems()).containsExactly("no appliance VM id is configured and there is no MAC address to"
                + " find the appliance VM by; configure its id (appliance-vm-id) or its MAC addresses (appliance-macs)");
        assertThat(several.applianceVmId()).isNull();
        assertThat(several.problems()).containsExactly("2 VMs have the appliance's MAC addresses ("
                + List.of(applianceMac, otherMac).stream().sorted().reduce((a, b) -> a + ", " + b).orElseThrow() + "): "
                + applianceId + " (" + cloud.simulator().config().applianceVm().name() + "), " + other + " ("
                + cloud.vms().get(0).name() + "); configure the appliance VM id (appliance-vm-id)");
    }

    @Test
    void aPlatformOnTheFoundVmAttachesTheReplicationVolumesToIt() {
        // given
        Report report = check(byMacs(List.of(applianceMac)), NO_LOCAL_MACS);
        CloudStackTargetConfig found = byMacs(List.of(applianceMac)).withApplianceVmId(report.applianceVmId());
        CloudStackTargetPlatform platform = new CloudStackTargetPlatform(found,
                found.client(System::getenv, SimulatorTarget.TIMING, Clock.systemUTC()), new InMemoryAsyncJobJournal(),
                cloud.applianceNbdServer(), "127.0.0.1", cloud.nbdPort());

        // when
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-1", "disk-2000", 1, "mk-job-1-disk-2000"));
        platform.attachToAppliance(volume.volumeId());

        // then
        assertThat(cloud.volumes()).containsExactly(new SimulatorTarget.Volume(volume.volumeId(), "mk-job-1-disk-2000",
                "DATADISK", 1, applianceId, true));
    }

    private Report check(CloudStackTargetConfig config, Supplier<List<String>> localMacs) {
        return CloudStackPreflight.check(config, config.client(System::getenv, SimulatorTarget.TIMING,
                Clock.systemUTC()), localMacs);
    }

    /** The fixture's target without the appliance VM id, with these MAC addresses. */
    private CloudStackTargetConfig byMacs(List<String> macs) {
        CloudStackTargetConfig c = cloud.config();
        return new CloudStackTargetConfig(c.id(), c.apiUrl(), c.apiKey(), c.secret(), c.zoneId(), c.diskOfferingId(),
                c.serviceOfferingId(), c.templateId(), null, c.testNetworks(), c.liveNetworks(), macs);
    }

    /** A second VM in the cloud (a failover VM on a volume of its own); its id. */
    private String otherVm() {
        CloudStackTargetPlatform platform = cloud.platform();
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-9", "disk-2000", 1, "mk-job-9-disk-2000"));
        return platform.createVmFromVolumes(new TargetVmSpec("fo-9", "other", 1, 1024, "linux", null),
                List.of(volume.volumeId())).vmId();
    }

    private String macOf(String vmId) {
        JsonNode vm = cloud.simulator().state().get("vms").get(vmId);
        return vm.get("macAddress").asString();
    }
}
