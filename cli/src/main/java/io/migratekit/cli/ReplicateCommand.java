package io.migratekit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code migratekit replicate <vm>}: {@code POST /api/v1/replications} for the VM, its identity taken
 * from its context when it is managed ({@link ReplicationBody}); answers what the API answered: the
 * job started, the VM added to management, or the request accepted with the URL of its outcome.
 */
@Command(name = "replicate", description = "Replicate a VM now (or with --no-start add it to management only).")
final class ReplicateCommand implements Callable<Integer> {

    @ParentCommand
    MigrateKitCli root;

    @Parameters(paramLabel = "VM", description = "The VM's name.")
    String vm;

    @Option(names = "--type", paramLabel = "auto|initial|incremental", defaultValue = "auto",
            description = "The replication type; auto lets the pipeline choose (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--no-start", description = "Add the VM to management without replicating it.")
    boolean noStart;

    @Option(names = "--vm-id", description = "The VMware VM id (BIOS UUID); needed when the VM is not managed yet.")
    String vmId;

    @Option(names = "--vm-path", description = "The VM's inventory path; needed when the VM is not managed yet.")
    String vmPath;

    @Option(names = "--vcenter", description = "The vCenter host; needed when the VM is not managed yet.")
    String vcenter;

    @Option(names = "--datacenter", description = "The datacenter; needed when the VM is not managed yet.")
    String datacenter;

    @Option(names = "--ossea-config-id", description = "The CloudStack target (default: the VM's latest job's).")
    Long osseaConfigId;

    @Option(names = "--target-network", description = "The CloudStack network of the target.")
    String targetNetwork;

    @Override
    public Integer call() {
        ApiClient api = root.api();
        JsonNode detail = api.find("/vm-contexts/" + ApiClient.segment(vm)).orElse(null);
        JsonNode body = ReplicationBody.of(vm, detail, new ReplicationBody.Flags(type, noStart, vmId, vmPath, vcenter,
                datacenter, osseaConfigId, targetNetwork));
        ApiClient.Answer answer = api.post("/replications", body);
        if (root.json()) {
            root.printJson(answer.body());
            return ExitCodes.DONE;
        }
        JsonNode out = answer.body();
        String name = Formats.safe(vm);
        if (answer.status() == 202) {
            root.line("Accepted: " + Formats.safe(Json.text(out, "message")) + " (" + Formats.safe(Json.text(out,
                    "outcome_url")) + ")");
        } else if (Json.has(out, "job_id")) {
            root.line("Job " + Formats.safe(Json.text(out, "job_id")) + " started: " + Formats.safe(Json.text(out,
                    "replication_type")) + " replication of VM " + name + " (migratekit watch "
                    + Formats.safe(Json.text(out, "job_id")) + " follows it)");
        } else {
            root.line("VM " + name + " added to management: context " + Formats.safe(Json.text(out, "context_id"))
                    + ", status " + Formats.safe(Json.text(out, "current_status")));
        }
        return ExitCodes.DONE;
    }
}
