package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.PASSWORD;
import static io.migratekit.vmasim.SimTestSupport.VCENTER;
import static io.migratekit.vmasim.SimTestSupport.discoverBody;
import static io.migratekit.vmasim.SimTestSupport.get;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.post;
import static io.migratekit.vmasim.SimTestSupport.powerBody;
import static io.migratekit.vmasim.SimTestSupport.powerStateUrl;
import static io.migratekit.vmasim.SimTestSupport.replicateBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks every endpoint's JSON against the shapes in docs/vma-api.md: every key present with the right
 * JSON type, nothing extra where the contract lists the keys, and plain-text errors.
 */
class ContractFidelityTest {

    private static final long GIB = 1024L * 1024 * 1024;
    private static VmaSimulator sim;
    private static SimTestSupport.StubOma oma;
    private static final List<String> allBodies = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        oma = new SimTestSupport.StubOma();
        sim = VmaSimulator.start(SimulatorConfig.builder()
                .copyRateBytesPerSecond(200L * GIB)
                .tickInterval(Duration.ofMillis(10))
                .diskGap(Duration.ZERO)
                .build());
    }

    @AfterAll
    static void stop() {
        sim.close();
        oma.close();
        for (String body : allBodies) {
            assertThat(body).as("no response may echo the password").doesNotContain(PASSWORD);
        }
    }

    private static HttpResponse<String> record(HttpResponse<String> response) {
        allBodies.add(response.body());
        return response;
    }

    private static String api(String path) {
        return sim.baseUrl() + "/api/v1" + path;
    }

    @Test
    void healthIsJsonWithStatusHealthy() {
        HttpResponse<String> r = record(get(api("/health")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertJsonContentType(r);
        assertThat(json(r).get("status").asString()).isEqualTo("healthy");
    }

    @Test
    void discoveryVmShapeMatchesTheContract() {
        HttpResponse<String> r = record(post(api("/discover"), discoverBody("")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertJsonContentType(r);
        JsonNode root = json(r);
        assertThat(keys(root)).containsExactlyInAnyOrder("vcenter", "vms");
        assertThat(keys(root.get("vcenter"))).containsExactlyInAnyOrder("host", "datacenter");
        assertThat(root.get("vcenter").get("host").asString()).isEqualTo(VCENTER);
        assertThat(root.get("vcenter").get("datacenter").asString()).isEqualTo("DemoDC");
        assertThat(root.get("vms").isArray()).isTrue();
        assertThat(root.get("vms").size()).isGreaterThanOrEqualTo(20);

        for (JsonNode vm : root.get("vms")) {
            assertThat(keys(vm)).containsExactlyInAnyOrder("id", "name", "path", "datacenter", "power_state", "guest_os",
                    "num_cpu", "memory_mb", "vmx_version", "cpus", "os_type", "disks", "networks");
            assertThat(vm.get("id").isString()).isTrue();
            assertThat(vm.get("id").asString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(vm.get("name").isString()).isTrue();
            assertThat(vm.get("path").asString()).isEqualTo("/DemoDC/vm/" + folderOf(vm) + vm.get("name").asString());
            assertThat(vm.get("datacenter").asString()).isEqualTo("DemoDC");
            assertThat(vm.get("power_state").asString()).isIn("poweredOn", "poweredOff", "suspended", "unknown");
            assertThat(vm.get("guest_os").asString()).isIn("windows", "linux", "unknown");
            assertThat(vm.get("num_cpu").isIntegralNumber()).isTrue();
            assertThat(vm.get("memory_mb").isIntegralNumber()).isTrue();
            assertThat(vm.get("vmx_version").asString()).matches("vmx-\\d+");
            assertThat(vm.get("cpus").isIntegralNumber()).isTrue();
            assertThat(vm.get("cpus").asInt()).as("cpus is always zero, like the real VMA").isZero();
            assertThat(vm.get("os_type").isString()).isTrue();
            assertThat(vm.get("os_type").asString()).as("os_type is always empty, like the real VMA").isEmpty();
            assertThat(vm.get("disks").isArray()).isTrue();
            assertThat(vm.get("disks").size()).isBetween(1, 4);
            for (JsonNode d : vm.get("disks")) {
                assertThat(keys(d)).containsExactlyInAnyOrder("id", "label", "path", "vmdk_path", "size_gb",
                        "capacity_bytes", "datastore", "provisioning_type", "unit_number");
                assertThat(d.get("id").asString()).matches("disk-\\d{4}");
                assertThat(d.get("label").isString()).isTrue();
                assertThat(d.get("path").asString()).matches("\\[[^]]+] .+\\.vmdk");
                assertThat(d.get("vmdk_path").asString()).matches("\\[[^]]+] .+\\.vmdk");
                assertThat(d.get("size_gb").isIntegralNumber()).isTrue();
                assertThat(d.get("capacity_bytes").isIntegralNumber()).isTrue();
                long capacity = d.get("capacity_bytes").asLong();
                assertThat(d.get("size_gb").asLong()).isEqualTo((capacity + GIB - 1) / GIB);
                assertThat(d.get("datastore").isString()).isTrue();
                assertThat(d.get("provisioning_type").asString()).isIn("thin", "thick", "unknown");
                assertThat(d.get("unit_number").isIntegralNumber()).isTrue();
            }
            assertThat(vm.get("networks").isArray()).isTrue();
            for (JsonNode n : vm.get("networks")) {
                assertThat(keys(n)).containsExactlyInAnyOrder("label", "network_name", "adapter_type", "mac_address", "connected");
                assertThat(n.get("label").isString()).isTrue();
                assertThat(n.get("network_name").isString()).isTrue();
                assertThat(n.get("adapter_type").isString()).isTrue();
                assertThat(n.get("mac_address").asString()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
                assertThat(n.get("connected").isBoolean()).isTrue();
            }
        }
        assertThat(root.get("vms").get(0).get("disks").get(0).get("id").asString()).isEqualTo("disk-2000");
    }

    private static String folderOf(JsonNode vm) {
        String path = vm.get("path").asString();
        String rest = path.substring("/DemoDC/vm/".length());
        int slash = rest.lastIndexOf('/');
        return slash < 0 ? "" : rest.substring(0, slash + 1);
    }

    @Test
    void discoveryWithoutMatchesStillReturnsAnArray() {
        JsonNode root = json(record(post(api("/discover"), discoverBody("no-such-vm-anywhere"))));
        assertThat(root.get("vms").isArray()).isTrue();
        assertThat(root.get("vms").size()).isZero();
    }

    @Test
    void replicateAndProgressShapesMatchTheContract() {
        SimVm vm = sim.inventory().byName("app01").orElseThrow();
        HttpResponse<String> r = record(post(api("/replicate"), replicateBody("job-contract-1", vm, oma.url())));
        assertThat(r.statusCode()).isEqualTo(200);
        assertJsonContentType(r);
        JsonNode started = json(r);
        assertThat(keys(started)).containsExactlyInAnyOrder("job_id", "status", "vm_count", "started_at");
        assertThat(started.get("job_id").asString()).isEqualTo("job-contract-1");
        assertThat(started.get("status").asString()).isEqualTo("started");
        assertThat(started.get("vm_count").isIntegralNumber()).isTrue();
        assertThat(started.get("vm_count").asInt()).isEqualTo(1);
        Instant.parse(started.get("started_at").asString());

        await().atMost(Duration.ofSeconds(10)).until(() -> get(api("/progress/job-contract-1")).statusCode() == 200);
        assertProgressShape(json(record(get(api("/progress/job-contract-1")))), vm.disks().size());

        await().atMost(Duration.ofSeconds(10)).until(() -> sim.job("job-contract-1").orElseThrow().finished());
        JsonNode done = json(record(get(api("/progress/job-contract-1"))));
        assertProgressShape(done, vm.disks().size());
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("bytes_transferred").asLong()).isEqualTo(done.get("total_bytes").asLong());
    }

    static void assertProgressShape(JsonNode p, int diskCount) {
        assertThat(keys(p)).containsExactlyInAnyOrder("job_id", "status", "sync_type", "phase", "percentage",
                "current_operation", "bytes_transferred", "total_bytes", "throughput", "timing", "disk_progresses",
                "errors", "last_error");
        assertThat(p.get("job_id").isString()).isTrue();
        assertThat(p.get("status").asString()).isIn("in_progress", "completed", "failed");
        assertThat(p.get("sync_type").asString()).isIn("full", "incremental");
        assertThat(p.get("phase").isString()).isTrue();
        assertThat(p.get("percentage").isNumber()).isTrue();
        assertThat(p.get("current_operation").isString()).isTrue();
        assertThat(p.get("bytes_transferred").isIntegralNumber()).isTrue();
        assertThat(p.get("total_bytes").isIntegralNumber()).isTrue();
        JsonNode t = p.get("throughput");
        assertThat(keys(t)).containsExactlyInAnyOrder("current_mbps", "average_mbps", "peak_mbps");
        t.forEach(v -> assertThat(v.isNumber()).isTrue());
        JsonNode timing = p.get("timing");
        assertThat(keys(timing)).containsExactlyInAnyOrder("start_time", "last_update", "elapsed_ms", "eta_seconds");
        Instant.parse(timing.get("start_time").asString());
        Instant.parse(timing.get("last_update").asString());
        assertThat(timing.get("elapsed_ms").isIntegralNumber()).isTrue();
        assertThat(timing.get("eta_seconds").isIntegralNumber()).isTrue();
        assertThat(p.get("disk_progresses").isArray()).isTrue();
        assertThat(p.get("disk_progresses").size()).isEqualTo(diskCount);
        for (JsonNode d : p.get("disk_progresses")) {
            assertThat(keys(d)).containsExactlyInAnyOrder("disk_id", "label", "bytes_transferred", "total_bytes", "percent",
                    "throughput_mbps", "status");
            assertThat(d.get("disk_id").asString()).matches("disk-\\d+");
            assertThat(d.get("label").isString()).isTrue();
            assertThat(d.get("bytes_transferred").isIntegralNumber()).isTrue();
            assertThat(d.get("total_bytes").isIntegralNumber()).isTrue();
            assertThat(d.get("percent").isNumber()).isTrue();
            assertThat(d.get("throughput_mbps").isNumber()).isTrue();
            assertThat(d.get("status").asString()).isIn("pending", "in_progress", "completed", "failed");
        }
        assertThat(p.get("errors").isArray()).isTrue();
        assertThat(p.get("last_error").isString()).isTrue();
    }

    @Test
    void powerShapesMatchTheContract() {
        SimVm vm = sim.inventory().byName("web02").orElseThrow();
        String[] expected = {"success", "vm_id", "previous_state", "new_state", "operation", "shutdown_method",
                "duration_seconds", "timestamp", "message"};

        JsonNode off = json(record(post(api("/vm/" + vm.id() + "/power-off"), powerBody(false))));
        assertThat(keys(off)).containsExactlyInAnyOrder(expected);
        assertThat(off.get("success").isBoolean()).isTrue();
        assertThat(off.get("vm_id").asString()).isEqualTo(vm.id());
        assertThat(off.get("previous_state").asString()).isEqualTo("poweredOn");
        assertThat(off.get("new_state").asString()).isEqualTo("poweredOff");
        assertThat(off.get("operation").isString()).isTrue();
        assertThat(off.get("shutdown_method").asString()).isIn("already-off", "graceful", "forced");
        assertThat(off.get("duration_seconds").isNumber()).isTrue();
        Instant.parse(off.get("timestamp").asString());
        assertThat(off.get("message").isString()).isTrue();

        JsonNode state = json(record(get(powerStateUrl(sim, vm.id()))));
        assertThat(keys(state)).containsExactlyInAnyOrder("vm_id", "power_state", "tools_status", "timestamp");
        assertThat(state.get("power_state").asString()).isEqualTo("poweredOff");
        assertThat(state.get("tools_status").isString()).isTrue();
        Instant.parse(state.get("timestamp").asString());

        JsonNode on = json(record(post(api("/vm/" + vm.id() + "/power-on"), powerBody(false))));
        assertThat(keys(on)).containsExactlyInAnyOrder(expected);
        assertThat(on.get("new_state").asString()).isEqualTo("poweredOn");
    }

    @Test
    void errorsArePlainText() {
        assertPlainText(record(get(api("/progress/job-that-never-was"))), 404, "job not found");

        ObjectNode noPassword = discoverBody("pgtest1");
        noPassword.remove("password");
        assertPlainText(record(post(api("/discover"), noPassword)), 400, "password is required");

        ObjectNode noUser = discoverBody("pgtest1");
        noUser.put("username", "");
        assertPlainText(record(post(api("/discover"), noUser)), 400, "username is required");

        SimVm vm = sim.inventory().byName("pgtest2").orElseThrow();
        ObjectNode unknownPath = replicateBody("job-contract-404", vm, oma.url());
        unknownPath.putArray("vm_paths").add("/DemoDC/vm/nowhere/ghost");
        assertPlainText(record(post(api("/replicate"), unknownPath)), 404, "VM not found: /DemoDC/vm/nowhere/ghost");

        ObjectNode oneTargetMissing = replicateBody("job-contract-400", vm, oma.url());
        ((tools.jackson.databind.node.ArrayNode) oneTargetMissing.get("nbd_targets")).remove(1);
        HttpResponse<String> missing = record(post(api("/replicate"), oneTargetMissing));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(missing.body()).contains("disk-2001");
        assertThat(sim.job("job-contract-400")).isEmpty();

        ObjectNode badOma = replicateBody("job-contract-bad-oma", vm, "oma.example.test:8082");
        assertPlainText(record(post(api("/replicate"), badOma)), 400, "oma_url must be an http(s) URL");

        assertPlainText(record(post(api("/discover"), SimTestSupport.MAPPER.createArrayNode())), 400,
                "request body must be a JSON object");
        assertPlainText(record(get(api("/no-such-route"))), 404, "404 page not found");
        assertPlainText(record(get(api("/discover"))), 405, "method not allowed");
        assertPlainText(record(get(powerStateUrl(sim, "4205ffff-0000-0000-0000-000000000000"))), 404,
                "VM not found: 4205ffff-0000-0000-0000-000000000000");
    }

    private static void assertPlainText(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body().trim()).isEqualTo(message);
    }

    private static void assertJsonContentType(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }

    static Set<String> keys(JsonNode node) {
        assertThat(node).isNotNull();
        assertThat(node.isObject()).as("expected a JSON object: %s", node).isTrue();
        return new TreeSet<>(node.propertyNames());
    }
}
