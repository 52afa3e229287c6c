package io.migratekit.progress.follow;

import io.migratekit.vma.VmaDtos;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One progress report of the VMA for a job, normalised: nulls become zeros or empty lists, the
 * job's percentage is computed from its bytes (the VMA's own {@code percentage} is that of the
 * disk being copied and reaches 100 at the end of every disk), doubles are rounded to two decimals
 * so that noise does not count as change.
 *
 * <p>Owns the two comparisons the rules need: whether anything a reader sees changed (what makes a
 * {@code JobProgress}), and whether the copy itself moved (what resets the stall clock; throughput and
 * ETA alone do not). It does not decide anything about the job.
 */
public record Figures(String status, String syncType, String phase, String currentOperation, double percent,
        long bytesTransferred, long totalBytes, double throughputMbps, Long etaSeconds, List<DiskFigures> disks) {

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** One disk's figures as the VMA reported them. */
    public record DiskFigures(String diskId, String label, long bytesTransferred, long totalBytes, double percent,
            double throughputMbps, String status) {

        boolean sameCopyAs(DiskFigures other) {
            return Objects.equals(diskId, other.diskId) && bytesTransferred == other.bytesTransferred
                    && totalBytes == other.totalBytes && Objects.equals(status, other.status);
        }
    }

    public Figures {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    /** The figures of a VMA progress answer. */
    public static Figures of(VmaDtos.Progress p) {
        long bytes = nonNegative(p.bytesTransferred());
        long total = nonNegative(p.totalBytes());
        double percent = total > 0
                ? Math.min(100.0, 100.0 * bytes / total)
                : clampPercent(p.percentage());
        List<DiskFigures> disks = new ArrayList<>();
        if (p.diskProgresses() != null) {
            for (VmaDtos.DiskProgress d : p.diskProgresses()) {
                if (d == null || d.diskId() == null) {
                    continue;
                }
                disks.add(new DiskFigures(d.diskId(), d.label(), nonNegative(d.bytesTransferred()),
                        nonNegative(d.totalBytes()), round(clampPercent(d.percent())), round(orZero(d.throughputMbps())),
                        lower(d.status())));
            }
        }
        double throughput = p.throughput() == null ? 0.0 : orZero(p.throughput().currentMbps());
        Long eta = p.timing() == null ? null : p.timing().etaSeconds();
        return new Figures(lower(p.status()), p.syncType(), p.phase(), p.currentOperation(), round(percent), bytes, total,
                round(throughput), eta, disks);
    }

    /** Whether the copy moved between {@code previous} and these figures (bytes, totals, status, phase, operation, disks). */
    public boolean copyMovedSince(Figures previous) {
        if (previous == null) {
            return true;
        }
        if (bytesTransferred != previous.bytesTransferred || totalBytes != previous.totalBytes
                || percent != previous.percent || !Objects.equals(status, previous.status)
                || !Objects.equals(phase, previous.phase) || !Objects.equals(currentOperation, previous.currentOperation)
                || !Objects.equals(syncType, previous.syncType) || disks.size() != previous.disks.size()) {
            return true;
        }
        for (int i = 0; i < disks.size(); i++) {
            if (!disks.get(i).sameCopyAs(previous.disks.get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the VMA says every disk of the job is copied: status {@code completed}, every byte of the
     * job transferred, and — since the engine reports {@code completed} at the end of each disk — either
     * every one of {@code jobDisks} listed as completed in the per-disk figures, or a single-disk job.
     */
    public boolean reportAllCopied(List<String> jobDisks) {
        if (!COMPLETED.equals(status) || totalBytes <= 0 || bytesTransferred < totalBytes) {
            return false;
        }
        if (disks.isEmpty()) {
            return jobDisks.size() == 1;
        }
        for (String jobDisk : jobDisks) {
            boolean done = false;
            for (DiskFigures d : disks) {
                if (DiskIds.key(d.diskId()).equals(DiskIds.key(jobDisk))) {
                    done = COMPLETED.equals(d.status()) && d.bytesTransferred() >= d.totalBytes();
                    break;
                }
            }
            if (!done) {
                return false;
            }
        }
        return true;
    }

    /** A short human description for messages, e.g. {@code 42.5% (copying: Copying Hard disk 1)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%.1f%%", percent));
        sb.append(" (").append(status == null ? "no status" : status);
        if (phase != null && !phase.isBlank()) {
            sb.append(", ").append(phase);
        }
        if (currentOperation != null && !currentOperation.isBlank()) {
            sb.append(": ").append(currentOperation);
        }
        return sb.append(')').toString();
    }

    private static long nonNegative(Long value) {
        return value == null || value < 0 ? 0 : value;
    }

    private static double orZero(Double value) {
        return value == null || value.isNaN() || value < 0 ? 0.0 : value;
    }

    private static double clampPercent(Double value) {
        return Math.min(100.0, orZero(value));
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    private static String lower(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }
}
