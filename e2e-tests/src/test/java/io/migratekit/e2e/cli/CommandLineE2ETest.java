package io.migratekit.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.e2e.Pipeline;
import io.migratekit.e2e.cli.Cli.Run;
import io.migratekit.vmasim.SimVm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every command of the command line against the standalone stack (VMA and CloudStack simulators):
 * a VM taken from "add to management" through replications, a test failover and its cleanup, to a
 * live failover, with the {@code --json} output parsed and the human output read; each exit code
 * proven: 0 done, 1 a failed job, 2 a 409 / 404 / 401 / an unconfirmed live failover (with the
 * server's message), 3 a closed port. Once also as a process, through the wrapper script.
 */
class CommandLineE2ETest {

    /** A disk the simulated copy engine copies in a fraction of a second. */
    private static final long SMALL_DISK = 256L * 1024 * 1024;
    private static final String VCENTER = "vcenter.e2e.local";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    static Cli cli;

    @BeforeAll
    static void stack() {
        cli = new Cli(Pipeline.get());
    }

    private static SimVm newVm(String prefix, int disks) {
        SimVm.Builder builder = SimVm.builder(prefix + "-" + SEQUENCE.incrementAndGet()).folder("e2e-cli");
        for (int i = 0; i < disks; i++) {
            builder.disk(SMALL_DISK);
        }
        return cli.pipeline.stack.simulator().inventory().add(builder);
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(event -> event.get("type").asString()).toList();
    }

    @Test
    void aVmGoesFromManagementThroughReplicationsATestFailoverAndItsCleanupToALiveFailover() {
        SimVm vm = newVm("cli", 2);

        // when: the VM is added to management by its identity
        Run added = cli.run("replicate", vm.name(), "--no-start", "--vm-id", vm.id(), "--vm-path", vm.path(),
                "--vcenter", VCENTER, "--datacenter", vm.datacenter(), "--json");
        // then: a context, no job
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(added.json().get("vm_name").asString()).isEqualTo(vm.name());
        assertThat(added.json().get("vmware_vm_id").asString()).isEqualTo(vm.id());
        assertThat(added.json().get("context_id").asString()).startsWith("ctx-");
        assertThat(added.json().has("job_id")).isFalse();

        // when: it is added again: then 409 with the server's message, exit 2
        Run again = cli.run("replicate", vm.name(), "--no-start", "--json");
        assertThat(again.exit()).as(again.toString()).isEqualTo(2);
        assertThat(again.json().get("http_status").asInt()).isEqualTo(409);
        assertThat(again.json().get("error").asString()).isEqualTo("VM already exists in management");
        assertThat(again.err()).startsWith("migratekit: VM already exists in management");

        // when: it is replicated (its identity now from its context) and the job watched as JSON lines
        Run initial = cli.run("replicate", vm.name(), "--type", "initial", "--json");
        assertThat(initial.exit()).as(initial.toString()).isZero();
        String initialJob = initial.json().get("job_id").asString();
        assertThat(initial.json().get("replication_type").asString()).isEqualTo("initial");
        Run watched = cli.run("watch", initialJob, "--json");
        // then: the job's events from its creation to its completion, exit 0
        assertThat(watched.exit()).as(watched.toString()).isZero();
        List<JsonNode> events = watched.jsonLines();
        // (whether a JobProgress comes depends on a 2 s progress poll meeting a copy of a fraction of a
        // second: between start and end only progress and change ids may come, and nothing twice)
        List<String> types = types(events);
        assertThat(types.subList(0, 2)).containsExactly("JobCreated", "JobStarted");
        assertThat(types.get(types.size() - 1)).isEqualTo("JobCompleted");
        assertThat(types.subList(2, types.size() - 1)).isSubsetOf("JobProgress", "ChangeIdRecorded");
        assertThat(types).filteredOn("ChangeIdRecorded"::equals).hasSize(2);
        assertThat(events.stream().map(event -> event.get("id").asString()).distinct()).hasSize(events.size());
        assertThat(events).allSatisfy(event -> assertThat(event.get("data").get("job_id").asString())
                .isEqualTo(initialJob));
        assertThat(events.get(events.size() - 1).get("data").get("bytes_transferred").asLong())
                .isEqualTo(2 * SMALL_DISK);
        // when: watched on a terminal: then bars drawn for progress are redrawn in place (erased, drawn
        // again), those of the end are drawn once, full, with the outcome below them
        Run onTerminal = cli.runOnTerminal("watch", initialJob);
        assertThat(onTerminal.exit()).as(onTerminal.toString()).isZero();
        List<String> screen;
        if (types.contains("JobProgress")) {
            assertThat(onTerminal.out()).contains("\u001b[");
            screen = List.of(onTerminal.out().substring(onTerminal.out().lastIndexOf("\u001b[J") + 3).split("\\R"));
        } else {
            // the copy ended between two progress polls: nothing to redraw, plain lines up to the end
            assertThat(onTerminal.out()).doesNotContain("\u001b[");
            List<String> all = List.of(onTerminal.out().split("\\R"));
            screen = all.subList(all.size() - 4, all.size());
        }
        assertThat(screen.get(0)).startsWith("job " + initialJob + " 100.0%");
        assertThat(screen.subList(1, 3)).allSatisfy(line -> assertThat(line)
                .matches("  \\S+ \\[#{24}\\] 100\\.0%  256\\.0 MiB of 256\\.0 MiB  .*"));
        assertThat(screen.get(3)).startsWith("job " + initialJob + " completed: 512.0 MiB in ");
        assertThat(screen).hasSize(4);
        cli.awaitStatus(vm.name(), "ready_for_failover");

        // when: the estate is listed: then the VM is there, ready, with no current job
        Run vmsJson = cli.run("vms", "--json");
        assertThat(vmsJson.exit()).isZero();
        List<JsonNode> mine = new ArrayList<>();
        vmsJson.json().forEach(row -> {
            if (vm.name().equals(row.get("name").asString())) {
                mine.add(row);
            }
        });
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("status").asString()).isEqualTo("ready_for_failover");
        assertThat(mine.get(0).get("vmware_vm_id").asString()).isEqualTo(vm.id());
        assertThat(mine.get(0).get("current_job_id").isNull()).isTrue();
        assertThat(mine.get(0).get("progress_percent").isNull()).isTrue();
        Run vmsText = cli.run("vms");
        assertThat(vmsText.exit()).isZero();
        assertThat(vmsText.lines().get(0)).matches("NAME +STATUS +CURRENT JOB +PROGRESS");
        assertThat(vmsText.lines()).anySatisfy(line -> assertThat(line)
                .matches(vm.name() + " +ready_for_failover +- +-"));

        // when: replicated again with the type left to the pipeline, watched by VM name as plain lines
        Run auto = cli.run("replicate", vm.name());
        assertThat(auto.exit()).as(auto.toString()).isZero();
        assertThat(auto.lines()).singleElement(InstanceOfAssertFactories.STRING).startsWith("Job job-")
                .contains(": incremental replication of VM " + vm.name());
        String incrementalJob = auto.out().split(" ")[1];
        cli.awaitLatestJob(vm.name(), incrementalJob);
        Run followed = cli.run("watch", vm.name());
        assertThat(followed.exit()).as(followed.toString()).isZero();
        assertThat(followed.lines().get(0)).isEqualTo("job " + incrementalJob + " created: incremental replication of "
                + "VM " + vm.name());
        assertThat(followed.lines().get(1)).isEqualTo("job " + incrementalJob + " started: the VMA copies 2 disk(s)");
        assertThat(followed.lines().get(followed.lines().size() - 1))
                .matches("job " + incrementalJob + " completed: .* in \\d+s");
        cli.awaitStatus(vm.name(), "ready_for_failover");

        // when: the VM is shown: then its context, both jobs newest first, no failover
        Run shown = cli.run("vm", vm.name(), "--json");
        assertThat(shown.exit()).isZero();
        assertThat(shown.json().get("context").get("successful_jobs").asInt()).isEqualTo(2);
        assertThat(shown.json().get("job_history").findValuesAsString("job_id"))
                .containsExactly(incrementalJob, initialJob);
        assertThat(shown.json().get("failovers").size()).isZero();
        Run shownText = cli.run("vm", vm.name());
        assertThat(shownText.lines().get(0)).startsWith("VM " + vm.name() + "  (ctx-");
        assertThat(shownText.out()).contains("status       ready_for_failover", "2 run, 2 succeeded, 0 failed",
                "Last jobs (newest first)", "Failovers (newest first)");
        assertThat(shownText.out().indexOf(incrementalJob)).isLessThan(shownText.out().indexOf(initialJob));

        // when: a test failover, then its cleanup
        Run test = cli.run("failover", "test", vm.name(), "--json");
        assertThat(test.exit()).as(test.toString()).isZero();
        assertThat(test.json().get("failover_type").asString()).isEqualTo("test");
        assertThat(test.json().get("status").asString()).isEqualTo("completed");
        assertThat(test.json().get("steps").size()).isPositive();
        String testFailover = test.json().get("failover_job_id").asString();
        Run cleanup = cli.run("cleanup", vm.name(), "--json");
        assertThat(cleanup.exit()).as(cleanup.toString()).isZero();
        assertThat(cleanup.json().get("failover_job_id").asString()).isEqualTo(testFailover);
        assertThat(cleanup.json().get("status").asString()).isEqualTo("cleaned_up");
        cli.awaitStatus(vm.name(), "ready_for_failover");

        // when: a live failover is not confirmed: then nothing is requested, exit 2, the downtime estimate shown
        Run unconfirmed = cli.run(cli.env(), "not-the-name\n", "failover", "live", vm.name());
        assertThat(unconfirmed.exit()).as(unconfirmed.toString()).isEqualTo(2);
        assertThat(unconfirmed.out()).isEmpty();
        assertThat(unconfirmed.err()).contains("Estimated downtime: about ",
                "final incremental sync: ", "(median of this VM's last 1 incremental sync)",
                "Type the VM's name to confirm: ",
                "migratekit: live failover of VM " + vm.name() + " not confirmed; nothing was requested");
        assertThat(cli.run("vm", vm.name(), "--json").json().get("failovers").size()).isEqualTo(1);

        // when: confirmed by typing the name (plain lines), it runs to completion
        Run live = cli.run(cli.env(), vm.name() + "\n", "failover", "live", vm.name());
        assertThat(live.exit()).as(live.toString()).isZero();
        assertThat(live.lines().get(0)).matches("Failover failover-\\S+ \\(live\\) of VM " + vm.name()
                + " (validated|pending)");
        assertThat(live.lines().get(live.lines().size() - 1)).matches("Failover failover-\\S+ completed; CloudStack "
                + "VM \\S+");
        JsonNode failedOver = cli.awaitStatus(vm.name(), "failed_over_live");
        assertThat(failedOver.get("failovers").findValuesAsString("failover_type")).containsExactly("live", "test");

        // when: a test failover of a VM already failed over live: then the server's refusal, exit 2
        Run refused = cli.run("failover", "test", vm.name(), "--json");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.json().get("http_status").asInt()).isEqualTo(409);
        assertThat(refused.err()).startsWith("migratekit: " + refused.json().get("error").asString());
    }

    @Test
    void aJobThatFailsIsExitOneWithItsReason() {
        // given: a VM whose copy the VMA reports failed at 75 %
        SimVm vm = newVm("cli-fail", 1);
        cli.pipeline.stack.simulator().faults().forVm(vm.id()).failCopyAt(75);
        Run added = cli.run("replicate", vm.name(), "--vm-id", vm.id(), "--vm-path", vm.path(), "--vcenter", VCENTER,
                "--datacenter", vm.datacenter(), "--json");
        assertThat(added.exit()).as(added.toString()).isZero();
        String job = added.json().get("job_id").asString();
        cli.awaitLatestJob(vm.name(), job);

        // when: its job is watched, by the VM's name
        Run watched = cli.run("watch", vm.name());

        // then: the last line says why, exit 1
        assertThat(watched.exit()).as(watched.toString()).isEqualTo(1);
        assertThat(watched.lines().get(watched.lines().size() - 1))
                .startsWith("job " + job + " failed at ").contains(": VMA_REPORTED_FAILURE: ");
        assertThat(watched.out()).doesNotContain("completed:");
        Run json = cli.run("watch", job, "--json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(types(json.jsonLines())).endsWith("JobFailed").doesNotContain("JobCompleted");
    }

    @Test
    void everyRefusalPrintsTheServersMessageAndIsExitTwo() throws IOException {
        String unknown = "no-such-vm-" + SEQUENCE.incrementAndGet();

        Run vm = cli.run("vm", unknown);
        Run watch = cli.run("watch", "job-20260101-000000000-abcdef", "--json");
        Run cleanup = cli.run("cleanup", unknown);
        Run failover = cli.run("failover", "test", unknown, "--json");
        Path wrongToken = Files.createTempFile("wrong-token-", "");
        Files.writeString(wrongToken, "not-the-token-4711", StandardCharsets.UTF_8);
        Run unauthorized = cli.run("vms", "--token-file", wrongToken.toString());

        assertThat(vm.exit()).isEqualTo(2);
        assertThat(vm.out()).isEmpty();
        assertThat(vm.err()).isEqualTo("migratekit: VM context not found: No VM context for VM " + unknown
                + System.lineSeparator());
        assertThat(watch.exit()).isEqualTo(2);
        assertThat(watch.json().get("http_status").asInt()).isEqualTo(404);
        assertThat(watch.json().get("error").asString()).isEqualTo("Replication job not found");
        assertThat(cleanup.exit()).isEqualTo(2);
        assertThat(cleanup.err()).isEqualTo("migratekit: VM " + unknown + " has no failover to clean up"
                + System.lineSeparator());
        assertThat(failover.exit()).isEqualTo(2);
        assertThat(failover.json().get("http_status").asInt()).isEqualTo(404);
        assertThat(failover.json().get("details").asString()).isEqualTo("No VM context for VM " + unknown);
        assertThat(unauthorized.exit()).isEqualTo(2);
        assertThat(unauthorized.err()).startsWith("migratekit: ").isNotEqualTo("migratekit: " + System.lineSeparator());
        assertThat(unauthorized.out() + unauthorized.err()).doesNotContain("not-the-token-4711")
                .doesNotContain(cli.pipeline.stack.apiToken());
    }

    @Test
    void aClosedPortIsExitThree() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = cli.env();
        env.put("MIGRATEKIT_API", "http://127.0.0.1:" + port);

        Run run = cli.run(env, "", "vms", "--json");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.json().get("exit_code").asInt()).isEqualTo(3);
        assertThat(run.err()).isEqualTo("migratekit: the API at http://127.0.0.1:" + port + "/api/v1 is unreachable "
                + "(cannot connect)" + System.lineSeparator());
    }

    @Test
    void theWrapperScriptRunsTheJarAsAProcess() throws Exception {
        SimVm vm = newVm("cli-process", 1);
        assertThat(cli.run("replicate", vm.name(), "--no-start", "--vm-id", vm.id(), "--vm-path", vm.path(),
                "--vcenter", VCENTER, "--datacenter", vm.datacenter()).exit()).isZero();
        Path script = Path.of("").toAbsolutePath().getParent().resolve("migratekit");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "vm", vm.name(), "--json")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(cli.env());
        builder.environment().put("MIGRATEKIT_CONFIG", "/dev/null");

        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        JsonNode detail = Cli.JSON.readTree(out);
        assertThat(detail.get("context").get("vm_name").asString()).isEqualTo(vm.name());
        assertThat(detail.get("context").get("current_status").asString()).isEqualTo("discovered");
        assertThat(detail.get("job_history").size()).isZero();
    }
}
