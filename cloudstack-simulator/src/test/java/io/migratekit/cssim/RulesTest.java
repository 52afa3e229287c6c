package io.migratekit.cssim;

import static io.migratekit.cssim.SimTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.migratekit.cssim.SimTestSupport.Client;
import io.migratekit.cssim.SimTestSupport.Reply;
import io.migratekit.cssim.SimulatorConfig.Named;
import tools.jackson.databind.JsonNode;

/**
 * Each of CloudStack's rules refusing a call: async commands fail their job (jobstatus 2,
 * errorcode 431, cserrorcode 4350) and change nothing; deleteVolume answers 431 at once.
 */
class RulesTest {

    static final Named OTHER_ZONE = new Named("0a0b0c0d-0000-4000-8000-0000000000aa", "zone-other");
    static final Named OTHER_ACCOUNT = new Named("0a0b0c0d-0000-4000-8000-0000000000bb", "someone-else");

    @TempDir
    static Path dataDir;
    static CloudStackSimulator sim;
    static Client client;
    static String appliance;

    @BeforeAll
    static void start() {
        sim = CloudStackSimulator.start(config(dataDir, Duration.ZERO).extraZone(OTHER_ZONE).extraAccount(OTHER_ACCOUNT).build());
        client = new Client(sim);
        appliance = sim.config().applianceVm().id();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static void assertRefused(JsonNode jobResult, String text) {
        assertThat(jobResult.get("errorcode").asInt()).isEqualTo(431);
        assertThat(jobResult.get("cserrorcode").asInt()).isEqualTo(4350);
        assertThat(jobResult.get("errortext").asString()).isEqualTo(text);
    }

    private static JsonNode volume(String id) {
        return client.get("listVolumes", Map.of("id", id)).body().get("volume").get(0);
    }

    @Test
    void aVolumeAttachedToOneVmCannotBeAttachedAgain() {
        String vol = client.createVolume(sim, "twice", 1);
        client.attach(vol, appliance);
        String vm = stoppedVm("twice-vm");
        assertRefused(client.runFailing("attachVolume", Map.of("id", vol, "virtualmachineid", vm)),
                "Please specify a volume that is not attached to any VM.");
        assertThat(volume(vol).get("virtualmachineid").asString()).isEqualTo(appliance);
    }

    @Test
    void aVolumeOfAnotherZoneCannotBeAttached() {
        String vol = client.run("createVolume", Map.of("name", "far", "size", "1", "diskofferingid", sim.config().diskOffering().id(),
                "zoneid", OTHER_ZONE.id())).get("volume").get("id").asString();
        assertRefused(client.runFailing("attachVolume", Map.of("id", vol, "virtualmachineid", appliance)),
                "Please specify a VM that is in the same zone as the volume.");
        assertThat(volume(vol).has("virtualmachineid")).isFalse();
        assertThat(sim.deviceEntry(vol)).doesNotExist();
    }

    @Test
    void aVolumeCannotBeAttachedToAnotherAccountsVm() {
        JsonNode vms = client.get("listVirtualMachines", Map.of("listall", "true", "name", OTHER_ACCOUNT.name() + "-vm")).body();
        String foreign = vms.get("virtualmachine").get(0).get("id").asString();
        String vol = client.createVolume(sim, "mine", 1);
        assertRefused(client.runFailing("attachVolume", Map.of("id", vol, "virtualmachineid", foreign)),
                "Volume " + vol + " and VM " + foreign + " belong to different accounts");
        assertThat(volume(vol).has("virtualmachineid")).isFalse();
    }

    @Test
    void deviceIdZeroOnlyWhenTheVmHasNoRoot() {
        String vol = client.createVolume(sim, "os", 1);
        assertRefused(client.runFailing("attachVolume", Map.of("id", vol, "virtualmachineid", appliance, "deviceid", "0")),
                "Vm already has root volume attached to it");
        // given a VM whose template ROOT went away
        String vm = stoppedVm("rootless");
        String root = client.get("listVolumes", Map.of("virtualmachineid", vm, "type", "ROOT")).body().get("volume").get(0).get("id").asString();
        client.run("detachVolume", Map.of("id", root));
        // when the volume is attached as device 0, then it is the VM's ROOT
        JsonNode attached = client.run("attachVolume", Map.of("id", vol, "virtualmachineid", vm, "deviceid", "0")).get("volume");
        assertThat(attached.get("deviceid").asInt()).isZero();
        assertThat(attached.get("type").asString()).isEqualTo("ROOT");
    }

    @Test
    void aDeviceIdInUseIsRefused() {
        String first = client.createVolume(sim, "dev-a", 1);
        String second = client.createVolume(sim, "dev-b", 1);
        String vm = stoppedVm("devices");
        client.run("attachVolume", Map.of("id", first, "virtualmachineid", vm, "deviceid", "5"));
        assertRefused(client.runFailing("attachVolume", Map.of("id", second, "virtualmachineid", vm, "deviceid", "5")),
                "deviceId 5 is used by vm " + vm);
    }

    @Test
    void anAttachedVolumeCannotBeDeleted() {
        String vol = client.createVolume(sim, "busy", 1);
        client.attach(vol, appliance);
        Reply r = client.post("deleteVolume", Map.of("id", vol));
        assertThat(r.status()).isEqualTo(431);
        assertThat(r.body().toString()).isEqualTo("{\"uuidList\":[],\"errorcode\":431,\"cserrorcode\":4350,"
                + "\"errortext\":\"Please specify a volume that is not attached to any VM.\"}");
        assertThat(volume(vol).get("virtualmachineid").asString()).isEqualTo(appliance);
        // when detached it can be deleted, and then it is gone
        client.run("detachVolume", Map.of("id", vol));
        Reply deleted = client.post("deleteVolume", Map.of("id", vol));
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().toString()).isEqualTo("{\"success\":true}");
        assertThat(client.get("listVolumes", Map.of("id", vol)).body().toString()).isEqualTo("{}");
    }

