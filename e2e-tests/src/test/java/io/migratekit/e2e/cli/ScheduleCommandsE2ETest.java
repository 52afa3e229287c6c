package io.migratekit.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.e2e.Pipeline;
import io.migratekit.e2e.cli.Cli.Run;
import io.migratekit.vmasim.SimVm;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code migratekit schedules ...} against the standalone stack: a group with a VM put on a schedule
 * from the terminal, triggered, its execution followed through {@code schedules executions} until it
 * completed with exact counts; a cron of 7 fields refused with the field named, exit 2.
 */
class ScheduleCommandsE2ETest {

    /** A disk the simulated copy engine copies in a fraction of a second. */
    private static final long SMALL_DISK = 256L * 1024 * 1024;

    static Cli cli;

    @BeforeAll
    static void stack() {
        cli = new Cli(Pipeline.get());
    }

    private static boolean hasItem(Run run, String field, String value) {
        return StreamSupport.stream(run.json().spliterator(), false)
                .anyMatch(item -> value.equals(item.path(field).asString()));
    }

    @Test
    void aGroupWithAVmIsScheduledTriggeredAndItsExecutionCompletesWithExactCounts() {
        // given: a managed VM
        SimVm vm = cli.pipeline.stack.simulator().inventory().add(SimVm.builder("cli-sched-" + System.nanoTime())
                .folder("e2e-cli").disk(SMALL_DISK));
        Run added = cli.run("replicate", vm.name(), "--no-start", "--vm-id", vm.id(), "--vm-path", vm.path(),
                "--vcenter", "vcenter.e2e.local", "--datacenter", vm.datacenter(), "--json");
        assertThat(added.exit()).as(added.toString()).isZero();

        // when: a schedule that does not fire during the test is created
        String name = "cli-" + vm.name();
        Run created = cli.run("schedules", "create", "--name", name, "--cron", "0 0 1 1 *", "--timezone",
                "Europe/Paris", "--max-concurrent-jobs", "2", "--retry-attempts", "0");
        // then: the id the API returned is printed, and the schedule shows a moment later
        assertThat(created.exit()).as(created.toString()).isZero();
        String scheduleId = created.out().strip();
        assertThat(scheduleId).isNotBlank().doesNotContain(" ");
        JsonNode shown = cli.await("schedule " + scheduleId, run -> true, "schedules", "show", name, "--json").json();
        assertThat(shown.get("schedule").get("id").asString()).isEqualTo(scheduleId);
        assertThat(shown.get("schedule").get("cron_expression").asString()).isEqualTo("0 0 1 1 *");
        assertThat(shown.get("schedule").get("timezone").asString()).isEqualTo("Europe/Paris");
        assertThat(shown.get("schedule").get("max_concurrent_jobs").asInt()).isEqualTo(2);
        assertThat(shown.get("schedule").get("enabled").asBoolean()).isTrue();
        assertThat(shown.get("groups")).isEmpty();
        assertThat(shown.get("latest_execution").isNull()).isTrue();
        assertThat(cli.run("schedules", "list").lines()).anyMatch(line -> line.startsWith(scheduleId + "  " + name
                + "  0 0 1 1 *  Europe/Paris  auto  2  "));

        // when: a group on it (named by the schedule's name) gets the VM (by its name)
        Run group = cli.run("schedules", "groups", "create", "--name", name, "--schedule", name, "--json");
        assertThat(group.exit()).as(group.toString()).isZero();
        String groupId = group.json().get("id").asString();
        assertThat(group.json().get("schedule_id").asString()).isEqualTo(scheduleId);
        cli.await("group " + groupId, run -> hasItem(run, "id", groupId), "schedules", "groups", "list", "--json");
        Run member = cli.run("schedules", "groups", "add-vm", name, vm.name(), "--json");
        assertThat(member.exit()).as(member.toString()).isZero();
        assertThat(member.json().get("added")).extracting(JsonNode::asString)
                .containsExactly(added.json().get("context_id").asString());
        cli.await("the VM in group " + groupId, run -> StreamSupport.stream(run.json().spliterator(), false)
                .anyMatch(g -> groupId.equals(g.path("id").asString()) && g.path("member_count").asInt() == 1),
                "schedules", "groups", "list", "--json");

        // when: the schedule is triggered
        Run triggered = cli.run("schedules", "trigger", scheduleId, "--reason", "cli e2e");
        assertThat(triggered.exit()).as(triggered.toString()).isZero();
        String executionId = triggered.out().strip();
        assertThat(executionId).startsWith("exec-manual-");

        // then: its execution completes with exactly one VM replicated, in the table and in JSON
        Run ended = cli.await("execution " + executionId + " completed", run -> run.lines().stream()
                .anyMatch(line -> line.startsWith(executionId + " ") && line.endsWith(" completed")),
                "schedules", "executions", scheduleId);
        assertThat(ended.lines()).hasSize(2);
        assertThat(ended.lines().get(0).split("\\s+")).containsExactly("ID", "TRIGGER", "STARTED", "ELIGIBLE",
                "CREATED", "COMPLETED", "FAILED", "SKIPPED", "STATUS");
        String[] row = ended.lines().get(1).split("\\s+");
        assertThat(List.of(row[0], row[1], row[3], row[4], row[5], row[6], row[7], row[8]))
                .containsExactly(executionId, "operator", "1", "1", "1", "0", "0", "completed");
        Run asJson = cli.run("schedules", "executions", name, "--json");
        assertThat(asJson.exit()).as(asJson.toString()).isZero();
        assertThat(asJson.json()).hasSize(1);
        JsonNode execution = asJson.json().get(0);
        assertThat(execution.get("reason").asString()).isEqualTo("cli e2e");
        assertThat(execution.get("vms")).hasSize(1);
        assertThat(execution.get("vms").get(0).get("vmware_vm_id").asString()).isEqualTo(vm.id());
        assertThat(execution.get("vms").get(0).get("status").asString()).isEqualTo("completed");

        // when: the schedule is disabled
        Run disabled = cli.run("schedules", "enable", scheduleId, "--off");
        // then: it shows disabled a moment later
        assertThat(disabled.exit()).as(disabled.toString()).isZero();
        assertThat(disabled.out()).isEqualTo("Schedule " + scheduleId + " disabled\n");
        cli.await("schedule " + scheduleId + " disabled", run -> !run.json().get("schedule").get("enabled").asBoolean(),
                "schedules", "show", scheduleId, "--json");
    }

    @Test
    void aCronOfSevenFieldsIsRefusedWithTheFieldNamedAndNothingIsCreated() {
        // when
        String name = "cli-refused-" + System.nanoTime();
        Run refused = cli.run("schedules", "create", "--name", name, "--cron", "0 0 0 1 1 * 2027", "--json");

        // then: 400 with the server's message, exit 2
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.json().get("http_status").asInt()).isEqualTo(400);
        assertThat(refused.json().get("details").asString()).contains("cron_expression").contains("7 fields");
        assertThat(refused.err()).startsWith("migratekit: ").contains("cron_expression");
        // and: no schedule of that name (a refused write publishes nothing; the show is refused too)
        Run show = cli.run("schedules", "show", name);
        assertThat(show.exit()).isEqualTo(2);
        assertThat(show.err()).isEqualTo("migratekit: no schedule with the id or name " + name + "\n");
    }
}
