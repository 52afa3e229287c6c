package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.discoverBody;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.post;
import static io.migratekit.vmasim.SimTestSupport.powerBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The discovery filter semantics (comma-separated, case-insensitive substring) and datacenter handling. */
class DiscoveryTest {

    private static VmaSimulator sim;

    @BeforeAll
    static void start() {
        sim = VmaSimulator.start(SimulatorConfig.defaults());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static List<String> names(String filter) {
        HttpResponse<String> r = post(sim.baseUrl() + "/api/v1/discover", discoverBody(filter));
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (JsonNode vm : json(r).get("vms")) {
            names.add(vm.get("name").asString());
        }
        return names;
    }

    @Test
    void filterIsASubstringMatchSoAnExactNameAlsoMatchesLongerNames() {
        assertThat(names("pgtest1")).containsExactlyInAnyOrder("pgtest1", "pgtest10", "pgtest11");
        assertThat(names("pgtest10")).containsExactly("pgtest10");
    }

    @Test
    void filterIsCaseInsensitiveAndCommaSeparated() {
        assertThat(names("PGTEST2")).containsExactly("pgtest2");
        assertThat(names(" web0 , DC0 ")).containsExactlyInAnyOrder("web01", "web02", "web03", "iis-web01", "dc01", "dc02");
        assertThat(names("iis")).containsExactly("iis-web01");
    }

    @Test
    void blankFilterReturnsTheWholeInventory() {
        assertThat(names("")).hasSize(sim.inventory().size());
        assertThat(names(" , ")).hasSize(sim.inventory().size());
    }

    @Test
    void unknownDatacenterIsAPlainText404AndBlankDatacenterMeansAll() {
        ObjectNode body = discoverBody("pgtest1");
        body.put("datacenter", "OtherDC");
        HttpResponse<String> r = post(sim.baseUrl() + "/api/v1/discover", body);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body().trim()).isEqualTo("datacenter 'OtherDC' not found");

        body.put("datacenter", "demodc");
        assertThat(json(post(sim.baseUrl() + "/api/v1/discover", body)).get("vms").size()).isEqualTo(3);
        body.put("datacenter", "");
        JsonNode all = json(post(sim.baseUrl() + "/api/v1/discover", body));
        assertThat(all.get("vms").size()).isEqualTo(3);
        assertThat(all.get("vcenter").get("datacenter").asString()).isEqualTo("DemoDC");
    }

    @Test
    void vmsAddedAtRuntimeAndPowerChangesAreSeenByDiscovery() {
        SimVm added = sim.inventory().add(SimVm.builder("discovery-added01").folder("tests").diskGb(10).diskGb(20)
                .network("VM Network").powerState(PowerState.POWERED_ON));
        assertThat(names("discovery-added")).containsExactly("discovery-added01");

        post(sim.baseUrl() + "/api/v1/vm/" + added.id() + "/power-off", powerBody(true));
        JsonNode vm = json(post(sim.baseUrl() + "/api/v1/discover", discoverBody("discovery-added01"))).get("vms").get(0);
        assertThat(vm.get("power_state").asString()).isEqualTo("poweredOff");
        assertThat(vm.get("path").asString()).isEqualTo("/DemoDC/vm/tests/discovery-added01");
        assertThat(vm.get("disks").get(1).get("id").asString()).isEqualTo("disk-2001");
        assertThat(vm.get("disks").get(1).get("vmdk_path").asString())
                .isEqualTo("[ds-ssd-01] discovery-added01/discovery-added01_1.vmdk");
    }
}
