package io.migratekit.e2e;

import static io.migratekit.e2e.FailoverSupport.options;
import static io.migratekit.e2e.FailoverSupport.steps;
import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.vmasim.PowerState;
import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Test failover end to end: a VM on snapshots of the replicated volumes, on the test network, with the
 * source left running; no replication and no other failover while the test VM exists; cleaned up, after
 * which the VM is ready for failover and replicates again.
 */
class TestFailoverE2ETest {

    static Pipeline pipeline;
    static FailoverSupport failovers;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
        failovers = new FailoverSupport(pipeline);
    }

    @Test
    void aTestFailoverRefusesSyncsAndFailoversUntilCleanedUpAndTheVmThenReplicatesAgain() {
        // given
        SimVm vm = failovers.replicatedVm("test-failover", 2);

        // when
        String failoverId = failovers.acceptedFailover(vm, "test", options().put("test_network", "net-test"));

        // then: a test VM on clones, on the test network; the source runs on
        JsonNode failover = failovers.awaitEnded(failoverId);
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("completed");
        assertThat(steps(failover)).containsExactly("validation:completed", "source_power_off:skipped",
                "final_sync:skipped", "target_vm:completed", "status_update:completed");
        failovers.awaitContextStatus(vm, "failed_over_test");
        String targetVmId = failover.get("target_vm_id").asString();
        JsonNode target = failovers.cloudVm(targetVmId).orElseThrow();
        assertThat(target.get("state").asString()).isEqualTo("Running");
        assertThat(target.get("networkId").asString()).isEqualTo(network("net-test"));
        // it runs on clones of snapshots, never on the replicas
        assertThat(failovers.cloudVolumesOf(targetVmId)).hasSize(2)
                .allSatisfy(volume -> assertThat(volume.get("snapshotId").isNull()).isFalse());
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);

        // when: while the test VM exists, a (scheduled) sync, a second test and a live failover are requested
        HttpResponse<String> sync = pipeline.post("/replications", requestFor(vm));
        HttpResponse<String> secondTest = failovers.requestFailover(vm, "test", options());
        HttpResponse<String> live = failovers.requestFailover(vm, "live", options());

        // then: all refused, the test failover's state and VM kept
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(409);
        assertThat(json(sync).get("details").asString()).startsWith(
                "VM is failed over for a test and its test VM still exists; clean the test failover up first");
        assertThat(secondTest.statusCode()).as(secondTest.body()).isEqualTo(409);
        assertThat(json(secondTest).get("error").asString()).isEqualTo("VM is already failed over");
        assertThat(live.statusCode()).as(live.body()).isEqualTo(409);
        failovers.awaitContextStatus(vm, "failed_over_test");
        assertThat(failovers.cloudVm(targetVmId)).isPresent();

        // when: it is cleaned up
        HttpResponse<String> cleanup = pipeline.post("/failovers/" + failoverId + "/cleanup", "");

        // then: the test VM is gone and the VM is ready for failover again
        assertThat(cleanup.statusCode()).as(cleanup.body()).isEqualTo(202);
        JsonNode cleaned = failovers.awaitFailover(failoverId, f -> "cleaned_up".equals(f.get("status").asString()));
        assertThat(steps(cleaned)).endsWith("cleanup:completed");
        assertThat(failovers.cloudVm(targetVmId)).isEmpty();
        failovers.awaitContextStatus(vm, "ready_for_failover");

        // when: a new replication is requested
        HttpResponse<String> replication = pipeline.post("/replications", requestFor(vm));

        // then: accepted, incremental on the same volumes
        assertThat(replication.statusCode()).as(replication.body()).isEqualTo(201);
        assertThat(json(replication).get("replication_type").asString()).isEqualTo("incremental");
        assertThat(json(replication).get("created_volumes")).isEmpty();
        assertThat(json(replication).get("mounted_volumes")).hasSize(2);
    }

    private static String network(String name) {
        return pipeline.stack.cloudStack().config().networks().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow().id();
    }
}
