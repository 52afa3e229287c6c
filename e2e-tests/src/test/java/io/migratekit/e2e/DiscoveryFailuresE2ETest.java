package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Fresh discovery decides: each way it can fail gives its own status and message, and frees the VM. */
class DiscoveryFailuresE2ETest {

    static Pipeline pipeline;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
    }

    @Test
    void aVmThatVCenterDoesNotHaveIs404() {
        SimVm vm = pipeline.newVm("gone", 1);
        ObjectNode body = requestFor(vm);
        ((ObjectNode) body.get("source_vm")).put("name", "no-such-vm-anywhere");

        HttpResponse<String> response = pipeline.post("/replications", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(json(response).get("error").asString()).isEqualTo("VM not found in vCenter");
    }

    @Test
    void aVmWithoutDisksIs422() {
        SimVm vm = pipeline.newVm("diskless", 0);

        HttpResponse<String> response = pipeline.post("/replications", requestFor(vm));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(json(response).get("error").asString()).containsIgnoringCase("no disks");
    }

    @Test
    void discoveryThatDoesNotAnswerWithin15SecondsIs504AndTheVmIsFreeAfterwards() {
        // given: vCenter answers this VM's discovery only after 20 s
        SimVm vm = pipeline.newVm("slow", 1);
        pipeline.stack.simulator().faults().forVm(vm.id()).discoveryDelay(Duration.ofSeconds(20));

        // when: replication is requested
        HttpResponse<String> response = pipeline.post("/replications", requestFor(vm));

        // then: 504 after the 15 s deadline; once vCenter is quick again the VM is accepted
        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        pipeline.stack.simulator().faults().forVm(vm.id()).clear();
        pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(5);
        HttpResponse<String> retry = pipeline.post("/replications", requestFor(vm));
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    }

    @Test
    void aRequestNamingNoVcenterIs400SayingWhatToSet() {
        SimVm vm = pipeline.newVm("no-vcenter", 1);
        ObjectNode body = requestFor(vm);
        ((ObjectNode) body.get("source_vm")).remove("vcenter_host");
        body.remove("vcenter_host");

        HttpResponse<String> response = pipeline.post("/replications", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("vCenter host is required");
        assertThat(json(response).get("details").asString()).endsWith("set vcenter_host (or source_vm.vcenter_host)");
    }

    @Test
    void aDatacenterTheVmaDoesNotKnowIs404NamingIt() {
        SimVm vm = pipeline.newVm("no-dc", 1);
        ObjectNode body = requestFor(vm);
        ((ObjectNode) body.get("source_vm")).put("datacenter", "NoSuchDC");
        body.put("datacenter", "NoSuchDC");

        HttpResponse<String> response = pipeline.post("/replications", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(json(response).get("error").asString()).isEqualTo("Datacenter not found in vCenter");
        assertThat(json(response).get("details").asString()).contains("'NoSuchDC'");
    }

    @Test
    void aFailingVmaIs502() {
        SimVm vm = pipeline.newVm("vma-error", 1);
        pipeline.stack.simulator().faults().forVm(vm.id()).discoveryError(true);

        HttpResponse<String> response = pipeline.post("/replications", requestFor(vm));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
    }
}
