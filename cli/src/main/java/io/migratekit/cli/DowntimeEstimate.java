package io.migratekit.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The final sync's share of a live failover's downtime, estimated from the VM's own recent
 * incremental syncs: the mean duration (start to completion) of its last completed incremental
 * jobs. Powering the source off and starting the target VM come on top. Pure.
 */
public final class DowntimeEstimate {

    static final int RECENT = 5;

    private DowntimeEstimate() {
    }

    /** The estimate from a job history (newest first), or empty when the VM has no completed incremental sync. */
    public static Optional<Duration> finalSync(JsonNode jobHistory) {
        List<Duration> durations = new ArrayList<>();
        for (JsonNode job : jobHistory) {
            if (durations.size() == RECENT) {
                break;
            }
            Instant started = Formats.instant(Json.text(job, "started_at"));
            Instant completed = Formats.instant(Json.text(job, "completed_at"));
            if ("incremental".equals(Json.text(job, "replication_type")) && "completed".equals(Json.text(job, "status"))
                    && started != null && completed != null) {
                durations.add(Duration.between(started, completed));
            }
        }
        return durations.isEmpty() ? Optional.empty()
                : Optional.of(durations.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(durations.size()));
    }

    /** The sentence the live failover's confirmation shows. */
    public static String describe(JsonNode jobHistory) {
        int count = 0;
        for (JsonNode job : jobHistory) {
            if ("incremental".equals(Json.text(job, "replication_type")) && "completed".equals(Json.text(job, "status"))) {
                count++;
            }
        }
        int used = Math.min(count, RECENT);
        return finalSync(jobHistory).map(estimate -> "Estimated downtime: the final incremental sync takes about "
                        + Formats.duration(estimate) + " (mean of the last " + used + " incremental sync"
                        + (used == 1 ? "" : "s") + "), plus powering the source off and starting the VM on CloudStack.")
                .orElse("Estimated downtime: unknown, this VM has no completed incremental sync to estimate the final "
                        + "sync from; add powering the source off and starting the VM on CloudStack.");
    }
}
