package io.migratekit.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What is known of one watched job from its events ({@code JobCreated}, {@code JobStarted},
 * {@code JobProgress}, {@code ChangeIdRecorded}, {@code JobCompleted}, {@code JobFailed}) and how it
 * is shown: one plain line per event (a log, when the output is not a terminal), or a block of
 * per-disk progress bars with MB/s and ETA (redrawn in place on a terminal). Knows when the job
 * ended and with which exit code. Pure.
 */
public final class JobWatch {

    static final int BAR_WIDTH = 24;

    private final String jobId;
    private final Map<String, Disk> disks = new LinkedHashMap<>();
    private String type;
    private double percent;
    private long transferred;
    private long total;
    private double throughput;
    private Long etaSeconds;
    private String outcome;
    private String ending;

    /** One disk's copy as the latest progress showed it. */
    record Disk(String id, String label, long transferred, long total, double percent, double throughput,
            String status) {
    }

    public JobWatch(String jobId) {
        this.jobId = jobId;
    }

    /** Takes one event in; answers the plain line that tells it (empty for an event of another job or type). */
    public List<String> apply(String eventType, JsonNode data) {
        if (!jobId.equals(Json.text(data, "job_id"))) {
            return List.of();
        }
        String job = "job " + Formats.safe(jobId);
        switch (eventType) {
            case "JobCreated" -> {
                type = Json.text(data, "replication_type");
                String vm = Json.text(data.path("vm"), "name");
                return List.of(job + " created: " + Formats.safe(type) + " replication of VM " + Formats.safe(vm));
            }
            case "JobStarted" -> {
                type = Json.text(data, "replication_type", type);
                return List.of(job + " started: the VMA copies " + data.path("volumes").size() + " disk(s)");
            }
            case "JobProgress" -> {
                progress(data);
                return List.of(summary() + diskSummary());
            }
            case "ChangeIdRecorded" -> {
                return List.of(job + ": disk " + Formats.safe(Json.text(data, "disk_id")) + " change id recorded");
            }
            case "JobCompleted" -> {
                outcome = "completed";
                long bytes = Json.whole(data, "bytes_transferred");
                disks(data);
                percent = 100;
                transferred = bytes;
                total = Math.max(transferred, disks.values().stream().mapToLong(Disk::total).sum());
                ending = job + " completed: " + Formats.bytes(bytes) + " in "
                        + Formats.duration(Duration.ofMillis(Json.whole(data, "duration_ms")));
                return List.of(ending);
            }
            case "JobFailed" -> {
                outcome = "failed";
                ending = job + " failed at " + Formats.safe(Json.text(data, "step")) + ": "
                        + Formats.safe(Json.text(data, "reason")) + ": " + Formats.safe(Json.text(data, "message"));
                return List.of(ending);
            }
            default -> {
                return List.of();
            }
        }
    }

    private void progress(JsonNode data) {
        percent = Json.number(data, "percent") == null ? percent : Json.number(data, "percent");
        transferred = Json.whole(data, "bytes_transferred");
        total = Json.whole(data, "total_bytes");
        throughput = Json.number(data, "throughput_mbps") == null ? 0 : Json.number(data, "throughput_mbps");
        etaSeconds = data.hasNonNull("eta_seconds") ? data.get("eta_seconds").asLong() : null;
        disks(data);
    }

    /** The per-disk figures of a progress report, or of the completion (as the VMA last reported them). */
    private void disks(JsonNode data) {
        for (JsonNode disk : data.path("disks")) {
            String id = Json.text(disk, "disk_id", "?");
            disks.put(id, new Disk(id, Json.text(disk, "label"), Json.whole(disk, "bytes_transferred"),
                    Json.whole(disk, "total_bytes"), Json.number(disk, "percent") == null ? 0
                            : Json.number(disk, "percent"),
                    Json.number(disk, "throughput_mbps") == null ? 0 : Json.number(disk, "throughput_mbps"),
                    Json.text(disk, "status")));
        }
    }

    /** The whole job: percent, bytes, rate and ETA (the VMA's while it gives one). */
    String summary() {
        String eta = etaSeconds != null && !ended() ? Formats.duration(Duration.ofSeconds(etaSeconds))
                : Formats.eta(transferred, total, throughput);
        return "job " + Formats.safe(jobId) + " " + Formats.percent(percent) + "  " + Formats.bytes(transferred)
                + " of " + Formats.bytes(total) + "  " + Formats.rate(throughput) + "  ETA " + eta;
    }

    private String diskSummary() {
        StringBuilder line = new StringBuilder();
        disks.values().forEach(disk -> line.append("  | ").append(Formats.safe(disk.id())).append(' ')
                .append(Formats.percent(disk.percent())));
        return line.toString();
    }

    /** The terminal block: the job's summary, then one bar per disk with its rate and ETA. */
    public List<String> block() {
        List<String> lines = new ArrayList<>();
        lines.add(summary());
        int width = disks.keySet().stream().mapToInt(id -> Formats.safe(id).length()).max().orElse(0);
        for (Disk disk : disks.values()) {
            String id = Formats.safe(disk.id());
            lines.add("  " + id + " ".repeat(width - id.length()) + " " + Formats.bar(disk.percent(), BAR_WIDTH) + " "
                    + Formats.percent(disk.percent()) + "  " + Formats.bytes(disk.transferred()) + " of "
                    + Formats.bytes(disk.total()) + "  " + Formats.rate(disk.throughput()) + "  ETA "
                    + Formats.eta(disk.transferred(), disk.total(), disk.throughput()));
        }
        return lines;
    }

    /** Whether a progress report arrived (before it there is nothing to draw bars of). */
    public boolean progressed() {
        return total > 0 || !disks.isEmpty();
    }

    public boolean ended() {
        return outcome != null;
    }

    /** "completed", "failed", or null while the job runs. */
    public String outcome() {
        return outcome;
    }

    /** The line that told how the job ended, or null. */
    public String ending() {
        return ending;
    }

    public int exitCode() {
        return "completed".equals(outcome) ? ExitCodes.DONE : ExitCodes.FAILED;
    }
}
