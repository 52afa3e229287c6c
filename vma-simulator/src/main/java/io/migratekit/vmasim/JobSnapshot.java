package io.migratekit.vmasim;

import java.time.Instant;
import java.util.List;

/**
 * A point-in-time copy of one simulated replication job, for tests and the {@code /sim/jobs}
 * admin endpoint. Owns nothing live; it is a value.
 *
 * @param jobId            the job id given to replicate
 * @param vmId             the VM's BIOS UUID
 * @param vmName           the VM's name
 * @param vmPath           the replicated inventory path
 * @param engineState      the engine's internal state: {@code waiting_start}, {@code querying_change_ids},
 *                         {@code copying}, {@code disk_callback}, {@code disk_gap}, {@code finished},
 *                         {@code failed}, {@code stalled} or {@code never_started}
 * @param status           what progress reports as {@code status} (or would, while progress is 404)
 * @param progressVisible  whether {@code GET /progress/{job_id}} answers 200 yet
 * @param syncType         {@code full} or {@code incremental}
 * @param bytesTransferred bytes copied so far over all disks
 * @param totalBytes       bytes to copy over all disks (0 until the change ids are known)
 * @param disks            per-disk state in copy order
 * @param errors           errors recorded so far (failed callbacks, copy failure)
 * @param lastError        the copy failure, or empty
 * @param acceptedAt       when replicate accepted the job
 */
public record JobSnapshot(
        String jobId,
        String vmId,
        String vmName,
        String vmPath,
        String engineState,
        String status,
        boolean progressVisible,
        String syncType,
        long bytesTransferred,
        long totalBytes,
        List<DiskSnapshot> disks,
        List<String> errors,
        String lastError,
        Instant acceptedAt) {

    /** True once the engine will never change this job again (finished, failed, stalled, never started). */
    public boolean settled() {
        return switch (engineState) {
            case "finished", "failed", "stalled", "never_started" -> true;
            default -> false;
        };
    }

    /** True when every disk was copied and every change-id callback attempted. */
    public boolean finished() {
        return "finished".equals(engineState);
    }

    /**
     * One disk of a job.
     *
     * @param diskId           {@code disk-<key>}
     * @param previousChangeId the change id the OMA returned before the copy ("" for a full copy)
     * @param changeId         the new change id, set when the disk's copy ends ("" before)
     * @param bytesTransferred bytes copied
     * @param totalBytes       bytes to copy (capacity, or the incremental share)
     * @param status           {@code pending}, {@code in_progress}, {@code completed} or {@code failed}
     * @param callbackDone     whether the change-id callback for this disk was made (successfully or not)
     * @param dataBlocksWritten blocks really written to the NBD target (0 unless the simulator copies data)
     * @param dataBytesWritten  bytes really written to the NBD target (0 unless the simulator copies data)
     */
    public record DiskSnapshot(
            String diskId,
            String previousChangeId,
            String changeId,
            long bytesTransferred,
            long totalBytes,
            String status,
            boolean callbackDone,
            int dataBlocksWritten,
            long dataBytesWritten) {
    }
}
