package io.migratekit.cli;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code migratekit failover test|live <vm>}: {@code POST /api/v1/failovers} for the VM, then follows
 * the failover until it ends (0 completed, 1 failed) unless {@code --no-wait}. A live failover
 * powers the source off: it asks for the VM's name as confirmation, showing the estimated downtime
 * ({@link DowntimeEstimate}), unless {@code --yes}; not confirmed, nothing is requested (exit 2).
 */
@Command(name = "failover", description = "Fail a VM over to CloudStack, as a test or live.")
final class FailoverCommand implements Callable<Integer> {

    static final Set<String> ENDED = Set.of("completed", "failed", "cleaned_up");

    /** The two kinds of failover. */
    enum Kind { test, live }

    @ParentCommand
    MigrateKitCli root;

    @Parameters(index = "0", paramLabel = "test|live", description = "test keeps the source running; live powers "
            + "it off after a final sync.")
    Kind kind;

    @Parameters(index = "1", paramLabel = "VM", description = "The VM's name.")
    String vm;

    @Option(names = "--yes", description = "Do not ask for confirmation of a live failover.")
    boolean yes;

    @Option(names = "--no-wait", description = "Return once the failover is accepted.")
    boolean noWait;

    @Option(names = "--test-network", description = "The CloudStack network of a test failover's VM.")
    String testNetwork;

    @Override
    public Integer call() {
        ApiClient api = root.api();
        if (kind == Kind.live && !yes) {
            confirm(api.get("/vm-contexts/" + ApiClient.segment(vm) + "/downtime-estimate"));
        }
        ObjectNode body = ApiClient.JSON.createObjectNode().put("vm_name", vm).put("failover_type", kind.name());
        if (testNetwork != null) {
            body.put("test_network", testNetwork);
        }
        JsonNode accepted = api.post("/failovers", body).body();
        String failoverId = Json.text(accepted, "failover_job_id");
        if (noWait) {
            if (root.json()) {
                root.printJson(accepted);
            } else {
                root.line("Failover " + Formats.safe(failoverId) + " of VM " + Formats.safe(vm) + ": "
                        + Formats.safe(Json.text(accepted, "status")));
            }
            return ExitCodes.DONE;
        }
        if (!root.json()) {
            root.line("Failover " + Formats.safe(failoverId) + " (" + kind + ") of VM " + Formats.safe(vm) + " "
                    + Formats.safe(Json.text(accepted, "status")));
        }
        JsonNode ended = FailoverFollow.until(root, api, failoverId, f -> ENDED.contains(Json.text(f, "status")));
        return outcome(root, ended);
    }

    /** Prints how a failover ended; answers 0 when it completed (or was cleaned up), 1 when it failed. */
    static int outcome(MigrateKitCli root, JsonNode failover) {
        String status = Json.text(failover, "status");
        boolean failed = "failed".equals(status);
        if (root.json()) {
            root.printJson(failover);
        } else {
            root.line("Failover " + Formats.safe(Json.text(failover, "failover_job_id")) + " " + Formats.safe(status)
                    + (failed ? " at " + Formats.safe(Json.text(failover, "failed_step")) + ": "
                            + Formats.safe(Json.text(failover, "error_message")) : "")
                    + (Json.has(failover, "target_vm_id") ? "; CloudStack VM " + Formats.safe(Json.text(failover,
                            "target_vm_id")) : ""));
        }
        return failed ? ExitCodes.FAILED : ExitCodes.DONE;
    }

    private void confirm(JsonNode estimate) {
        root.note("Live failover of VM " + Formats.safe(vm) + ": its source VM is powered off, a final incremental "
                + "sync runs, then the VM starts on CloudStack.");
        root.note(DowntimeEstimate.describe(estimate));
        root.terminal().err().print("Type the VM's name to confirm: ");
        root.terminal().err().flush();
        String answer;
        try {
            answer = root.terminal().in().readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.strip().equals(vm)) {
            throw CliFailure.of(ExitCodes.REFUSED, "live failover of VM " + vm + " not confirmed; nothing was "
                    + "requested");
        }
    }
}
