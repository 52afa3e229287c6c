package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.JobStarted;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Drill 10: two instances each of job-service, progress-service and failover-service share the
 * partitions. With replication jobs running and more requests coming, the second job-service and the
 * second progress-service are killed (SIGKILL, not restarted); later, with live failovers under way,
 * the second failover-service is. Pass: the survivors take the work over — every request one outcome,
 * no VM with two active jobs, every job ends once, the read model equals the topics' replay, every
 * failover completes with each step once — and the API answers for every VM.
 */
class ScaleOutDrill {

    private static final int FAILOVERS = 6;

    @Test
    void killingOneOfTwoInstancesHandsItsWorkToTheOther() throws Exception {
        DrillSettings settings = DrillSettings.allServices("drill10-scale-out")
                .withInstances(List.of(DrillStack.JOB_SERVICE, DrillStack.JOB_SERVICE + "#2", DrillStack.JOB_INTAKE,
                        DrillStack.DISCOVERY, DrillStack.PROGRESS, DrillStack.PROGRESS + "#2", DrillStack.FAILOVER,
                        DrillStack.FAILOVER + "#2"))
                .withSimulator(Map.of("VMA_SIM_COPY_RATE", "10GiB", "VMA_SIM_POWER_OFF_DELAY_MS", "3000"));
        try (DrillStack stack = DrillStack.start(settings); StepWatcher watcher = new StepWatcher(stack)) {
            DrillApi api = new DrillApi(stack);
            List<DrillApi.Vm> vms = api.inventory();
            Set<String> accepted = new HashSet<>(api.requestEachOnce(vms));
            int started = awaitStartedJobs(stack, vms.size() / 3);
            RequestLoad load = RequestLoad.start(api, vms, 150, 2, Duration.ofMillis(200), Duration.ofSeconds(10));
            stack.kill(DrillStack.JOB_SERVICE + "#2");
            stack.kill(DrillStack.PROGRESS + "#2");
            load.awaitDone(Duration.ofMinutes(5));
            accepted.addAll(load.accepted());
            long begin = System.nanoTime();
            PipelineAudit.Result jobs = PipelineAudit.awaitSettled(stack, accepted, Duration.ofMinutes(10));
            long jobsSettledMs = (System.nanoTime() - begin) / 1_000_000;

            List<DrillApi.Vm> failedOver = vms.subList(0, FAILOVERS);
            List<String> failoverIds = new ArrayList<>();
            for (DrillApi.Vm vm : failedOver) {
                FailoverAudit.awaitContextStatus(api, vm.name(), "ready_for_failover");
                DrillApi.Answer answer = api.requestFailover(vm.name(), "live");
                assertThat(answer.status()).as(answer.raw()).isEqualTo(202);
                failoverIds.add(answer.body().get("failover_job_id").asString());
            }
            assertThat(watcher.await(failoverIds.get(FAILOVERS - 1), "source_power_off:started",
                    Duration.ofMinutes(3))).isTrue();
            stack.kill(DrillStack.FAILOVER + "#2");
            begin = System.nanoTime();
            for (String failoverId : failoverIds) {
                FailoverAudit.awaitEnded(api, failoverId);
            }
            long failoversEndedMs = (System.nanoTime() - begin) / 1_000_000;
            List<String> failoverViolations = FailoverAudit.liveViolations(stack, api, failoverIds);
            PipelineAudit.Result afterFailovers = PipelineAudit.awaitSettled(stack, accepted, Duration.ofMinutes(5));
            List<String> unanswered = new ArrayList<>();
            for (DrillApi.Vm vm : vms) {
                DrillApi.Answer context = api.get("/api/v1/vm-contexts/" + vm.name());
                String expected = failedOver.contains(vm) ? "failed_over_live" : "ready_for_failover";
                if (context.status() != 200
                        || !expected.equals(context.body().get("context").get("current_status").asString())) {
                    unanswered.add(vm.name() + ": " + context.status() + " " + context.raw());
                }
            }
            DrillReport.record("Drill 10: scale-out",
                    "instances " + settings.instances(),
                    "requests " + accepted.size() + " accepted (" + vms.size() + " first, then " + load.answers().size()
                            + " more during the kill, answers by status " + load.statuses() + ")",
                    "job-service#2 and progress-service#2 killed with " + started + " jobs started; jobs settled "
                            + jobsSettledMs + " ms after the load ended: " + jobs.figures(),
                    "failover-service#2 killed with " + FAILOVERS + " live failovers under way; all ended "
                            + failoversEndedMs + " ms later; step event records re-published with the same event id: "
                            + FailoverAudit.republishedStepEvents(stack, failoverIds) + "; violations "
                            + failoverViolations,
                    "after the failovers: " + afterFailovers.figures() + "; violations " + afterFailovers.violations(),
                    "VMs whose context query did not answer as expected: " + unanswered);

            assertThat(load.statuses()).containsOnlyKeys(202);
            assertThat(afterFailovers.requestsWithoutOutcome()).isEmpty();
            assertThat(afterFailovers.unfinishedJobs()).isZero();
            assertThat(afterFailovers.violations()).isEmpty();
            assertThat(failoverViolations).isEmpty();
            assertThat(unanswered).isEmpty();
        }
    }

    static int awaitStartedJobs(DrillStack stack, int atLeast) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            int started = TopicRecords.ofType(TopicRecords.readAll(stack, List.of(Topics.JOB_STARTED)),
                    JobStarted.class).size();
            if (started >= atLeast) {
                return started;
            }
            ChildProcess.sleep(Duration.ofSeconds(1));
        }
        throw new IllegalStateException("fewer than " + atLeast + " jobs started within 5 minutes");
    }
}
