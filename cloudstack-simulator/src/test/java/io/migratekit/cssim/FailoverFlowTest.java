package io.migratekit.cssim;

import static io.migratekit.cssim.SimTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.migratekit.cssim.SimTestSupport.Client;
import tools.jackson.databind.JsonNode;

/** The appliance's failover sequence of cloudstack-api.md, from deploy to cleanup, as one story. */
class FailoverFlowTest {

    @TempDir
    Path dataDir;

    @Test
    void aFailoverVmIsDeployedGetsTheReplicasAndStartsThenIsExpunged() {
        try (CloudStackSimulator sim = CloudStackSimulator.start(config(dataDir, Duration.ofMillis(50)).build())) {
            Client client = new Client(sim);
            SimulatorConfig c = sim.config();
            String appliance = c.applianceVm().id();
            // given two replicas attached to the appliance
            String os = client.createVolume(sim, "replica-os", 1);
            String data = client.createVolume(sim, "replica-data", 1);
            client.attach(os, appliance);
            client.attach(data, appliance);
            // when a stopped VM is deployed with a custom offering
            JsonNode vm = client.run("deployVirtualMachine", Map.of("serviceofferingid", c.serviceOffering().id(),
                    "templateid", c.template().id(), "zoneid", c.zone().id(), "name", "pgtest1", "displayname", "pgtest1 (failover)",
                    "networkids", c.networks().get(1).id(), "details[0].cpuNumber", "4", "details[0].memory", "8192",
                    "startvm", "false")).get("virtualmachine");
            String vmId = vm.get("id").asString();
            assertThat(vm.get("state").asString()).isEqualTo("Stopped");
            assertThat(vm.get("cpunumber").asInt()).isEqualTo(4);
            assertThat(vm.get("memory").asInt()).isEqualTo(8192);
            assertThat(vm.get("displayname").asString()).isEqualTo("pgtest1 (failover)");
            assertThat(vm.get("nic").get(0).get("networkid").asString()).isEqualTo(c.networks().get(1).id());
            // then it has the template's ROOT, which is detached and deleted
            JsonNode roots = client.get("listVolumes", Map.of("virtualmachineid", vmId, "type", "ROOT")).body();
            assertThat(roots.get("count").asInt()).isEqualTo(1);
            assertThat(roots.get("volume").get(0).get("size").asLong()).isEqualTo(c.templateSizeGiB() << 30);
            String templateRoot = roots.get("volume").get(0).get("id").asString();
            client.run("detachVolume", Map.of("id", templateRoot));
            assertThat(client.post("deleteVolume", Map.of("id", templateRoot)).status()).isEqualTo(200);
            // when the replicas move from the appliance to the VM, the OS one as device 0
            client.run("detachVolume", Map.of("id", os));
            client.run("detachVolume", Map.of("id", data));
            assertThat(sim.deviceEntry(os)).doesNotExist();
            client.run("attachVolume", Map.of("id", os, "virtualmachineid", vmId, "deviceid", "0"));
            JsonNode dataAttached = client.attach(data, vmId);
            assertThat(dataAttached.get("deviceid").asInt()).isEqualTo(1);
            // and the VM starts
            assertThat(client.run("startVirtualMachine", Map.of("id", vmId)).get("virtualmachine").get("state").asString()).isEqualTo("Running");
            assertThat(client.get("listVirtualMachines", Map.of("id", vmId)).body().get("virtualmachine").get(0).get("state").asString())
                    .isEqualTo("Running");
            JsonNode onVm = client.get("listVolumes", Map.of("virtualmachineid", vmId)).body();
            assertThat(onVm.get("count").asInt()).isEqualTo(2);
            assertThat(onVm.get("volume").get(0).get("id").asString()).isEqualTo(os);
            assertThat(onVm.get("volume").get(0).get("type").asString()).isEqualTo("ROOT");
            assertThat(onVm.get("volume").get(1).get("id").asString()).isEqualTo(data);
            // when it is stopped and destroyed with expunge
            assertThat(client.run("stopVirtualMachine", Map.of("id", vmId, "forced", "true")).get("virtualmachine").get("state").asString())
                    .isEqualTo("Stopped");
            client.run("destroyVirtualMachine", Map.of("id", vmId, "expunge", "true"));
            // then the VM and its ROOT are gone, the data volume is kept detached
            assertThat(client.get("listVirtualMachines", Map.of("id", vmId)).body().toString()).isEqualTo("{}");
            assertThat(client.get("listVolumes", Map.of("id", os)).body().toString()).isEqualTo("{}");
            JsonNode kept = client.get("listVolumes", Map.of("id", data)).body().get("volume").get(0);
            assertThat(kept.has("virtualmachineid")).isFalse();
        }
    }

    @Test
    void deployWithoutTheCustomOfferingsDetailsIs431() {
        try (CloudStackSimulator sim = CloudStackSimulator.start(config(dataDir, Duration.ZERO).build())) {
            SimulatorConfig c = sim.config();
            var r = new Client(sim).post("deployVirtualMachine", Map.of("serviceofferingid", c.serviceOffering().id(),
                    "templateid", c.template().id(), "zoneid", c.zone().id()));
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.body().get("errortext").asString())
                    .isEqualTo("Need to specify custom parameter values cpu, cpu speed and memory when using custom offering");
        }
    }
}
