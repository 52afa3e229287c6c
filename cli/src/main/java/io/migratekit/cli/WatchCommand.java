package io.migratekit.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code migratekit watch <job|vm>}: follows a job's server-sent event stream
 * ({@code GET /replications/{job_id}/events}: the events so far, then each new one, ending with the
 * job) until the job ends, and exits with its outcome (0 completed, 1 failed). A VM name means its
 * current job, else its latest. On a terminal the per-disk bars are redrawn in place; otherwise
 * each event is one plain line; with {@code --json} each event is one JSON line. A stream that ends
 * before the job did is opened again (its replay is skipped by event id).
 */
@Command(name = "watch", description = "Follow a job (by job id, or a VM's current or latest job) until it ends.")
final class WatchCommand implements Callable<Integer> {

    static final int REOPENS = 5;
    static final String ESC = "\u001b[";

    @ParentCommand
    MigrateKitCli root;

    @Parameters(paramLabel = "JOB|VM", description = "A job id (job-...) or a VM name.")
    String target;

    private int drawn;

    @Override
    public Integer call() {
        ApiClient api = root.api();
        String jobId = jobOf(api, target);
        JobWatch watch = new JobWatch(jobId);
        Set<String> seen = new HashSet<>();
        for (int opened = 0; opened <= REOPENS && !watch.ended(); opened++) {
            if (opened > 0) {
                pause();
            }
            SseEvent.Parser parser = new SseEvent.Parser();
            api.stream("/replications/" + ApiClient.segment(jobId) + "/events", line -> {
                parser.line(line).filter(event -> event.id() == null || seen.add(event.id()))
                        .ifPresent(event -> show(watch, event));
                return !watch.ended();
            });
        }
        if (!watch.ended()) {
            throw CliFailure.of(ExitCodes.FAILED, "the event stream of job " + jobId + " ended " + (REOPENS + 1)
                    + " times before the job did");
        }
        return watch.exitCode();
    }

    /** The job a target names: a job id as it is, a VM's current job, else its latest one. */
    static String jobOf(ApiClient api, String target) {
        if (target.startsWith("job-")) {
            return target;
        }
        JsonNode detail = api.get("/vm-contexts/" + ApiClient.segment(target));
        String current = Json.text(detail.path("context"), "current_job_id");
        if (current != null) {
            return current;
        }
        JsonNode history = detail.path("job_history");
        if (history.isEmpty()) {
            throw CliFailure.of(ExitCodes.REFUSED, "VM " + target + " has no replication job to watch");
        }
        return Json.text(history.get(0), "job_id");
    }

    private void show(JobWatch watch, SseEvent event) {
        JsonNode data;
        try {
            data = ApiClient.JSON.readTree(event.data());
        } catch (JacksonException e) {
            root.note("migratekit: skipped an unreadable " + Formats.safe(event.type()) + " event");
            return;
        }
        List<String> lines = watch.apply(event.type(), data);
        if (root.json()) {
            root.printJson(ApiClient.JSON.createObjectNode().put("id", event.id()).put("type", event.type())
                    .set("data", data));
        } else if (!root.terminal().tty()) {
            lines.forEach(root::line);
        } else {
            redraw(watch, event.type(), lines);
        }
        root.terminal().out().flush();
    }

    /** On a terminal: the bars stay at the bottom, redrawn in place; other events print above them. */
    private void redraw(JobWatch watch, String type, List<String> lines) {
        if (drawn > 0) {
            root.terminal().out().print(ESC + drawn + "F" + ESC + "J");
        }
        if (!"JobProgress".equals(type) && !watch.ended()) {
            lines.forEach(root::line);
        }
        List<String> block = watch.progressed() ? watch.block() : List.of();
        block.forEach(root::line);
        drawn = block.size();
        if (watch.ended()) {
            lines.forEach(root::line);
            drawn = 0;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.of(ExitCodes.FAILED, "interrupted");
        }
    }
}
