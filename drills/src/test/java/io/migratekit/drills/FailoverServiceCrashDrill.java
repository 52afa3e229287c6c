package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.FailoverStepChanged;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Drill 3: failover-service is killed (SIGKILL) during each phase of a live failover — just after the
 * failover was accepted, while the source powers off, while it waits for the final sync, while the
 * target VM is built and while the context is updated — and started again. Each phase is made to last
 * a few seconds (slow power-off on the VMA, slow discovery of the final sync, a slow
 * {@code deployVirtualMachine} job on the CloudStack API simulator). Pass: every failover completes,
 * its steps in order and each recorded once (a step event re-published after the crash must carry the
 * same event id; the API's job_steps one row per step), one final sync job per failover, and in
 * CloudStack exactly one VM and one {@code deployVirtualMachine} job per failover (a restarted
 * failover-service waits on the job it recorded instead of deploying again).
 */
class FailoverServiceCrashDrill {

    /** The kill points: "accepted" is right after the API accepted the failover. */
    private static final List<String> KILL_AT = List.of("accepted", "source_power_off:started", "final_sync:started",
            "target_vm:started", "status_update:started");

    @Test
    void failoverServiceKilledInEveryPhaseCompletesEachFailoverInOrderOnce() throws Exception {
        DrillSettings settings = DrillSettings.allServices("drill3-failover-service-crash")
                .withSimulator(Map.of("VMA_SIM_COPY_RATE", "50GiB", "VMA_SIM_POWER_OFF_DELAY_MS", "6000"));
        try (DrillStack stack = DrillStack.start(settings); StepWatcher watcher = new StepWatcher(stack)) {
            DrillApi api = new DrillApi(stack);
            List<DrillApi.Vm> vms = api.inventory().subList(0, KILL_AT.size());
            api.requestEachOnce(vms);
            for (DrillApi.Vm vm : vms) {
                FailoverAudit.awaitContextStatus(api, vm.name(), "ready_for_failover");
            }
            CloudStackView cloud = new CloudStackView(stack);
            cloud.fault("{\"kind\": \"job_delay\", \"command\": \"deployVirtualMachine\", \"delay_ms\": 6000, "
                    + "\"times\": -1}");
            api.simulatorFaults(vms.get(2).id(), "{\"discovery_delay_ms\": 8000}");

            Map<String, String> failovers = new LinkedHashMap<>();
            List<String> figures = new ArrayList<>();
            for (int i = 0; i < KILL_AT.size(); i++) {
                DrillApi.Vm vm = vms.get(i);
                String killAt = KILL_AT.get(i);
                DrillApi.Answer accepted = api.requestFailover(vm.name(), "live");
                assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
                String failoverId = accepted.body().get("failover_job_id").asString();
                failovers.put(failoverId, killAt);
                if (!killAt.equals("accepted")) {
                    assertThat(watcher.await(failoverId, killAt, Duration.ofMinutes(3))).as(killAt).isTrue();
                }
                long killedAt = System.currentTimeMillis();
                stack.kill(DrillStack.FAILOVER);
                Duration restart = stack.restart(DrillStack.FAILOVER);
                JsonNode ended = FailoverAudit.awaitEnded(api, failoverId);
                figures.add(vm.name() + " killed at " + killAt + ": ready again " + restart.toMillis() + " ms after "
                        + "the restart; " + ended.get("status").asString() + " after "
                        + (System.currentTimeMillis() - killedAt) + " ms from the kill; phase still open at the kill: "
                        + phaseOpenAt(stack, failoverId, killAt, killedAt));
            }

            List<String> violations = FailoverAudit.liveViolations(stack, api, failovers.keySet());
            List<CloudStackView.Vm> targets = cloud.vms();
            long distinctNames = targets.stream().map(CloudStackView.Vm::name).distinct().count();
            List<CloudStackView.Job> deploys = cloud.jobs("deployVirtualMachine");
            DrillReport.record("Drill 3: crash of failover-service", String.join("\n- ", figures),
                    "step event records re-published with the same event id: "
                            + FailoverAudit.republishedStepEvents(stack, failovers.keySet()),
                    "VMs in CloudStack (but the appliance): " + targets.size() + " (distinct names " + distinctNames
                            + ", running " + targets.stream().filter(vm -> vm.state().equals("Running")).count()
                            + "); deployVirtualMachine jobs: " + deploys.size(),
                    "violations: " + violations);

            assertThat(violations).isEmpty();
            assertThat(targets).hasSize(KILL_AT.size());
            assertThat(distinctNames).isEqualTo(KILL_AT.size());
            assertThat(targets).allMatch(vm -> vm.state().equals("Running"));
            assertThat(deploys).hasSize(KILL_AT.size()).allMatch(job -> job.status() == 1);
        }
    }

    /**
     * Whether the phase the kill aimed at was still open when the process died: the step's completion
     * (for "accepted", the power-off's start) happened after the kill.
     */
    private static boolean phaseOpenAt(DrillStack stack, String failoverId, String killAt, long killedAt) {
        String step = killAt.equals("accepted") ? "source_power_off" : killAt.substring(0, killAt.indexOf(':'));
        String status = killAt.equals("accepted") ? "started" : "completed";
        return TopicRecords.ofType(TopicRecords.readAll(stack, List.of(Topics.FAILOVER_STEP_CHANGED)),
                FailoverStepChanged.class).stream()
                .filter(e -> e.getFailoverId().equals(failoverId) && e.getStep().name().equals(step)
                        && e.getStatus().name().equals(status))
                .anyMatch(e -> e.getOccurredAt().toEpochMilli() > killedAt);
    }
}
