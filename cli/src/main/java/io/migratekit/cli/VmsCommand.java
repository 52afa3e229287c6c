package io.migratekit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code migratekit vms}: every VM context (all pages of {@code GET /vm-contexts}) with its status,
 * its current job and that job's progress ({@code GET /replications/{job_id}}).
 */
@Command(name = "vms", description = "List every managed VM: name, status, current job, progress.")
final class VmsCommand implements Callable<Integer> {

    static final int PAGE = 200;

    @ParentCommand
    MigrateKitCli root;

    @Override
    public Integer call() {
        ApiClient api = root.api();
        ArrayNode vms = ApiClient.JSON.createArrayNode();
        for (int offset = 0; ; offset += PAGE) {
            JsonNode page = api.get("/vm-contexts?limit=" + PAGE + "&offset=" + offset);
            for (JsonNode context : page.path("vm_contexts")) {
                vms.add(row(api, context));
            }
            if (page.path("vm_contexts").size() < PAGE) {
                break;
            }
        }
        if (root.json()) {
            root.printJson(vms);
            return ExitCodes.DONE;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode vm : vms) {
            Double percent = Json.number(vm, "progress_percent");
            rows.add(List.of(Json.text(vm, "name", ""), Json.text(vm, "status", Formats.NONE),
                    Json.text(vm, "current_job_id", Formats.NONE),
                    percent == null ? Formats.NONE : Formats.percent(percent)));
        }
        Formats.table(List.of("NAME", "STATUS", "CURRENT JOB", "PROGRESS"), rows).forEach(root::line);
        return ExitCodes.DONE;
    }

    private static ObjectNode row(ApiClient api, JsonNode context) {
        ObjectNode vm = ApiClient.JSON.createObjectNode()
                .put("name", Json.text(context, "vm_name"))
                .put("status", Json.text(context, "current_status"))
                .put("context_id", Json.text(context, "context_id"))
                .put("vmware_vm_id", Json.text(context, "vmware_vm_id"))
                .put("current_job_id", Json.text(context, "current_job_id"));
        String jobId = Json.text(context, "current_job_id");
        JsonNode job = jobId == null ? null : api.find("/replications/" + ApiClient.segment(jobId)).orElse(null);
        if (job != null) {
            vm.put("job_status", Json.text(job, "status"));
            vm.put("progress_percent", Json.number(job, "progress_percent"));
        } else {
            vm.putNull("job_status");
            vm.putNull("progress_percent");
        }
        return vm;
    }
}
