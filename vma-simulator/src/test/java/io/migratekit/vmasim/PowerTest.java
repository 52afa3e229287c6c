package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.discoverBody;
import static io.migratekit.vmasim.SimTestSupport.get;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.post;
import static io.migratekit.vmasim.SimTestSupport.powerBody;
import static io.migratekit.vmasim.SimTestSupport.powerStateUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Power-off / power-on / power-state semantics, including the asynchronous graceful shutdown. */
class PowerTest {

    private VmaSimulator sim;

    @AfterEach
    void tearDown() {
        sim.close();
    }

    private JsonNode powerOff(SimVm vm, boolean force) {
        return json(post(sim.baseUrl() + "/api/v1/vm/" + vm.id() + "/power-off", powerBody(force)));
    }

    private String discoveredState(String name) {
        return json(post(sim.baseUrl() + "/api/v1/discover", discoverBody(name))).get("vms").get(0).get("power_state").asString();
    }

    @Test
    void gracefulForcedAlreadyOffAndPowerOn() {
        sim = VmaSimulator.start(SimulatorConfig.defaults());
        SimVm web = sim.inventory().byName("web01").orElseThrow();

        JsonNode graceful = powerOff(web, false);
        assertThat(graceful.get("success").asBoolean()).isTrue();
        assertThat(graceful.get("operation").asString()).isEqualTo("power-off");
        assertThat(graceful.get("shutdown_method").asString()).isEqualTo("graceful");
        assertThat(graceful.get("new_state").asString()).isEqualTo("poweredOff");
        assertThat(discoveredState("web01")).isEqualTo("poweredOff");
        assertThat(json(get(powerStateUrl(sim, web.id()))).get("tools_status").asString()).isEqualTo("toolsNotRunning");

        JsonNode again = powerOff(web, false);
        assertThat(again.get("shutdown_method").asString()).isEqualTo("already-off");
        assertThat(again.get("previous_state").asString()).isEqualTo("poweredOff");

        JsonNode on = json(post(sim.baseUrl() + "/api/v1/vm/" + web.id() + "/power-on", powerBody(false)));
        assertThat(on.get("success").asBoolean()).isTrue();
        assertThat(on.get("operation").asString()).isEqualTo("power-on");
        assertThat(on.get("previous_state").asString()).isEqualTo("poweredOff");
        assertThat(on.get("new_state").asString()).isEqualTo("poweredOn");
        assertThat(json(get(powerStateUrl(sim, web.id()))).get("tools_status").asString()).isEqualTo("toolsOk");

        JsonNode forced = powerOff(web, true);
        assertThat(forced.get("shutdown_method").asString()).isEqualTo("forced");
        assertThat(forced.get("new_state").asString()).isEqualTo("poweredOff");

        SimVm suspended = sim.inventory().byName("erp-legacy01").orElseThrow();
        assertThat(suspended.powerState()).isEqualTo(PowerState.SUSPENDED);
        JsonNode fromSuspended = powerOff(suspended, false);
        assertThat(fromSuspended.get("shutdown_method").asString()).isEqualTo("forced");
        assertThat(fromSuspended.get("previous_state").asString()).isEqualTo("suspended");
    }

    @Test
    void gracefulShutdownCanCompleteAsynchronouslySoCallersMustPoll() {
        sim = VmaSimulator.start(SimulatorConfig.builder().gracefulPowerOffDelay(Duration.ofMillis(300)).build());
        SimVm db = sim.inventory().byName("pgtest1").orElseThrow();

        JsonNode off = powerOff(db, false);
        assertThat(off.get("success").asBoolean()).isTrue();
        assertThat(off.get("shutdown_method").asString()).isEqualTo("graceful");
        assertThat(off.get("new_state").asString()).isEqualTo("poweredOn");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> json(get(powerStateUrl(sim, db.id()))).get("power_state").asString().equals("poweredOff"));
        assertThat(discoveredState("pgtest10")).isEqualTo("poweredOff");

        assertThat(powerOff(db, true).get("shutdown_method").asString()).isEqualTo("already-off");
    }

    @Test
    void powerOnDuringAPendingGracefulShutdownCancelsIt() {
        sim = VmaSimulator.start(SimulatorConfig.builder().gracefulPowerOffDelay(Duration.ofMillis(200))
                .tickInterval(Duration.ofMillis(10)).build());
        SimVm vm = sim.inventory().byName("dns01").orElseThrow();
        powerOff(vm, false);
        vm.setPowerState(PowerState.POWERED_OFF);
        post(sim.baseUrl() + "/api/v1/vm/" + vm.id() + "/power-on", powerBody(false));
        long target = sim.engineTicks() + 50;
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.engineTicks() >= target);
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void credentialsAreRequiredForPowerCalls() {
        sim = VmaSimulator.start(SimulatorConfig.defaults());
        SimVm vm = sim.inventory().byName("app02").orElseThrow();
        ObjectNode body = powerBody(false);
        body.remove("username");
        assertThat(post(sim.baseUrl() + "/api/v1/vm/" + vm.id() + "/power-off", body).statusCode()).isEqualTo(400);
        assertThat(get(sim.baseUrl() + "/api/v1/vm/" + vm.id() + "/power-state?vcenter=x&username=&password=").statusCode())
                .isEqualTo(400);
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
    }
}
