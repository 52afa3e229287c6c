package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.discoverBody;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo inventory, the inventory file format, generated inventories, the builder and env configuration. */
class InventoryAndConfigTest {

    @Test
    void demoInventoryIsRealisticAndStable() {
        Inventory demo = Inventory.demo();
        assertThat(demo.size()).isGreaterThanOrEqualTo(20);
        assertThat(demo.defaultDatacenter()).isEqualTo("DemoDC");
        Set<String> ids = new HashSet<>();
        Set<PowerState> states = new HashSet<>();
        Set<String> guests = new HashSet<>();
        for (SimVm vm : demo.all()) {
            assertThat(ids.add(vm.id())).isTrue();
            assertThat(vm.disks()).hasSizeBetween(1, 4);
            assertThat(vm.path()).matches("/DemoDC/vm/[a-z]+/" + vm.name());
            states.add(vm.powerState());
            guests.add(vm.guestOs());
        }
        assertThat(states).contains(PowerState.POWERED_ON, PowerState.POWERED_OFF, PowerState.SUSPENDED);
        assertThat(guests).containsExactlyInAnyOrder("windows", "linux");
        assertThat(demo.byName("pgtest1").orElseThrow().id()).isEqualTo(Inventory.demo().byName("pgtest1").orElseThrow().id());
        assertThat(demo.byName("pgtest10")).isPresent();
        assertThat(demo.find(demo.byName("web01").orElseThrow().path())).isPresent();
    }

    @Test
    void inventoryFileRoundTripsAndCanBeServed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("inventory.json");
        Files.writeString(file, """
                { "datacenter": "LabDC",
                  "vms": [ { "name": "lab-db01", "folder": "db", "guest_os": "linux", "num_cpu": 4, "memory_mb": 8192,
                             "power_state": "poweredOff",
                             "disks": [ { "capacity_gb": 20 }, { "capacity_bytes": 1073741825, "datastore": "ds-b", "provisioning_type": "thick" } ],
                             "networks": [ { "network_name": "Lab" } ] } ] }
                """);
        Inventory loaded = Inventory.fromFile(file);
        SimVm vm = loaded.byName("lab-db01").orElseThrow();
        assertThat(vm.path()).isEqualTo("/LabDC/vm/db/lab-db01");
        assertThat(vm.disks().get(1).id()).isEqualTo("disk-2001");
        assertThat(vm.disks().get(1).sizeGb()).isEqualTo(2);
        assertThat(vm.disks().get(1).vmdkPath()).isEqualTo("[ds-b] lab-db01/lab-db01_1.vmdk");
        assertThat(Inventory.fromJson(loaded.toJson().toString()).byName("lab-db01").orElseThrow().id()).isEqualTo(vm.id());

        try (VmaSimulator sim = VmaSimulator.start(SimulatorConfig.fromEnv(Map.of(
                "VMA_SIM_PORT", "0", "VMA_SIM_INVENTORY", file.toString())))) {
            var body = discoverBody("lab");
            body.put("datacenter", "LabDC");
            assertThat(json(post(sim.baseUrl() + "/api/v1/discover", body)).get("vms").size()).isEqualTo(1);
        }

