package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Drill 4: progress-service is killed (SIGKILL) while replication jobs run on the VMA, stays down
 * while some of them end there, and is started again. Pass: every job completes, each with exactly one
 * terminal event, and the read model shows each at 100 %.
 */
class ProgressServiceCrashDrill {

    @Test
    void progressServiceKilledWithJobsRunningCompletesEveryJobOnce() throws Exception {
        DrillSettings settings = DrillSettings.allServices("drill4-progress-service-crash")
                .withSimulator(Map.of("VMA_SIM_COPY_RATE", "10GiB"));
        try (DrillStack stack = DrillStack.start(settings)) {
            DrillApi api = new DrillApi(stack);
            List<DrillApi.Vm> vms = api.inventory();
            Set<String> accepted = api.requestEachOnce(vms);
            int running = ScaleOutDrill.awaitStartedJobs(stack, vms.size() / 2);
            stack.kill(DrillStack.PROGRESS);
            int activeOnVmaAtKill = activeVmaJobs(api);
            ChildProcess.sleep(Duration.ofSeconds(15));
            int activeOnVmaAtRestart = activeVmaJobs(api);
            Duration restart = stack.restart(DrillStack.PROGRESS);
            long begin = System.nanoTime();
            PipelineAudit.Result result = PipelineAudit.awaitSettled(stack, accepted, Duration.ofMinutes(8));
            List<String> notAtFull = jobsNotAtFullProgress(stack);
            DrillReport.record("Drill 4: crash of progress-service",
                    "requests " + accepted.size() + " (one per VM of the demo inventory, copy rate 10 GiB/s per job)",
                    "progress-service killed with " + running + " jobs started, " + activeOnVmaAtKill
                            + " copying on the VMA; down 15 s (" + activeOnVmaAtRestart + " still copying at restart);"
                            + " ready again " + restart.toMillis() + " ms after its restart",
                    "settled " + (System.nanoTime() - begin) / 1_000_000 + " ms after the restart",
                    result.figures(),
                    "violations: " + result.violations(),
                    "completed jobs not at 100 % in the read model: " + notAtFull);

            assertThat(result.requestsWithoutOutcome()).isEmpty();
            assertThat(result.unfinishedJobs()).isZero();
            assertThat(result.violations()).isEmpty();
            assertThat(result.jobs()).isEqualTo(vms.size());
            assertThat(result.completed()).isEqualTo(vms.size());
            assertThat(notAtFull).isEmpty();
        }
    }

    /** Jobs the simulator is still copying. */
    static int activeVmaJobs(DrillApi api) {
        return api.simulatorJobs().stream().mapToInt(job -> "in_progress".equals(job) ? 1 : 0).sum();
    }

    static List<String> jobsNotAtFullProgress(DrillStack stack) throws SQLException {
        List<String> jobs = new ArrayList<>();
        try (Connection db = stack.database().getConnection(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery(
                        "SELECT id, progress_percent FROM replication_jobs WHERE status = 'completed'")) {
            while (rows.next()) {
                if (rows.getDouble(2) != 100.0) {
                    jobs.add(rows.getString(1) + " at " + rows.getDouble(2) + " %");
                }
            }
        }
        return jobs;
    }
}
