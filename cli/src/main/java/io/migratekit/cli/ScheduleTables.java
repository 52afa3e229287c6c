package io.migratekit.cli;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * How schedules, machine groups and executions show as tables, from the API's JSON (the
 * {@code items} of a page). Pure; the commands that fetch them are {@link SchedulesCommand}'s.
 */
final class ScheduleTables {

    private ScheduleTables() {
    }

    static List<String> schedules(JsonNode items) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : items) {
            rows.add(List.of(Json.text(s, "id", ""), Json.text(s, "name", ""), Json.text(s, "cron_expression", ""),
                    Json.text(s, "timezone", ""), Json.text(s, "replication_type", ""),
                    String.valueOf(Json.whole(s, "max_concurrent_jobs")),
                    s.path("enabled").asBoolean(false) ? "yes" : "no"));
        }
        return Formats.table(List.of("ID", "NAME", "CRON", "TIMEZONE", "TYPE", "MAX JOBS", "ENABLED"), rows);
    }

    static List<String> groups(JsonNode items) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode g : items) {
            rows.add(List.of(Json.text(g, "id", ""), Json.text(g, "name", ""), Json.text(g, "schedule_id", Formats.NONE),
                    String.valueOf(Json.whole(g, "max_concurrent_vms")), String.valueOf(Json.whole(g, "priority")),
                    String.valueOf(Json.whole(g, "member_count"))));
        }
        return Formats.table(List.of("ID", "NAME", "SCHEDULE", "MAX VMS", "PRIORITY", "VMS"), rows);
    }

    /** Executions, newest first: who triggered each, when it started, its counts and its status. */
    static List<String> executions(JsonNode items) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : items) {
            rows.add(List.of(Json.text(e, "id", ""), Json.text(e, "triggered_by", Formats.NONE),
                    Json.text(e, "started_at", Formats.NONE),
                    String.valueOf(Json.whole(e, "vms_eligible")), String.valueOf(Json.whole(e, "jobs_created")),
                    String.valueOf(Json.whole(e, "jobs_completed")), String.valueOf(Json.whole(e, "jobs_failed")),
                    String.valueOf(Json.whole(e, "jobs_skipped")), Json.text(e, "status", Formats.NONE)));
        }
        return Formats.table(List.of("ID", "TRIGGER", "STARTED", "ELIGIBLE", "CREATED", "COMPLETED", "FAILED",
                "SKIPPED", "STATUS"), rows);
    }
}