        assertThatThrownBy(() -> Inventory.fromJson("{\"vms\": [ {\"name\": \"x\", \"disks\": [ {} ] } ]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    @Test
    void generatedInventoriesAreLargeUniqueAndDeterministic() {
        Inventory big = Inventory.generated(10_000);
        assertThat(big.size()).isEqualTo(10_000);
        Set<String> paths = new HashSet<>();
        for (SimVm vm : big.all()) {
            assertThat(paths.add(vm.path())).isTrue();
            assertThat(vm.disks()).hasSizeBetween(1, 4);
        }
        SimVm first = big.all().get(0);
        assertThat(first.name()).isEqualTo("sim-vm-00001");
        assertThat(Inventory.generated(10).all().get(3).disks()).isEqualTo(Inventory.generated(10).all().get(3).disks());
        assertThat(big.search("DemoDC", "sim-vm-0999")).hasSize(10);
    }

    @Test
    void searchFindsEveryNameContainingATermInInsertionOrderAndForgetsRemovedVms() {
        // given: names sharing pieces, in two datacenters, added out of name order
        Inventory inv = Inventory.empty();
        SimVm web10 = inv.add(SimVm.builder("Web10"));
        SimVm db1 = inv.add(SimVm.builder("pgtest1"));
        SimVm web1 = inv.add(SimVm.builder("web1").datacenter("DcB"));
        SimVm db10 = inv.add(SimVm.builder("PGTEST10"));
        SimVm other = inv.add(SimVm.builder("mail-gw"));

        // then: a term matches anywhere in a name, case-insensitively, listed in insertion order
        assertThat(inv.search("", "test1")).containsExactly(db1, db10);
        assertThat(inv.search("", "EB1")).containsExactly(web10, web1);
        assertThat(inv.search("", " web10 , pgtest1")).containsExactly(web10, db1, db10);
        assertThat(inv.search("dcb", "web")).containsExactly(web1);
        assertThat(inv.search("", "il-g")).containsExactly(other);
        assertThat(inv.search("", "xyz")).isEmpty();
        assertThat(inv.search("", "pgtest100")).isEmpty();
        // a term shorter than an index piece, and a blank filter, still match as before
        assertThat(inv.search("", "10")).containsExactly(web10, db10);
        assertThat(inv.search("", "")).containsExactly(web10, db1, web1, db10, other);
        assertThat(inv.datacenters()).containsExactly("DcB", "DemoDC");

        // when: VMs are removed
        assertThat(inv.remove(db1.id())).isTrue();
        assertThat(inv.remove(web1.path())).isTrue();

        // then: no search nor the datacenters list them any more
        assertThat(inv.search("", "test1")).containsExactly(db10);
        assertThat(inv.search("", "web1")).containsExactly(web10);
        assertThat(inv.search("", "1")).containsExactly(web10, db10);
        assertThat(inv.datacenters()).containsExactly("DemoDC");
    }

    @Test
    void builderDefaultsAndDuplicates() {
        Inventory inv = Inventory.empty();
        SimVm vm = inv.add(SimVm.builder("nodisk01"));
        assertThat(vm.disks()).isEmpty();
        assertThat(vm.path()).isEqualTo("/DemoDC/vm/nodisk01");
        assertThat(vm.id()).startsWith("4205");
        assertThatThrownBy(() -> inv.add(SimVm.builder("nodisk01"))).isInstanceOf(IllegalArgumentException.class);
        SimVm explicit = inv.add(SimVm.builder("explicit01").id("4205AAAA-0000-0000-0000-000000000001").diskGb(1).network("Net"));
        assertThat(inv.byId("4205aaaa-0000-0000-0000-000000000001")).contains(explicit);
        assertThat(explicit.networks().get(0).macAddress()).startsWith("00:50:56:");
    }

    @Test
    void configurationFromEnvironment() {
        SimulatorConfig defaults = SimulatorConfig.fromEnv(Map.of());
        assertThat(defaults.port()).isEqualTo(8081);
        assertThat(defaults.bindHost()).isEqualTo("127.0.0.1");
        assertThat(defaults.copyRateBytesPerSecond()).isEqualTo(SimulatorConfig.DEFAULT_COPY_RATE);
        assertThat(defaults.omaToken()).isNull();

        SimulatorConfig c = SimulatorConfig.fromEnv(Map.of(
                "VMA_SIM_PORT", "18081", "VMA_SIM_COPY_RATE", "500MiB", "VMA_SIM_OMA_URL", "http://127.0.0.1:8082",
                "VMA_SIM_OMA_TOKEN", "t", "VMA_SIM_DISK_GAP_MS", "0", "VMA_SIM_START_DELAY_MS", "1500"));
        assertThat(c.port()).isEqualTo(18081);
        assertThat(c.copyRateBytesPerSecond()).isEqualTo(500L * 1024 * 1024);
        assertThat(c.omaUrl()).isEqualTo("http://127.0.0.1:8082");
        assertThat(c.omaToken()).isEqualTo("t");
        assertThat(c.diskGap()).isZero();
        assertThat(c.progressStartDelay()).isEqualTo(Duration.ofMillis(1500));

        assertThat(SimulatorConfig.parseBytes("2GiB")).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(SimulatorConfig.parseBytes("1.5 GB/s")).isEqualTo(1_500_000_000L);
        assertThat(SimulatorConfig.parseBytes("1234")).isEqualTo(1234L);
        assertThatThrownBy(() -> SimulatorConfig.parseBytes("fast")).isInstanceOf(IllegalArgumentException.class);
    }
}
