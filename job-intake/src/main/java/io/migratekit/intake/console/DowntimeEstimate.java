package io.migratekit.intake.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The rule behind a live failover's downtime estimate, shown before the operator confirms: the source
 * is down from its power-off until the target VM runs, so downtime = power-off + final incremental
 * sync + target VM creation. Each part is the median of this VM's recent ones (the latest
 * {@value #SAMPLES}): incremental syncs that completed, and the {@code source_power_off} and
 * {@code target_vm} steps of its past failovers (a test failover creates a target VM too); with no
 * past one, power-off and target VM take a stated default and the final sync is unknown (no
 * incremental sync yet), which the answer says. Pure: no clock, no database.
 */
public final class DowntimeEstimate {

    /** How many of the latest durations of each part count. */
    public static final int SAMPLES = 5;
    /** A guest's clean shutdown when this VM was never powered off by a failover. */
    public static final Duration DEFAULT_POWER_OFF = Duration.ofSeconds(60);
    /** Creating and starting the target VM when this VM never had one. */
    public static final Duration DEFAULT_TARGET_VM = Duration.ofSeconds(120);

    private DowntimeEstimate() {
    }

    /** Something that started and ended (either may be null when it did not). */
    public record Span(Instant start, Instant end) {
    }

    /** One part of the downtime: its seconds (null when unknown) and what they are based on. */
    public record Part(Long seconds, String basis) {
    }

    /** The estimate: its parts, and their sum ({@code complete} false when a part is unknown). */
    public record Estimate(Part powerOff, Part finalSync, Part targetVm, long totalSeconds, boolean complete) {
    }

    /**
     * @param incrementalSyncs this VM's completed incremental jobs, newest first
     * @param powerOffs        its failovers' completed power-off steps, newest first
     * @param targetVms        its failovers' completed target-VM steps, newest first
     */
    public static Estimate of(List<Span> incrementalSyncs, List<Span> powerOffs, List<Span> targetVms) {
        Part powerOff = part(powerOffs, "power-off", DEFAULT_POWER_OFF);
        Part finalSync = part(incrementalSyncs, "incremental sync", null);
        Part targetVm = part(targetVms, "target VM creation", DEFAULT_TARGET_VM);
        List<Part> parts = List.of(powerOff, finalSync, targetVm);
        long total = parts.stream().map(Part::seconds).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
        return new Estimate(powerOff, finalSync, targetVm, total, parts.stream().allMatch(p -> p.seconds() != null));
    }

    private static Part part(List<Span> spans, String what, Duration fallback) {
        List<Long> seconds = spans.stream().filter(span -> span.start() != null && span.end() != null)
                .map(span -> Math.max(0, Duration.between(span.start(), span.end()).toSeconds()))
                .limit(SAMPLES).sorted().toList();
        if (!seconds.isEmpty()) {
            int n = seconds.size();
            long median = n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2) + 1) / 2;
            return new Part(median, "median of this VM's last " + n + " " + what + (n == 1 ? "" : "s"));
        }
        return fallback == null ? new Part(null, "unknown: this VM has had no " + what + " yet")
                : new Part(fallback.toSeconds(), "default: this VM has had no " + what + " yet");
    }
}
