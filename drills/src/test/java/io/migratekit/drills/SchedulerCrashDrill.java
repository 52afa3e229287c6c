package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.platform.schedule.ScheduleCron;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Drill: two scheduler-service processes fire a schedule every 15 seconds over a group of six VMs,
 * and three times the owner of a running execution is killed (SIGKILL) and started again (it
 * resumes that execution). Pass: every due time
 * between the schedule's creation and its disabling has exactly one execution (none twice, none
 * lost), every execution ended with counts that add up, and no execution started two jobs for one VM.
 */
class SchedulerCrashDrill {

    private static final String CRON = "*/15 * * * * *";
    private static final String SECOND = DrillStack.SCHEDULER + "#2";

    @Test
    void twoSchedulersKilledInTurnFireEveryDueTimeOnceAndEveryExecutionAddsUp() throws Exception {
        List<String> instances = new ArrayList<>(DrillSettings.ALL_SERVICES);
        instances.add(DrillStack.SCHEDULER);
        instances.add(SECOND);
        DrillSettings settings = DrillSettings.allServices("drill-scheduler-crash").withInstances(instances)
                .withSimulator(Map.of("VMA_SIM_COPY_RATE", "200MiB"));
        try (DrillStack stack = DrillStack.start(settings)) {
            DrillApi api = new DrillApi(stack);
            api.addVms("sched", 6);
            List<DrillApi.Vm> vms = api.inventory().stream().filter(vm -> vm.name().startsWith("sched-")).toList();
            assertThat(vms).hasSize(6);
            List<String> contexts = new ArrayList<>();
            for (DrillApi.Vm vm : vms) {
                DrillApi.Answer managed = api.send("POST", "/api/v1/replications", "{\"source_vm\": {\"id\": \""
                        + vm.id() + "\", \"name\": \"" + vm.name() + "\", \"path\": \"" + vm.path() + "\", "
                        + "\"datacenter\": \"" + vm.datacenter() + "\", \"vcenter_host\": \"vcenter.drill.local\"}, "
                        + "\"ossea_config_id\": 1, \"start_replication\": false}");
                assertThat(managed.status()).as(managed.raw()).isEqualTo(201);
                contexts.add(managed.body().get("context_id").asString());
            }
            DrillApi.Answer schedule = api.send("POST", "/api/v1/schedules", "{\"name\": \"drill\", "
                    + "\"cron_expression\": \"" + CRON + "\", \"max_concurrent_jobs\": 3, \"retry_attempts\": 0}");
            assertThat(schedule.status()).as(schedule.raw()).isEqualTo(202);
            String scheduleId = schedule.body().get("id").asString();
            await(() -> api.get("/api/v1/schedules/" + scheduleId).status() == 200, "the schedule is applied");
            DrillApi.Answer group = api.send("POST", "/api/v1/machine-groups", "{\"name\": \"drill\", \"schedule_id\": \""
                    + scheduleId + "\", \"max_concurrent_vms\": 2}");
            String groupId = group.body().get("id").asString();
            await(() -> api.get("/api/v1/machine-groups/" + groupId).status() == 200, "the group is applied");
            assertThat(api.send("POST", "/api/v1/machine-groups/" + groupId + "/vms", "{\"vm_context_ids\": [\""
                    + String.join("\", \"", contexts) + "\"]}").status()).isEqualTo(202);
            Instant from = Instant.parse(api.get("/api/v1/schedules/" + scheduleId).body().get("updated_at").asString());

            // when: three times, the instance running an execution is killed, and started again
            List<String> figures = new ArrayList<>();
            for (int kill = 0; kill < 3; kill++) {
                Thread.sleep(5_000);
                String owner = null;
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (owner == null) {
                    assertThat(System.nanoTime()).as("an execution runs within 2 minutes").isLessThan(deadline);
                    Thread.sleep(200);
                    owner = runningOwner(stack, scheduleId);
                }
                String instance = owner.equals(DrillStack.SCHEDULER) ? DrillStack.SCHEDULER : SECOND;
                stack.kill(instance);
                Thread.sleep(5_000);
                Duration restart = stack.restart(instance);
                figures.add(instance + " killed and ready again after " + restart.toMillis() + " ms");
            }
            Thread.sleep(20_000);
            assertThat(api.send("POST", "/api/v1/schedules/" + scheduleId + "/enable", "{\"enabled\": false}").status())
                    .isEqualTo(202);
            await(() -> !api.get("/api/v1/schedules/" + scheduleId).body().get("enabled").asBoolean(), "disabled");
            Instant disabled = Instant.parse(api.get("/api/v1/schedules/" + scheduleId).body().get("updated_at")
                    .asString());
            await(() -> unfinished(stack, scheduleId) == 0, "every execution ends");

            // then
            List<Instant> due = ScheduleCron.of(CRON, "UTC").dueBetween(from, disabled, 1000);
            List<String> violations = new ArrayList<>();
            List<Instant> fired = new ArrayList<>();
            try (Connection db = stack.database().getConnection(); Statement sql = db.createStatement()) {
                try (ResultSet rows = sql.executeQuery("SELECT due_at, status, vms_eligible, jobs_created, jobs_completed, "
                        + "jobs_failed, jobs_skipped, queued, owner FROM schedule_executions WHERE schedule_id = '"
                        + scheduleId + "' ORDER BY due_at")) {
                    while (rows.next()) {
                        Timestamp at = rows.getTimestamp(1);
                        fired.add(at.toInstant());
                        int eligible = rows.getInt(3);
                        int created = rows.getInt(4);
                        if (created + rows.getInt(7) + rows.getInt(8) != eligible
                                || rows.getInt(5) + rows.getInt(6) != created || rows.getInt(8) != 0) {
                            violations.add("counts of " + at.toInstant() + " do not add up");
                        }
                    }
                }
                try (ResultSet rows = sql.executeQuery("SELECT schedule_execution_id, vmware_vm_id, count(*) FROM "
                        + "replication_jobs WHERE schedule_execution_id LIKE 'exec-" + scheduleId + "-%' GROUP BY 1, 2 "
                        + "HAVING count(*) > 1")) {
                    while (rows.next()) {
                        violations.add(rows.getString(1) + " started " + rows.getInt(3) + " jobs for " + rows.getString(2));
                    }
                }
            }
            DrillReport.record("Drill: kill -9 of either of two scheduler-service processes", String.join("\n- ", figures),
                    "due times " + due.size() + ", executions " + fired.size(), "violations: " + violations);
            assertThat(fired).containsExactlyElementsOf(due);
            assertThat(violations).isEmpty();
        }
    }

    /** The instance id of the owner of a running execution with VMs, or null. */
    private static String runningOwner(DrillStack stack, String scheduleId) {
        try (Connection db = stack.database().getConnection(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT owner FROM schedule_executions WHERE schedule_id = '"
                        + scheduleId + "' AND status = 'running' AND vms_eligible > 0 LIMIT 1")) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int unfinished(DrillStack stack, String scheduleId) {
        try (Connection db = stack.database().getConnection(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT count(*) FROM schedule_executions WHERE schedule_id = '"
                        + scheduleId + "' AND completed_at IS NULL")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within 4 minutes");
            }
            Thread.sleep(500);
        }
    }
}
