package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.MAPPER;
import static io.migratekit.vmasim.SimTestSupport.get;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The /sim routes on a disk's bytes, and the data-copy settings. */
class DiskAdminTest {

    private static final long MIB = 1024L * 1024;

    private VmaSimulator sim;
    private VmaSimulator other;

    @AfterEach
    void tearDown() {
        if (sim != null) {
            sim.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private SimVm startWithOneVm(VmaSimulator[] into) {
        Inventory inventory = Inventory.empty();
        SimVm vm = inventory.add(SimVm.builder("admin01").id("4215a1b2-0000-4000-8000-00000000a001").disk(40L * 1024 * MIB).disk(3 * MIB));
        into[0] = VmaSimulator.start(SimulatorConfig.builder().inventory(inventory).contentBytes(MIB).build());
        return vm;
    }

    private String diskUrl(VmaSimulator s, String vm, String disk, String action) {
        return s.baseUrl() + "/sim/vms/" + vm + "/disks/" + disk + "/" + action;
    }

    @Test
    void checksumDescribesTheContentAreaAndIsTheSameInEverySimulator() {
        VmaSimulator[] a = new VmaSimulator[1];
        VmaSimulator[] b = new VmaSimulator[1];
        SimVm vm = startWithOneVm(a);
        startWithOneVm(b);
        sim = a[0];
        other = b[0];

        HttpResponse<String> r = get(diskUrl(sim, vm.id(), "disk-2000", "checksum"));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode c = json(r);
        assertThat(c.get("vm_id").asString()).isEqualTo(vm.id());
        assertThat(c.get("disk_id").asString()).isEqualTo("disk-2000");
        assertThat(c.get("algorithm").asString()).isEqualTo("SHA-256");
        assertThat(c.get("sha256").asString()).matches("[0-9a-f]{64}");
        assertThat(c.get("content_bytes").asLong()).isEqualTo(MIB);
        assertThat(c.get("capacity_bytes").asLong()).isEqualTo(40L * 1024 * MIB);
        assertThat(c.get("block_size").asInt()).isEqualTo(65536);
        assertThat(c.get("blocks").asInt()).isEqualTo(16);
        assertThat(c.get("allocated_blocks").asInt()).isBetween(1, 16);
        assertThat(c.size()).as("nothing more").isEqualTo(9);
        assertThat(json(get(diskUrl(other, "admin01", "2000", "checksum")))).as("by name and key, in another simulator").isEqualTo(c);
    }

    @Test
    void writingBytesChangesTheChecksumAndReportsTheBlocksTouched() {
        VmaSimulator[] a = new VmaSimulator[1];
        SimVm vm = startWithOneVm(a);
        sim = a[0];
        String before = json(get(diskUrl(sim, vm.id(), "disk-2001", "checksum"))).get("sha256").asString();
        ObjectNode body = MAPPER.createObjectNode().put("offset", 65530)
                .put("data_base64", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));

        HttpResponse<String> r = post(diskUrl(sim, vm.id(), "disk-2001", "blocks"), body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode w = json(r);
        assertThat(w.get("blocks").toString()).isEqualTo("[0,1]");
        assertThat(w.get("bytes_written").asLong()).isEqualTo(10);
        String after = json(get(diskUrl(sim, vm.id(), "disk-2001", "checksum"))).get("sha256").asString();
        assertThat(w.get("sha256").asString()).isEqualTo(after).isNotEqualTo(before);
        assertThat(w.size()).isEqualTo(5);

        JsonNode random = json(post(diskUrl(sim, vm.id(), "disk-2001", "blocks"),
                MAPPER.createObjectNode().put("random_blocks", 2).put("seed", 3)));
        assertThat(random.get("blocks").size()).isEqualTo(2);
        assertThat(random.get("bytes_written").asLong()).isEqualTo(2 * 65536);
    }

    @Test
    void badDiskRequestsAreAnsweredWithWhatIsWrong() {
        VmaSimulator[] a = new VmaSimulator[1];
        SimVm vm = startWithOneVm(a);
        sim = a[0];
        String before = json(get(diskUrl(sim, vm.id(), "disk-2000", "checksum"))).get("sha256").asString();

        assertError(get(diskUrl(sim, "no-such-vm", "disk-2000", "checksum")), 404, "VM not found: no-such-vm");
        assertError(get(diskUrl(sim, vm.id(), "disk-2009", "checksum")), 404, "VM admin01 has no disk disk-2009");
        assertError(get(diskUrl(sim, vm.id(), "sda", "checksum")), 404, "VM admin01 has no disk sda");
        assertError(get(diskUrl(sim, vm.id(), "disk-2000", "blocks")), 405, "method not allowed");
        assertError(get(diskUrl(sim, vm.id(), "disk-2000", "extents")), 404, "404 page not found");
        assertError(post(diskUrl(sim, vm.id(), "disk-2000", "blocks"), MAPPER.createObjectNode()), 400,
                "give either offset and data_base64, or random_blocks and seed");
        assertError(post(diskUrl(sim, vm.id(), "disk-2000", "blocks"),
                MAPPER.createObjectNode().put("data_base64", "AAAA")), 400, "offset is required with data_base64");
        assertError(post(diskUrl(sim, vm.id(), "disk-2000", "blocks"),
                MAPPER.createObjectNode().put("offset", 0).put("data_base64", "not base64!")), 400, "data_base64 is not valid base64");
        assertError(post(diskUrl(sim, vm.id(), "disk-2000", "blocks"),
                MAPPER.createObjectNode().put("offset", MIB).put("data_base64", "AAAA")), 400,
                "bytes 1048576..1048579 are outside the content area of 1048576 bytes");
        assertError(post(diskUrl(sim, vm.id(), "disk-2000", "blocks"),
                MAPPER.createObjectNode().put("random_blocks", 0).put("seed", 1)), 400, "random_blocks must be within 1..16 for this disk");
        assertThat(json(get(diskUrl(sim, vm.id(), "disk-2000", "checksum"))).get("sha256").asString()).isEqualTo(before);
    }

    @Test
    void dataCopyIsOffUnlessSwitchedOnAndBothSettingsComeFromTheEnvironment() {
        assertThat(SimulatorConfig.defaults().copyData()).isFalse();
        assertThat(SimulatorConfig.defaults().contentBytes()).isEqualTo(4 * MIB);
        assertThat(SimulatorConfig.fromEnv(Map.of()).copyData()).isFalse();

        SimulatorConfig env = SimulatorConfig.fromEnv(Map.of("VMA_SIM_COPY_DATA", "true", "VMA_SIM_CONTENT_SIZE", "8MiB"));

        assertThat(env.copyData()).isTrue();
        assertThat(env.contentBytes()).isEqualTo(8 * MIB);
        assertThat(env.toBuilder().build().copyData()).isTrue();
        assertThatThrownBy(() -> SimulatorConfig.fromEnv(Map.of("VMA_SIM_COPY_DATA", "sometimes")))
                .hasMessage("VMA_SIM_COPY_DATA must be true or false, not 'sometimes'");
        assertThatThrownBy(() -> SimulatorConfig.builder().contentBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertError(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(message + "\n");
    }
}
