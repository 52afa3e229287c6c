package io.migratekit.cli;

import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The live failover's confirmation text from the API's downtime estimate
 * ({@code GET /vm-contexts/{vm}/downtime-estimate}: power-off + final incremental sync + target VM,
 * each with its seconds and basis). The rule of the estimate is the server's, shared with the web
 * console; this class only renders it. Pure.
 */
public final class DowntimeEstimate {

    private DowntimeEstimate() {
    }

    /** The lines the confirmation shows: the total, then each part with what it is based on. */
    public static String describe(JsonNode estimate) {
        StringBuilder text = new StringBuilder("Estimated downtime: about ")
                .append(Formats.duration(Duration.ofSeconds(estimate.path("total_seconds").asLong())));
        if (!estimate.path("complete").asBoolean()) {
            text.append(" plus the final incremental sync (unknown)");
        }
        part(text, "power-off", estimate.path("power_off"));
        part(text, "final incremental sync", estimate.path("final_sync"));
        part(text, "target VM", estimate.path("target_vm"));
        return text.toString();
    }

    private static void part(StringBuilder text, String label, JsonNode part) {
        JsonNode seconds = part.path("seconds");
        text.append(System.lineSeparator()).append("  ").append(label).append(": ")
                .append(seconds.isNumber() ? Formats.duration(Duration.ofSeconds(seconds.asLong())) : "unknown")
                .append(" (").append(Formats.safe(Json.text(part, "basis"))).append(')');
    }
}
