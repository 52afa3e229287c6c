package io.migratekit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code migratekit vm <name>}: one VM's context, its current job, its last jobs and its failovers
 * ({@code GET /vm-contexts/{name}} and {@code GET /failovers?vm_name=}).
 */
@Command(name = "vm", description = "Show one VM: its context, current job, last jobs and failovers.")
final class VmCommand implements Callable<Integer> {

    static final int LAST_JOBS = 10;

    @ParentCommand
    MigrateKitCli root;

    @Parameters(paramLabel = "NAME", description = "The VM's name.")
    String name;

    @Override
    public Integer call() {
        ApiClient api = root.api();
        JsonNode detail = api.get("/vm-contexts/" + ApiClient.segment(name));
        JsonNode failovers = api.get("/failovers?limit=" + VmsCommand.PAGE + "&vm_name=" + ApiClient.segment(name))
                .path("failovers");
        if (root.json()) {
            ObjectNode out = ((ObjectNode) detail).deepCopy();
            out.set("failovers", failovers);
            root.printJson(out);
            return ExitCodes.DONE;
        }
        JsonNode context = detail.path("context");
        root.line("VM " + Formats.safe(Json.text(context, "vm_name")) + "  (" + Formats.safe(Json.text(context,
                "context_id")) + ")");
        List<List<String>> facts = new ArrayList<>();
        facts.add(List.of("status", Json.text(context, "current_status", Formats.NONE)));
        facts.add(List.of("VMware id", Json.text(context, "vmware_vm_id", Formats.NONE)));
        facts.add(List.of("path", Json.text(context, "vm_path", Formats.NONE)));
        facts.add(List.of("vCenter", Json.text(context, "vcenter_host", Formats.NONE) + " / "
                + Json.text(context, "datacenter", Formats.NONE)));
        facts.add(List.of("jobs", Json.whole(context, "total_jobs_run") + " run, "
                + Json.whole(context, "successful_jobs") + " succeeded, " + Json.whole(context, "failed_jobs")
                + " failed"));
        JsonNode current = detail.path("current_job");
        facts.add(List.of("current job", current.isObject() ? Json.text(current, "job_id") + " "
                + Json.text(current, "status") + " " + Formats.percent(current.path("progress_percent").asDouble())
                : Formats.NONE));
        facts.add(List.of("failover", Json.text(context, "active_failover_id", Formats.NONE)));
        Formats.table(List.of("", ""), facts).stream().skip(1).map(line -> "  " + line).forEach(root::line);

        root.line("");
        root.line("Last jobs (newest first)");
        List<List<String>> jobs = new ArrayList<>();
        for (JsonNode job : detail.path("job_history")) {
            if (jobs.size() == LAST_JOBS) {
                break;
            }
            jobs.add(List.of(Json.text(job, "job_id", ""), Json.text(job, "replication_type", Formats.NONE),
                    Json.text(job, "status", Formats.NONE), Formats.percent(job.path("progress_percent").asDouble()),
                    Formats.bytes(Json.whole(job, "bytes_transferred")), Json.text(job, "created_at", Formats.NONE),
                    Formats.between(Json.text(job, "started_at"), Json.text(job, "completed_at")),
                    Json.text(job, "requested_by", Formats.NONE)));
        }
        indented(Formats.table(List.of("JOB", "TYPE", "STATUS", "PROGRESS", "COPIED", "CREATED", "DURATION",
                "REQUESTED BY"), jobs));

        root.line("");
        root.line("Failovers (newest first)");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode failover : failovers) {
            rows.add(List.of(Json.text(failover, "failover_job_id", ""), Json.text(failover, "failover_type", ""),
                    Json.text(failover, "status", Formats.NONE), Json.text(failover, "current_step", Formats.NONE),
                    Json.text(failover, "created_at", Formats.NONE),
                    Formats.between(Json.text(failover, "created_at"), Json.text(failover, "completed_at"))));
        }
        indented(Formats.table(List.of("FAILOVER", "TYPE", "STATUS", "STEP", "CREATED", "DURATION"), rows));
        return ExitCodes.DONE;
    }

    private void indented(List<String> lines) {
        lines.forEach(line -> root.line("  " + line));
    }
}
