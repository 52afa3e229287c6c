package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.delete;
import static io.migratekit.vmasim.SimTestSupport.discoverBody;
import static io.migratekit.vmasim.SimTestSupport.get;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.post;
import static io.migratekit.vmasim.SimTestSupport.powerBody;
import static io.migratekit.vmasim.SimTestSupport.powerStateUrl;
import static io.migratekit.vmasim.SimTestSupport.replicateBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every injectable fault, programmatically and through the {@code /sim} admin endpoints. */
class FaultsTest {

    private static final long MIB = 1024L * 1024;

    private SimTestSupport.StubOma oma;
    private VmaSimulator sim;
    private SimVm copyVm;

    @BeforeEach
    void setUp() throws Exception {
        oma = new SimTestSupport.StubOma();
        Inventory inventory = Inventory.demo();
        copyVm = inventory.add(SimVm.builder("faulty01").folder("tests").disk(100 * MIB).disk(100 * MIB));
        sim = VmaSimulator.start(SimulatorConfig.builder()
                .inventory(inventory)
                .copyRateBytesPerSecond(400 * MIB)
                .tickInterval(Duration.ofMillis(10))
                .diskGap(Duration.ZERO)
                .build());
    }

    @AfterEach
    void tearDown() {
        sim.close();
        oma.close();
    }

    private String api(String path) {
        return sim.baseUrl() + "/api/v1" + path;
    }

