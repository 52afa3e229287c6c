package io.migratekit.vmasim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state of one simulated replication job and its wire rendering as the VMA's progress JSON.
 *
 * <p>Owns the job's data and the mapping from engine state to what progress reports (including
 * the real engine's trap: {@code completed} at the end of every disk). It does not advance itself:
 * {@link CopyEngine} mutates it, always while holding the job's monitor; readers take the same
 * monitor.
 */
final class SimJob {

    enum Stage {
        WAITING_START, QUERYING, COPYING, DISK_CALLBACK, DISK_GAP, FINISHED, FAILED, STALLED, NEVER_STARTED;

        String wire() {
            return switch (this) {
                case QUERYING -> "querying_change_ids";
                default -> name().toLowerCase(Locale.ROOT);
            };
        }
    }

    static final class Disk {
        final SimDisk spec;
        String previousChangeId = "";
        String changeId = "";
        long copyBytes;
        long transferred;
        String status = "pending";
        boolean callbackDone;
        /** Where the bytes go; null when the simulator does not copy data. */
        final NbdTarget target;
        /** The data copy of this disk (null until it starts or when no data is copied) and what it wrote. */
        CompletableFuture<DataCopier.Written> dataCopy;
        long dataGeneration;
        int dataBlocksWritten;
        long dataBytesWritten;

        Disk(SimDisk spec, NbdTarget target) {
            this.spec = spec;
            this.target = target;
        }
    }

    final String jobId;
    final SimVm vm;
    final String vmPath;
    final String callbackBase;
    final Instant acceptedAt;
    final long startAtNanos;
    final List<Disk> disks;

    Stage stage;
    boolean visible;
    int current = -1;
    String syncType = "full";
    String phase = "initializing";
    String currentOperation = "Initializing";
    long bytesTransferred;
    long totalBytes;
    Instant startTime;
    Instant lastUpdate;
    long lastAdvanceNanos;
    long nextDiskAtNanos;
    double currentMbps;
    double peakMbps;
    final List<String> errors = new ArrayList<>();
    String lastError = "";

    SimJob(String jobId, SimVm vm, String vmPath, String callbackBase, Map<Integer, NbdTarget> targets, Instant acceptedAt,
           long startAtNanos, Stage stage) {
        this.jobId = jobId;
        this.vm = vm;
        this.vmPath = vmPath;
        this.callbackBase = callbackBase;
        this.acceptedAt = acceptedAt;
        this.startAtNanos = startAtNanos;
        this.stage = stage;
        List<Disk> list = new ArrayList<>();
        for (SimDisk d : vm.disks()) {
            list.add(new Disk(d, targets.get(d.key())));
        }
        this.disks = List.copyOf(list);
    }

    /** What progress reports as status; the per-disk {@code completed} is deliberate. */
    synchronized String status() {
        return switch (stage) {
            case DISK_CALLBACK, DISK_GAP, FINISHED -> "completed";
            case FAILED -> "failed";
            default -> "in_progress";
        };
    }

    synchronized boolean visible() {
        return visible;
    }

    synchronized ObjectNode progressJson(SimulatorConfig config) {
        ObjectNode o = Json.object();
        o.put("job_id", jobId);
        o.put("status", status());
        o.put("sync_type", syncType);
        o.put("phase", phase);
        o.put("percentage", round2(percentage(config.percentageMode())));
        o.put("current_operation", currentOperation);
        o.put("bytes_transferred", bytesTransferred);
        o.put("total_bytes", totalBytes);
        ObjectNode throughput = o.putObject("throughput");
        throughput.put("current_mbps", round2(currentMbps));
        throughput.put("average_mbps", round2(averageMbps()));
        throughput.put("peak_mbps", round2(peakMbps));
        ObjectNode timing = o.putObject("timing");
        Instant start = startTime != null ? startTime : acceptedAt;
        Instant last = lastUpdate != null ? lastUpdate : start;
        timing.put("start_time", start.toString());
        timing.put("last_update", last.toString());
        timing.put("elapsed_ms", Math.max(0, Duration.between(start, last).toMillis()));
        timing.put("eta_seconds", etaSeconds(config));
        ArrayNode diskArray = o.putArray("disk_progresses");
        if (config.reportDiskProgress()) {
            for (int i = 0; i < disks.size(); i++) {
                Disk d = disks.get(i);
                ObjectNode dj = diskArray.addObject();
                dj.put("disk_id", d.spec.id());
                dj.put("label", d.spec.label());
                dj.put("bytes_transferred", d.transferred);
                dj.put("total_bytes", d.copyBytes);
                dj.put("percent", round2(d.copyBytes == 0 ? ("completed".equals(d.status) ? 100.0 : 0.0) : 100.0 * d.transferred / d.copyBytes));
                dj.put("throughput_mbps", round2(i == current && stage == Stage.COPYING ? currentMbps : 0.0));
                dj.put("status", d.status);
            }
        }
        ArrayNode errorArray = o.putArray("errors");
        for (String e : errors) {
            errorArray.add(e);
        }
        o.put("last_error", lastError);
        return o;
    }

    synchronized JobSnapshot snapshot() {
        List<JobSnapshot.DiskSnapshot> ds = new ArrayList<>();
        for (Disk d : disks) {
            ds.add(new JobSnapshot.DiskSnapshot(d.spec.id(), d.previousChangeId, d.changeId, d.transferred, d.copyBytes,
                    d.status, d.callbackDone, d.dataBlocksWritten, d.dataBytesWritten));
        }
        return new JobSnapshot(jobId, vm.id(), vm.name(), vmPath, stage.wire(), status(), visible, syncType,
                bytesTransferred, totalBytes, List.copyOf(ds), List.copyOf(errors), lastError, acceptedAt);
    }

    private double percentage(SimulatorConfig.PercentageMode mode) {
        if (mode == SimulatorConfig.PercentageMode.CURRENT_DISK && current >= 0 && current < disks.size()) {
            Disk d = disks.get(current);
            if (d.copyBytes == 0) {
                return "completed".equals(d.status) ? 100.0 : 0.0;
            }
            return 100.0 * d.transferred / d.copyBytes;
        }
        if (totalBytes == 0) {
            return stage == Stage.FINISHED ? 100.0 : 0.0;
        }
        return 100.0 * bytesTransferred / totalBytes;
    }

    private long etaSeconds(SimulatorConfig config) {
        if (stage != Stage.COPYING) {
            return 0;
        }
        long remaining;
        if (config.percentageMode() == SimulatorConfig.PercentageMode.CURRENT_DISK && current >= 0) {
            Disk d = disks.get(current);
            remaining = d.copyBytes - d.transferred;
        } else {
            remaining = totalBytes - bytesTransferred;
        }
        long rate = config.copyRateBytesPerSecond();
        return (remaining + rate - 1) / rate;
    }

    private double averageMbps() {
        if (startTime == null || lastUpdate == null) {
            return 0;
        }
        long ms = Duration.between(startTime, lastUpdate).toMillis();
        if (ms <= 0) {
            return currentMbps;
        }
        return bytesTransferred / 1_000_000.0 / (ms / 1000.0);
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
