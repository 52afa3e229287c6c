package io.migratekit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code migratekit cleanup <vm>}: cleans up the VM's latest failover
 * ({@code POST /failovers/{id}/cleanup}; the API refuses anything but a completed test failover, 409)
 * and follows it until the test VM is gone (0) or its deletion failed (1), unless {@code --no-wait}.
 */
@Command(name = "cleanup", description = "Remove a VM's completed test failover and return it to ready_for_failover.")
final class CleanupCommand implements Callable<Integer> {

    @ParentCommand
    MigrateKitCli root;

    @Parameters(paramLabel = "VM", description = "The VM's name.")
    String vm;

    @Option(names = "--no-wait", description = "Return once the cleanup is requested.")
    boolean noWait;

    @Override
    public Integer call() {
        ApiClient api = root.api();
        JsonNode latest = api.get("/failovers?limit=1&vm_name=" + ApiClient.segment(vm)).path("failovers").path(0);
        if (!latest.isObject()) {
            throw CliFailure.of(ExitCodes.REFUSED, "VM " + vm + " has no failover to clean up");
        }
        String failoverId = Json.text(latest, "failover_job_id");
        JsonNode requested = api.post("/failovers/" + ApiClient.segment(failoverId) + "/cleanup", null).body();
        if (noWait) {
            if (root.json()) {
                root.printJson(requested);
            } else {
                root.line("Cleanup of failover " + Formats.safe(failoverId) + " requested");
            }
            return ExitCodes.DONE;
        }
        if (!root.json()) {
            root.line("Cleaning up failover " + Formats.safe(failoverId) + " of VM " + Formats.safe(vm));
        }
        JsonNode ended = FailoverFollow.until(root, api, failoverId, f -> "cleaned_up".equals(Json.text(f, "status"))
                || !"cleaning_up".equals(Json.text(f, "status")) && "failed".equals(FailoverFollow.step(f, "cleanup")));
        if ("cleaned_up".equals(Json.text(ended, "status"))) {
            return FailoverCommand.outcome(root, ended);
        }
        if (root.json()) {
            root.printJson(ended);
        } else {
            root.line("Cleanup of failover " + Formats.safe(failoverId) + " failed; the test VM "
                    + Formats.safe(Json.text(ended, "target_vm_id")) + " is still there");
        }
        return ExitCodes.FAILED;
    }
}