    @Test
    void aDetachedVolumeCannotBeDetached() {
        String vol = client.createVolume(sim, "loose", 1);
        assertRefused(client.runFailing("detachVolume", Map.of("id", vol)), "Please specify a volume that is attached to a VM.");
    }

    @Test
    void theRootOfARunningVmCannotBeDetached() {
        String root = client.get("listVolumes", Map.of("virtualmachineid", appliance, "type", "ROOT")).body().get("volume").get(0)
                .get("id").asString();
        assertRefused(client.runFailing("detachVolume", Map.of("id", root)),
                "Root volume " + root + " can be detached only when the VM is stopped");
    }

    @Test
    void aVmWithoutRootCannotStart() {
        String vm = stoppedVm("no-root");
        String root = client.get("listVolumes", Map.of("virtualmachineid", vm, "type", "ROOT")).body().get("volume").get(0).get("id").asString();
        client.run("detachVolume", Map.of("id", root));
        assertRefused(client.runFailing("startVirtualMachine", Map.of("id", vm)), "Unable to start VM " + vm + ": it has no ROOT volume");
        JsonNode listed = client.get("listVirtualMachines", Map.of("id", vm)).body().get("virtualmachine").get(0);
        assertThat(listed.get("state").asString()).isEqualTo("Stopped");
    }

    @Test
    void aNeverAttachedVolumeCannotBeSnapshotted() {
        String vol = client.createVolume(sim, "empty", 1);
        assertRefused(client.runFailing("createSnapshot", Map.of("volumeid", vol)),
                "VolumeId: " + vol + " is not in Ready state but Allocated. Cannot take snapshot.");
        assertThat(client.get("listSnapshots", Map.of("volumeid", vol)).body().toString()).isEqualTo("{}");
    }

    /** A stopped VM of the key's account, deployed from the template (so it has a ROOT). */
    static String stoppedVm(String name) {
        return deploy(client, sim.config(), name);
    }

    static String deploy(Client client, SimulatorConfig c, String name) {
        return client.run("deployVirtualMachine", Map.of("serviceofferingid", c.serviceOffering().id(), "templateid", c.template().id(),
                "zoneid", c.zone().id(), "name", name, "networkids", c.networks().get(0).id(),
                "details[0].cpuNumber", "2", "details[0].memory", "2048", "startvm", "false")).get("virtualmachine").get("id").asString();
    }
}
