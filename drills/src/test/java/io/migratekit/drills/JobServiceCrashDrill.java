package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drill 2: job-service is killed (SIGKILL) in the middle of a load of replication requests and
 * started again. Pass: no VM ever has two active jobs, every accepted request ends with exactly one
 * outcome event, every job ends once, and the read model equals a replay of the topics; in CloudStack
 * (the simulator's persisted state) every replication volume exists once by name, is attached to the
 * appliance, and was created by exactly one succeeded {@code createVolume} job.
 */
class JobServiceCrashDrill {

    @Test
    void jobServiceKilledUnderLoadLosesAndDuplicatesNothing() throws InterruptedException {
        DrillSettings settings = DrillSettings.allServices("drill2-job-service-crash")
                .withSimulator(Map.of("VMA_SIM_COPY_RATE", "50GiB"));
        try (DrillStack stack = DrillStack.start(settings)) {
            DrillApi api = new DrillApi(stack);
            RequestLoad load = RequestLoad.steady(api, 300);
            load.awaitAnswered(100);
            stack.kill(DrillStack.JOB_SERVICE);
            int answeredAtKill = load.answered();
            Duration restart = stack.restart(DrillStack.JOB_SERVICE);
            load.awaitDone(Duration.ofMinutes(5));
            long begin = System.nanoTime();
            PipelineAudit.Result result = PipelineAudit.awaitSettled(stack, load.accepted(), Duration.ofMinutes(6));
            CloudStackView cloud = new CloudStackView(stack);
            List<CloudStackView.Volume> volumes = cloud.dataVolumes();
            long distinctNames = volumes.stream().map(CloudStackView.Volume::name).distinct().count();
            String appliance = stack.cloudStackWorld().applianceVm().id();
            long onAppliance = volumes.stream().filter(v -> appliance.equals(v.virtualMachineId())).count();
            List<CloudStackView.Job> creates = cloud.jobs("createVolume");
            DrillReport.record("Drill 2: crash of job-service",
                    "requests " + load.answers().size() + ", answers by status " + load.statuses()
                            + ", slowest answer " + load.slowest().toMillis() + " ms",
                    "job-service killed after " + answeredAtKill + " answers; ready again " + restart.toMillis()
                            + " ms after its restart",
                    "settled " + (System.nanoTime() - begin) / 1_000_000 + " ms after the load ended",
                    result.figures(),
                    "violations: " + result.violations(),
                    "requests without outcome: " + result.requestsWithoutOutcome(),
                    "CloudStack: data volumes " + volumes.size() + " (distinct names " + distinctNames
                            + ", attached to the appliance " + onAppliance + "), createVolume jobs " + creates.size());

            assertThat(load.statuses()).containsOnlyKeys(202);
            assertThat(result.requestsWithoutOutcome()).isEmpty();
            assertThat(result.unfinishedJobs()).isZero();
            assertThat(result.violations()).isEmpty();
            assertThat(result.outcomes()).isEqualTo(result.accepted());
            assertThat(volumes).isNotEmpty();
            assertThat(distinctNames).isEqualTo(volumes.size());
            assertThat(onAppliance).isEqualTo(volumes.size());
            assertThat(creates).hasSize(volumes.size()).allMatch(job -> job.status() == 1);
        }
    }
}