    private HttpResponse<String> discoverWithTimeout(String filter, Duration timeout) throws Exception {
        return SimTestSupport.CLIENT.send(HttpRequest.newBuilder(URI.create(api("/discover")))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(discoverBody(filter).toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitTicks(int n) {
        long target = sim.engineTicks() + n;
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.engineTicks() >= target);
    }

    @Test
    void discoveryDelayOutlastsTheCallersDeadlineOnlyForTheAffectedVm() throws Exception {
        sim.faults().forVm("pgtest1").discoveryDelay(Duration.ofSeconds(5));
        assertThatThrownBy(() -> discoverWithTimeout("pgtest1", Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
        assertThat(discoverWithTimeout("web01", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
    }

    @Test
    void discoveryErrorIsAPlainText500() throws Exception {
        SimVm vm = sim.inventory().byName("pgtest2").orElseThrow();
        sim.faults().forVm(vm.id()).discoveryError(true);
        HttpResponse<String> r = post(api("/discover"), discoverBody("pgtest2"));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(post(api("/discover"), discoverBody("web01")).statusCode()).isEqualTo(200);
        sim.faults().clear(vm.id());
        assertThat(post(api("/discover"), discoverBody("pgtest2")).statusCode()).isEqualTo(200);
    }

    @Test
    void copyFailsAtTheGivenPercentage() {
        sim.faults().forVm("faulty01").failCopyAt(30);
        post(api("/replicate"), replicateBody("job-fail-1", copyVm, oma.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(sim.job("job-fail-1").orElseThrow().engineState()));

        JsonNode p = json(get(api("/progress/job-fail-1")));
        assertThat(p.get("status").asString()).isEqualTo("failed");
        assertThat(p.get("last_error").asString()).contains("30.0%");
        assertThat(p.get("errors").size()).isEqualTo(1);
        long total = p.get("total_bytes").asLong();
        assertThat(p.get("bytes_transferred").asLong()).isEqualTo((long) Math.floor(total * 0.30));
        assertThat(p.get("disk_progresses").get(0).get("status").asString()).isEqualTo("failed");
        assertThat(oma.calls()).noneMatch(c -> c.method().equals("POST"));
    }

    @Test
    void copyStallsAtTheGivenPercentageForever() {
        sim.faults().forVm(copyVm.id()).stallCopyAt(75);
        post(api("/replicate"), replicateBody("job-stall-1", copyVm, oma.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> "stalled".equals(sim.job("job-stall-1").orElseThrow().engineState()));

        JsonNode frozen = json(get(api("/progress/job-stall-1")));
        assertThat(frozen.get("status").asString()).isEqualTo("in_progress");
        assertThat(frozen.get("bytes_transferred").asLong()).isEqualTo((long) Math.floor(frozen.get("total_bytes").asLong() * 0.75));
        sim.faults().clear();
        awaitTicks(20);
        assertThat(json(get(api("/progress/job-stall-1")))).as("a crashed engine posts nothing more").isEqualTo(frozen);
        assertThat(oma.calls().stream().filter(c -> c.method().equals("POST")).count()).as("only disk 1 finished").isEqualTo(1);
    }

    @Test
    void progressNotFoundForeverMeansTheEngineNeverPosts() {
        sim.faults().forVm("faulty01").progressNotFound(true);
        assertThat(post(api("/replicate"), replicateBody("job-silent-1", copyVm, oma.url())).statusCode()).isEqualTo(200);
        awaitTicks(20);
        HttpResponse<String> r = get(api("/progress/job-silent-1"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body().trim()).isEqualTo("job not found");
        assertThat(oma.calls()).isEmpty();
        assertThat(sim.job("job-silent-1").orElseThrow().engineState()).isEqualTo("never_started");
    }

    @Test
    void vanishedVmIsDiscoveredButReplicateAndPowerAnswer404() {
        sim.faults().forVm("faulty01").vanishAfterDiscovery(true);
        JsonNode found = json(post(api("/discover"), discoverBody("faulty01")));
        assertThat(found.get("vms").size()).isEqualTo(1);
        HttpResponse<String> r = post(api("/replicate"), replicateBody("job-vanish-1", copyVm, oma.url()));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body().trim()).isEqualTo("VM not found: " + copyVm.path());
        assertThat(get(powerStateUrl(sim, copyVm.id())).statusCode()).isEqualTo(404);
        assertThat(sim.jobs()).isEmpty();
    }

    @Test
    void replicateErrorIsAPlainText500AndCreatesNoJob() {
        sim.faults().forVm("faulty01").replicateError(true);
        HttpResponse<String> r = post(api("/replicate"), replicateBody("job-err-1", copyVm, oma.url()));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(sim.job("job-err-1")).isEmpty();
    }

    @Test
    void malformedJsonAnswers200WithHalfABodyAndCreatesNoJob() {
        sim.faults().forVm("faulty01").malformedJson(VmaCall.DISCOVER, VmaCall.REPLICATE);

        HttpResponse<String> discovered = post(api("/discover"), discoverBody("faulty01"));
        HttpResponse<String> replicated = post(api("/replicate"), replicateBody("job-garbled-1", copyVm, oma.url()));

        assertThat(discovered.statusCode()).isEqualTo(200);
        assertThat(discovered.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThatThrownBy(() -> json(discovered)).isInstanceOf(RuntimeException.class);
        assertThat(replicated.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> json(replicated)).isInstanceOf(RuntimeException.class);
        assertThat(sim.jobs()).isEmpty();
        assertThat(post(api("/discover"), discoverBody("web01")).statusCode()).isEqualTo(200);
        assertThat(json(post(api("/discover"), discoverBody("web01"))).get("vms").size()).isPositive();
    }

    @Test
    void malformedJsonGarblesTheProgressOfARunningJob() {
        sim.faults().forVm(copyVm.id()).stallCopyAt(50);
        post(api("/replicate"), replicateBody("job-garbled-2", copyVm, oma.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(api("/progress/job-garbled-2")).statusCode() == 200);

        post(sim.baseUrl() + "/sim/faults/" + copyVm.id(), SimTestSupport.MAPPER.createObjectNode()
                .put("stall_copy_at_percent", 50).set("malformed_json", SimTestSupport.MAPPER.createArrayNode().add("progress")));
        HttpResponse<String> garbled = get(api("/progress/job-garbled-2"));

        assertThat(garbled.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> json(garbled)).isInstanceOf(RuntimeException.class);
        assertThat(json(get(sim.baseUrl() + "/sim/faults/" + copyVm.id())).get("malformed_json").get(0).asString())
                .isEqualTo("progress");
        assertThat(json(post(api("/discover"), discoverBody("faulty01"))).get("vms").size()).isEqualTo(1);
        sim.faults().forVm(copyVm.id()).clear();
        assertThat(json(get(api("/progress/job-garbled-2"))).get("job_id").asString()).isEqualTo("job-garbled-2");
    }

    @Test
    void replicateDelayOutlastsTheCallersDeadlineWhileDiscoveryStaysQuick() throws Exception {
        sim.faults().forVm("faulty01").replicateDelay(Duration.ofSeconds(5));

        assertThat(discoverWithTimeout("faulty01", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
        HttpRequest replicate = HttpRequest.newBuilder(URI.create(api("/replicate"))).timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(replicateBody("job-slow-1", copyVm, oma.url()).toString()))
                .build();
        assertThatThrownBy(() -> SimTestSupport.CLIENT.send(replicate, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(json(get(sim.baseUrl() + "/sim/faults/faulty01")).get("replicate_delay_ms").asLong())
                .isEqualTo(5000);
    }

    @Test
    void powerOffCanFailReportedOrAsAnError() {
        SimVm vm = sim.inventory().byName("web01").orElseThrow();
        sim.faults().forVm("web01").powerOffFailure(PowerFailure.REPORTED);
        JsonNode reported = json(post(api("/vm/" + vm.id() + "/power-off"), powerBody(false)));
        assertThat(reported.get("success").asBoolean()).isFalse();
        assertThat(reported.get("new_state").asString()).isEqualTo("poweredOn");
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);

        sim.faults().forVm("web01").powerOffFailure(PowerFailure.ERROR);
        HttpResponse<String> error = post(api("/vm/" + vm.id() + "/power-off"), powerBody(true));
        assertThat(error.statusCode()).isEqualTo(500);
        assertThat(error.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);

        sim.faults().forVm("web01").powerOffFailure(PowerFailure.NONE).powerOnFailure(PowerFailure.ERROR);
        assertThat(json(post(api("/vm/" + vm.id() + "/power-off"), powerBody(false))).get("success").asBoolean()).isTrue();
        assertThat(post(api("/vm/" + vm.id() + "/power-on"), powerBody(false)).statusCode()).isEqualTo(500);
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_OFF);
    }

    @Test
    void slowResponsesDelayEveryCallForThatVmOnly() {
        SimVm slow = sim.inventory().byName("app01").orElseThrow();
        SimVm fast = sim.inventory().byName("app02").orElseThrow();
        sim.faults().forVm("app01").responseDelay(Duration.ofSeconds(3));
        HttpRequest slowCall = HttpRequest.newBuilder(URI.create(powerStateUrl(sim, slow.id()))).timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> SimTestSupport.CLIENT.send(slowCall, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        HttpRequest fastCall = HttpRequest.newBuilder(URI.create(powerStateUrl(sim, fast.id()))).timeout(Duration.ofSeconds(2)).build();
        assertThat(SimTestSupport.send(fastCall).statusCode()).isEqualTo(200);
    }

    @Test
    void globalUnavailableAnswers503ButAdminStillWorks() {
        sim.faults().global().unavailable(true);
        HttpResponse<String> r = get(api("/health"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(post(api("/discover"), discoverBody("")).statusCode()).isEqualTo(503);
        assertThat(get(sim.baseUrl() + "/sim/jobs").statusCode()).isEqualTo(200);

        ObjectNode up = SimTestSupport.MAPPER.createObjectNode().put("unavailable", false);
        assertThat(post(sim.baseUrl() + "/sim/global", up).statusCode()).isEqualTo(200);
        assertThat(get(api("/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void closedSimulatorRefusesConnections() {
        String health = api("/health");
        sim.close();
        HttpRequest request = HttpRequest.newBuilder(URI.create(health)).timeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> SimTestSupport.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void adminEndpointsSetListAndClearFaults() {
        ObjectNode faults = SimTestSupport.MAPPER.createObjectNode().put("discovery_error", true).put("response_delay_ms", 0);
        HttpResponse<String> set = post(sim.baseUrl() + "/sim/faults/PGTEST1", faults);
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(json(set).get("discovery_error").asBoolean()).isTrue();
        assertThat(post(api("/discover"), discoverBody("pgtest1")).statusCode()).isEqualTo(500);

        JsonNode all = json(get(sim.baseUrl() + "/sim/faults"));
        assertThat(all.get("vms").get(0).get("vm").asString()).isEqualTo("pgtest1");
        assertThat(all.get("global").get("unavailable").asBoolean()).isFalse();

        assertThat(delete(sim.baseUrl() + "/sim/faults/pgtest1").statusCode()).isEqualTo(204);
        assertThat(post(api("/discover"), discoverBody("pgtest1")).statusCode()).isEqualTo(200);

        post(sim.baseUrl() + "/sim/faults/faulty01", SimTestSupport.MAPPER.createObjectNode().put("fail_copy_at_percent", 10));
        post(sim.baseUrl() + "/sim/global", SimTestSupport.MAPPER.createObjectNode().put("unavailable", true));
        assertThat(delete(sim.baseUrl() + "/sim/faults").statusCode()).isEqualTo(204);
        assertThat(get(api("/health")).statusCode()).isEqualTo(200);
        assertThat(sim.faults().find("faulty01")).isEmpty();

        assertThat(post(sim.baseUrl() + "/sim/faults/x", SimTestSupport.MAPPER.createObjectNode().put("power_off_failure", "sometimes"))
                .statusCode()).isEqualTo(400);
    }

    @Test
    void adminEndpointsShowJobsAndEditTheInventory() {
        post(api("/replicate"), replicateBody("job-admin-1", copyVm, oma.url()));
        JsonNode jobs = json(get(sim.baseUrl() + "/sim/jobs"));
        assertThat(jobs.isArray()).isTrue();
        assertThat(jobs.get(0).get("job_id").asString()).isEqualTo("job-admin-1");
        assertThat(jobs.get(0).get("vm_path").asString()).isEqualTo(copyVm.path());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> json(get(sim.baseUrl() + "/sim/jobs/job-admin-1")).get("engine_state").asString().equals("finished"));
        assertThat(json(SimTestSupport.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/jobs")).DELETE().build()))
                .get("removed").asInt()).isEqualTo(1);

        ObjectNode vm = SimTestSupport.MAPPER.createObjectNode();
        vm.put("name", "admin-added01").put("folder", "adhoc").put("guest_os", "windows").put("power_state", "poweredOff");
        vm.putArray("disks").addObject().put("capacity_gb", 20);
        HttpResponse<String> added = post(sim.baseUrl() + "/sim/inventory", vm);
        assertThat(added.statusCode()).isEqualTo(201);
        String id = json(added).get("added").get(0).get("id").asString();
        JsonNode discovered = json(post(api("/discover"), discoverBody("admin-added01"))).get("vms").get(0);
        assertThat(discovered.get("path").asString()).isEqualTo("/DemoDC/vm/adhoc/admin-added01");
        assertThat(discovered.get("power_state").asString()).isEqualTo("poweredOff");
        assertThat(post(sim.baseUrl() + "/sim/inventory", vm).statusCode()).isEqualTo(409);

        post(sim.baseUrl() + "/sim/vms/" + id + "/power-state", SimTestSupport.MAPPER.createObjectNode().put("power_state", "poweredOn"));
        assertThat(json(get(powerStateUrl(sim, id))).get("power_state").asString()).isEqualTo("poweredOn");
        assertThat(delete(sim.baseUrl() + "/sim/inventory/" + id).statusCode()).isEqualTo(204);
        assertThat(json(post(api("/discover"), discoverBody("admin-added01"))).get("vms").size()).isZero();
    }
}
