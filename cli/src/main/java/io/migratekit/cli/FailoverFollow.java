package io.migratekit.cli;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Following one failover through {@code GET /failovers/{id}} until it is where the command waits for
 * it: each step's start and end told once as a line (not with {@code --json}), a failover not yet
 * visible (it appears within seconds of its acceptance) waited for.
 */
final class FailoverFollow {

    static final Duration POLL = Duration.ofMillis(500);
    static final Duration APPEARS_WITHIN = Duration.ofSeconds(60);

    private FailoverFollow() {
    }

    /** The failover once {@code done} holds for it. */
    static JsonNode until(MigrateKitCli root, ApiClient api, String failoverId, Predicate<JsonNode> done) {
        Set<String> told = new HashSet<>();
        long appearBy = System.nanoTime() + APPEARS_WITHIN.toNanos();
        while (true) {
            JsonNode failover = api.find("/failovers/" + ApiClient.segment(failoverId)).orElse(null);
            if (failover == null && System.nanoTime() > appearBy) {
                throw CliFailure.of(ExitCodes.FAILED, "failover " + failoverId + " did not appear within "
                        + APPEARS_WITHIN.toSeconds() + " s");
            }
            if (failover != null) {
                for (JsonNode step : failover.path("steps")) {
                    String status = Json.text(step, "status");
                    if (told.add(Json.text(step, "step") + ":" + status) && !root.json()) {
                        String message = Json.text(step, "message");
                        root.line("  " + Formats.safe(Json.text(step, "step")) + ": " + Formats.safe(status)
                                + (message == null ? "" : " (" + Formats.safe(message) + ")"));
                    }
                }
                if (done.test(failover)) {
                    return failover;
                }
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliFailure.of(ExitCodes.FAILED, "interrupted");
            }
        }
    }

    /** The status of one step of the failover, or null when it has not started. */
    static String step(JsonNode failover, String name) {
        for (JsonNode step : failover.path("steps")) {
            if (name.equals(Json.text(step, "step"))) {
                return Json.text(step, "status");
            }
        }
        return null;
    }
}
