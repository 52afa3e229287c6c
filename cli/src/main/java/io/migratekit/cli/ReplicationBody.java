package io.migratekit.cli;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code POST /api/v1/replications} body of the canonical pattern for one VM: its identity
 * (VMware id, name, inventory path, vCenter, datacenter) from its context when the VM is managed,
 * else from the flags, which also override the context; the CloudStack target from the flag, else
 * the VM's latest job; {@code replication_type} left out for "auto" (the pipeline decides);
 * {@code start_replication} false for "add to management only". The VM's specification (CPUs,
 * memory, disks, networks) is left to the pipeline's fresh discovery. Pure.
 */
public final class ReplicationBody {

    /** What the operator gave on the command line; null when not given. */
    public record Flags(String type, boolean noStart, String vmId, String vmPath, String vcenter, String datacenter,
            Long osseaConfigId, String targetNetwork) {
    }

    private ReplicationBody() {
    }

    /**
     * The body for the VM named {@code vmName}; {@code detail} is its {@code GET /vm-contexts/{name}}
     * answer or null when the VM is not managed. Refuses when the identity is incomplete.
     */
    public static ObjectNode of(String vmName, JsonNode detail, Flags flags) {
        JsonNode context = detail == null ? null : detail.path("context");
        String id = pick(flags.vmId(), Json.text(context, "vmware_vm_id"));
        String path = pick(flags.vmPath(), Json.text(context, "vm_path"));
        String vcenter = pick(flags.vcenter(), Json.text(context, "vcenter_host"));
        String datacenter = pick(flags.datacenter(), Json.text(context, "datacenter"));
        List<String> missing = new ArrayList<>();
        if (id == null) {
            missing.add("--vm-id");
        }
        if (path == null) {
            missing.add("--vm-path");
        }
        if (vcenter == null) {
            missing.add("--vcenter");
        }
        if (datacenter == null) {
            missing.add("--datacenter");
        }
        if (!missing.isEmpty()) {
            throw CliFailure.of(ExitCodes.REFUSED, (detail == null ? "VM " + vmName + " is not managed yet" : "the "
                    + "context of VM " + vmName + " lacks its identity") + ": give " + String.join(", ", missing));
        }
        if (flags.type() != null && !List.of("auto", "initial", "incremental").contains(flags.type())) {
            throw CliFailure.of(ExitCodes.REFUSED, "--type must be auto, initial or incremental, not " + flags.type());
        }
        ObjectNode body = ApiClient.JSON.createObjectNode();
        ObjectNode vm = body.putObject("source_vm");
        vm.put("id", id).put("name", vmName).put("path", path);
        vm.put("vm_id", id).put("vm_name", vmName).put("vm_path", path);
        vm.put("datacenter", datacenter).put("vcenter_host", vcenter);
        vm.putArray("disks");
        vm.putArray("networks");
        Long target = flags.osseaConfigId() != null ? flags.osseaConfigId() : latestTarget(detail);
        if (target != null) {
            body.put("ossea_config_id", target);
        }
        if (flags.type() != null && !"auto".equals(flags.type())) {
            body.put("replication_type", flags.type());
        }
        if (flags.targetNetwork() != null) {
            body.put("target_network", flags.targetNetwork());
        }
        body.put("vcenter_host", vcenter).put("datacenter", datacenter);
        body.put("start_replication", !flags.noStart());
        return body;
    }

    private static Long latestTarget(JsonNode detail) {
        if (detail == null) {
            return null;
        }
        for (JsonNode job : detail.path("job_history")) {
            if (job.hasNonNull("ossea_config_id")) {
                return job.get("ossea_config_id").asLong();
            }
        }
        return null;
    }

    private static String pick(String flag, String fromContext) {
        return flag != null && !flag.isBlank() ? flag : fromContext;
    }
}
