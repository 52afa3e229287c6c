package io.migratekit.e2e;

import static io.migratekit.e2e.FailoverSupport.only;
import static io.migratekit.e2e.FailoverSupport.options;
import static io.migratekit.e2e.FailoverSupport.steps;
import static io.migratekit.e2e.Pipeline.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.PowerFailure;
import io.migratekit.vmasim.PowerState;
import io.migratekit.vmasim.SimVm;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A live failover that cannot finish says so: it fails naming the step and the reason, powers the
 * source back on when it had powered it off, never builds a target VM, and frees the VM's context.
 */
class FailedFailoverE2ETest {

    static Pipeline pipeline;
    static FailoverSupport failovers;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
        failovers = new FailoverSupport(pipeline);
    }

    @Test
    void aFinalSyncWhoseCopyFailsFailsTheFailoverAndPowersTheSourceBackOn() {
        // given: a replicated VM whose next copy will fail half way
        SimVm vm = failovers.replicatedVm("fail-copy", 1);
        pipeline.stack.simulator().faults().forVm(vm.id()).failCopyAt(50);

        // when
        String failoverId = failovers.acceptedFailover(vm, "live", options());

        // then
        JsonNode failover = failovers.awaitEnded(failoverId);
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("failed");
        assertThat(failover.get("failed_step").asString()).isEqualTo("final_sync");
        assertThat(failover.get("error_message").asString()).startsWith("final sync job " + failover.get(
                "final_sync_job_id").asString() + " failed at ");
        assertThat(failover.get("source_powered_back_on").asBoolean()).isTrue();
        assertThat(failover.get("target_vm_id").isNull()).isTrue();
        assertThat(steps(failover)).containsExactly("validation:completed", "source_power_off:completed",
                "final_sync:failed", "rollback:completed");
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(failovers.awaitContextStatus(vm, "ready_for_failover").get("active_failover_id").isNull()).isTrue();
        FailoverFailed failed = single(failovers.events(vm, Topics.FAILOVER_FAILED), FailoverFailed.class);
        assertThat(failed.getFailedStep()).isEqualTo(FailoverStep.final_sync);
        assertThat(failed.getReason()).isEqualTo(failover.get("error_message").asString());
        assertThat(failed.getSourcePoweredBackOn()).isTrue();
        assertThat(failovers.cloudVmsOf(failoverId)).isEmpty();
    }

    @Test
    void aFinalSyncPastItsDeadlineFailsTheFailover() {
        // given: a replicated VM whose next copy stalls, and a deadline of three minutes (9 s on the test stack)
        SimVm vm = failovers.replicatedVm("fail-deadline", 1);
        pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(50);

        // when
        String failoverId = failovers.acceptedFailover(vm, "live", options().put("final_sync_deadline_minutes", 3));

        // then: failed at the final sync for its deadline, source back on; the stalled job stays the VM's job
        JsonNode failover = failovers.awaitEnded(failoverId);
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("failed");
        assertThat(failover.get("failed_step").asString()).isEqualTo("final_sync");
        assertThat(failover.get("error_message").asString())
                .contains("did not complete within its deadline of 3 minute(s)");
        assertThat(failover.get("source_powered_back_on").asBoolean()).isTrue();
        assertThat(steps(failover)).containsExactly("validation:completed", "source_power_off:completed",
                "final_sync:failed", "rollback:completed");
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
        JsonNode context = failovers.awaitContextStatus(vm, "replicating");
        assertThat(context.get("active_failover_id").isNull()).isTrue();
        assertThat(context.get("current_job_id").asString()).isEqualTo(failover.get("final_sync_job_id").asString());
    }

    @Test
    void aPowerOffTheVmaRefusesFailsTheFailoverBeforeAnySync() {
        // given
        SimVm vm = failovers.replicatedVm("fail-power-off", 1);
        pipeline.stack.simulator().faults().forVm(vm.id()).powerOffFailure(PowerFailure.REPORTED);

        // when
        String failoverId = failovers.acceptedFailover(vm, "live", options());

        // then: failed at the power-off, nothing synced, nothing to roll back
        JsonNode failover = failovers.awaitEnded(failoverId);
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("failed");
        assertThat(failover.get("failed_step").asString()).isEqualTo("source_power_off");
        assertThat(failover.get("error_message").asString()).isEqualTo("the VMA did not power off source VM " + vm.id()
                + ": power-off failed: simulated vCenter task failure");
        assertThat(failover.get("source_powered_back_on").asBoolean()).isFalse();
        assertThat(failover.get("final_sync_request_id").isNull()).isTrue();
        assertThat(steps(failover)).containsExactly("validation:completed", "source_power_off:failed");
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
        failovers.awaitContextStatus(vm, "ready_for_failover");
        List<SpecificRecord> requests = failovers.events(vm, Topics.REPLICATION_REQUESTED);
        assertThat(only(requests, ReplicationRequested.class)).extracting(r -> r.getRequest().getFailoverId())
                .containsExactly((String) null);
        assertThat(json(pipeline.get("/replications?vm_name=" + vm.name())).get("count").asInt()).isEqualTo(1);
    }

    private static <T> T single(List<SpecificRecord> events, Class<T> type) {
        List<T> found = only(events, type);
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
