package io.migratekit.progress.testing;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.progress.follow.FollowedJob;
import io.migratekit.vma.VmaDtos;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Events and VMA answers for tests, with the fields a test does not care about filled plausibly. */
public final class Fixtures {

    public static final long GIB = 1024L * 1024 * 1024;
    /** Who requested every job of the fixtures: a principal and a scheduler run, carried onto every event. */
    public static final FollowedJob.Origin ORIGIN =
            new FollowedJob.Origin("operator-ann", "nightly-scheduler", "exec-42", "group-db");

    private Fixtures() {
    }

    /** A JobStarted for the given disks ({@code disk-2000}, ...), started at {@code startedAt}. */
    public static JobStarted jobStarted(String vm, String jobId, Instant startedAt, String... diskIds) {
        List<VolumeAttachment> volumes = new ArrayList<>();
        for (String diskId : diskIds) {
            String key = diskId.replace("disk-", "");
            volumes.add(VolumeAttachment.newBuilder().setDiskId(diskId).setVmwareDiskKey(key)
                    .setVolumeId("vol-" + jobId + "-" + key).setNbdExportName("migration-vol-vol-" + key)
                    .setDevicePath("nbd://127.0.0.1:10809/migration-vol-vol-" + key).setSizeGb(10).setReused(false)
                    .build());
        }
        return JobStarted.newBuilder().setEventId("started-" + jobId).setOccurredAt(startedAt)
                .setCorrelationId("req-" + jobId).setVmwareVmId(vm).setJobId(jobId).setContextId("ctx-" + vm)
                .setReplicationType(ReplicationType.initial).setVolumes(volumes).setVmPath("/DemoDC/vm/" + vm)
                .setFailoverId(null).setRequestedBy(ORIGIN.requestedBy()).setScheduledBy(ORIGIN.scheduledBy())
                .setScheduleExecutionId(ORIGIN.scheduleExecutionId()).setVmGroupId(ORIGIN.vmGroupId()).build();
    }

    public static ChangeIdRecorded changeId(String vm, String jobId, String diskId, String changeId) {
        return ChangeIdRecorded.newBuilder().setEventId("cid-" + jobId + "-" + diskId).setOccurredAt(Instant.EPOCH)
                .setCorrelationId("req-" + jobId).setVmwareVmId(vm).setJobId(jobId).setContextId("ctx-" + vm)
                .setDiskId(diskId).setChangeId(changeId).setPreviousChangeId(null).build();
    }

    public static JobFailed failedElsewhere(String vm, String jobId) {
        return JobFailed.newBuilder().setEventId("failed-" + jobId).setOccurredAt(Instant.EPOCH)
                .setCorrelationId("req-" + jobId).setVmwareVmId(vm).setJobId(jobId).setContextId("ctx-" + vm)
                .setReason(JobFailureReason.VMA_REPLICATE_FAILED).setStep("replicate").setMessage("VMA said no")
                .setFailoverId(null).build();
    }

    /** A VMA progress answer; disks as {@link #disk} values (may be none). */
    public static VmaDtos.Progress progress(String jobId, String status, long bytes, long total,
            VmaDtos.DiskProgress... disks) {
        return new VmaDtos.Progress(jobId, status, "full", "copying", total == 0 ? 0.0 : 100.0 * bytes / total,
                "Copying", bytes, total, new VmaDtos.Throughput(100.0, 90.0, 120.0),
                new VmaDtos.Timing("2025-01-01T00:00:00Z", "2025-01-01T00:00:10Z", 10_000L, 60L), List.of(disks),
                List.of(), "");
    }

    /** A failed VMA progress answer with its last error. */
    public static VmaDtos.Progress failedProgress(String jobId, long bytes, long total, String lastError) {
        return new VmaDtos.Progress(jobId, "failed", "full", "failed", 100.0 * bytes / total, "Copy failed", bytes,
                total, new VmaDtos.Throughput(0.0, 90.0, 120.0),
                new VmaDtos.Timing("2025-01-01T00:00:00Z", "2025-01-01T00:00:10Z", 10_000L, 0L), List.of(),
                List.of(lastError), lastError);
    }

    public static VmaDtos.DiskProgress disk(String diskId, long bytes, long total, String status) {
        return new VmaDtos.DiskProgress(diskId, "Hard disk " + diskId, bytes, total,
                total == 0 ? 0.0 : 100.0 * bytes / total, 100.0, status);
    }
}
