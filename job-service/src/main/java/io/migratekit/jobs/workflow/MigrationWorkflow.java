package io.migratekit.jobs.workflow;

import io.migratekit.cloudstack.NbdExport;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.cloudstack.TargetVolume;
import io.migratekit.cloudstack.VolumeRequest;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.schemas.EventIds;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaDtos.NbdTarget;
import io.migratekit.vma.VmaDtos.ReplicateRequest;
import io.migratekit.vma.VmaDtos.ReplicateResponse;
import io.migratekit.vma.VmaException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a job after the decision created it: the vCenter login for the VM, a target volume
 * per disk in the CloudStack target of the job's {@code ossea_config_id} (the last completed job's for a disk the decision gave a base, a new one for every other
 * disk, so an initial job gets only new ones), each exported over NBD from the appliance, then the VMA's replicate call with one
 * NBD target per disk. The result is one fact: {@link JobStarted} (with the volumes) or
 * {@link JobFailed} (reason, failing step, a message free of secrets), and after a failure the
 * volumes this job created are gone again. Blocking; one call per job, many calls may run at once.
 *
 * <p>It does not poll progress (progress-service does), publish (the runner does) or decide anything
 * about the VM: a failed job frees the VM through the decision.
 */
public final class MigrationWorkflow {

    static final String STEP_LOGIN = "vcenter_login";
    static final String STEP_VOLUMES = "target_volumes";
    static final String STEP_REPLICATE = "vma_replicate";

    private static final Logger log = LoggerFactory.getLogger(MigrationWorkflow.class);
    private static final long GIB = 1024L * 1024 * 1024;
    private static final String DISK_PREFIX = "disk-";

    /** The VMA's replicate call (the VMA client's, in production). */
    @FunctionalInterface
    public interface Replicator {
        CompletableFuture<ReplicateResponse> replicate(ReplicateRequest request, Duration deadline);
    }

    /** Whether the VMA has a job (the VMA client's progress call, in production: 404 means it has none). */
    @FunctionalInterface
    public interface JobLookup {
        CompletableFuture<Boolean> hasJob(String jobId, Duration deadline);
    }

    private final TargetPlatforms targets;
    private final Replicator vma;
    private final JobLookup vmaJobs;
    private final VcenterCredentials credentials;
    private final String omaUrl;
    private final Duration replicateDeadline;
    private final Duration noJobGrace;
    private final Clock clock;

    /**
     * @param targets           the CloudStack targets; a job's volumes are created in the one its
     *                          {@code ossea_config_id} names
     * @param vma               the VMA's replicate call
     * @param vmaJobs           asks the VMA whether it has a job, after a replicate call that got no answer
     * @param credentials       vCenter logins by host
     * @param omaUrl            our REST API as the VMA's copy engine reaches it
     * @param replicateDeadline how long the replicate call may take
     * @param noJobGrace        how long the VMA must keep saying it has no job before an unanswered
     *                          replicate's volumes are removed
     * @param clock             stamps the resulting events
     */
    public MigrationWorkflow(TargetPlatforms targets, Replicator vma, JobLookup vmaJobs, VcenterCredentials credentials,
            String omaUrl, Duration replicateDeadline, Duration noJobGrace, Clock clock) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.vma = Objects.requireNonNull(vma, "vma");
        this.vmaJobs = Objects.requireNonNull(vmaJobs, "vmaJobs");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.omaUrl = Objects.requireNonNull(omaUrl, "omaUrl");
        this.replicateDeadline = Objects.requireNonNull(replicateDeadline, "replicateDeadline");
        this.noJobGrace = Objects.requireNonNull(noJobGrace, "noJobGrace");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Starts the job. Returns {@link JobStarted} or {@link JobFailed}; throws only when interrupted
     * (shutdown), leaving the job to be redelivered (volume creation is idempotent by job and disk).
     */
    public SpecificRecord run(JobCreated job) {
        String vcenterHost = job.getVm().getVcenterHost();
        VcenterCredentials.Login login = credentials.forHost(vcenterHost).orElse(null);
        if (login == null) {
            return failed(job, JobFailureReason.VMA_REPLICATE_FAILED, STEP_LOGIN, "no vCenter login is configured for "
                    + (vcenterHost == null ? "the VM's vCenter (unknown host)" : "vCenter " + vcenterHost)
                    + "; configure migratekit.vma.credentials or migratekit.vma.default-username/-password");
        }
        String vcenter = vcenterHost != null ? vcenterHost : login.vcenterHost();
        if (vcenter == null) {
            return failed(job, JobFailureReason.VMA_REPLICATE_FAILED, STEP_LOGIN,
                    "the vCenter host of VM " + job.getVm().getName() + " is unknown");
        }

        TargetPlatform target;
        try {
            target = targets.forConfig(job.getOsseaConfigId());
        } catch (TargetPlatformException e) {
            return failed(job, JobFailureReason.TARGET_VOLUME_FAILED, STEP_VOLUMES, e.getMessage());
        }
        List<VolumeAttachment> volumes = new ArrayList<>();
        List<TargetVolume> created = new ArrayList<>();
        try {
            prepareVolumes(target, job, volumes, created);
        } catch (VolumeException e) {
            return failed(job, JobFailureReason.TARGET_VOLUME_FAILED, STEP_VOLUMES,
                    e.getMessage() + cleanUp(target, created));
        }

        List<NbdTarget> targets = volumes.stream()
                .map(v -> new NbdTarget(v.getDevicePath(), v.getVmwareDiskKey()))
                .toList();
        ReplicateRequest request = new ReplicateRequest(job.getJobId(), vcenter, login.username(), login.password(),
                List.of(job.getVm().getPath()), omaUrl, targets);
        Refusal refusal = replicate(request);
        if (refusal != null && refusal.unanswered()) {
            // The VMA may have taken the job and be writing into these volumes: only its word that it has
            // no such job lets them go; when it has the job, the copy did start.
            Boolean running = vmaHasJob(job.getJobId());
            if (Boolean.TRUE.equals(running)) {
                return started(job, volumes);
            }
            if (running == null) {
                return failed(job, refusal.reason(), STEP_REPLICATE, redact(refusal.message(), login)
                        + "; volumes kept until the VMA confirms it has no job " + job.getJobId() + ": "
                        + String.join(", ", created.stream().map(TargetVolume::volumeId).toList()));
            }
        }
        if (refusal != null) {
            return failed(job, refusal.reason(), STEP_REPLICATE, redact(refusal.message(), login) + cleanUp(target, created));
        }
        return started(job, volumes);
    }

    private JobStarted started(JobCreated job, List<VolumeAttachment> volumes) {
        return JobStarted.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(now())
                .setCorrelationId(job.getCorrelationId())
                .setVmwareVmId(job.getVmwareVmId())
                .setJobId(job.getJobId())
                .setContextId(job.getContextId())
                .setReplicationType(job.getReplicationType())
                .setVolumes(volumes)
                .setVmPath(job.getVm().getPath())
                .setFailoverId(job.getFailoverId())
                .setRequestedBy(job.getRequestedBy())
                .setScheduledBy(job.getScheduledBy())
                .setScheduleExecutionId(job.getScheduleExecutionId())
                .setVmGroupId(job.getVmGroupId())
                .build();
    }

    private void prepareVolumes(TargetPlatform target, JobCreated job, List<VolumeAttachment> volumes,
            List<TargetVolume> created) throws VolumeException {
        // A volume is reused exactly when its disk has a base: the copy engine is told that base for it
        // (an incremental copy), and a disk without one is copied in full onto a new volume.
        Set<String> based = new HashSet<>();
        for (DiskChangeId base : job.getPreviousChangeIds()) {
            based.add(base.getDiskId());
        }
        Map<String, VolumeAttachment> previous = new HashMap<>();
        for (VolumeAttachment volume : job.getPreviousVolumes()) {
            if (based.contains(volume.getDiskId())) {
                previous.put(volume.getDiskId(), volume);
            }
        }
        List<DiskSpec> disks = job.getVm().getDisks();
        for (int i = 0; i < disks.size(); i++) {
            DiskSpec disk = disks.get(i);
            if (disk.getId() == null || disk.getId().isBlank()) {
                throw new VolumeException("disk #" + (i + 1) + " of VM " + job.getVm().getName() + " has no id");
            }
            String diskId = disk.getId();
            VolumeAttachment reused = previous.get(diskId);
            try {
                if (reused != null) {
                    NbdExport export = target.attachToAppliance(reused.getVolumeId());
                    volumes.add(attachment(diskId, reused.getVolumeId(), export, reused.getSizeGb(), true));
                } else {
                    long sizeGb = sizeGb(disk, job);
                    TargetVolume volume = target.createVolume(new VolumeRequest(job.getJobId(), diskId, sizeGb,
                            volumeName(job, diskId)));
                    created.add(volume);
                    NbdExport export = target.attachToAppliance(volume.volumeId());
                    volumes.add(attachment(diskId, volume.volumeId(), export, volume.sizeGb(), false));
                }
            } catch (TargetPlatformException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new WorkflowInterruptedException(job.getJobId(), e);
                }
                throw new VolumeException("cannot prepare the target volume of " + diskId + ": " + e.getMessage());
            }
        }
        if (volumes.isEmpty()) {
            throw new VolumeException("VM " + job.getVm().getName() + " has no disks to replicate");
        }
    }

    private static VolumeAttachment attachment(String diskId, String volumeId, NbdExport export, long sizeGb,
            boolean reused) {
        return VolumeAttachment.newBuilder()
                .setDiskId(diskId)
                .setVmwareDiskKey(diskId.startsWith(DISK_PREFIX) ? diskId.substring(DISK_PREFIX.length()) : diskId)
                .setVolumeId(volumeId)
                .setNbdExportName(export.exportName())
                .setDevicePath(export.devicePath())
                .setSizeGb(sizeGb)
                .setReused(reused)
                .build();
    }

    private static long sizeGb(DiskSpec disk, JobCreated job) throws VolumeException {
        if (disk.getSizeGb() != null && disk.getSizeGb() > 0) {
            return disk.getSizeGb();
        }
        if (disk.getCapacityBytes() != null && disk.getCapacityBytes() > 0) {
            return (disk.getCapacityBytes() + GIB - 1) / GIB;
        }
        throw new VolumeException("disk " + disk.getId() + " of VM " + job.getVm().getName() + " has no size");
    }

    private static String volumeName(JobCreated job, String diskId) {
        return "migratekit-" + job.getVm().getName() + "-" + diskId + "-" + job.getJobId();
    }

    /**
     * Why the VMA did not start the copy; {@code unanswered} when the call may have reached it without
     * an answer coming back (a deadline passed), so it may have started the copy after all.
     */
    private record Refusal(JobFailureReason reason, String message, boolean unanswered) {
    }

    /**
     * True once the VMA shows the job; false when it kept saying it has none for the whole grace (a VMA
     * may answer 404 for a job it accepted a moment ago); null when it could not be asked.
     */
    private Boolean vmaHasJob(String jobId) {
        long deadline = System.nanoTime() + noJobGrace.toNanos();
        long pauseMillis = Math.max(10, Math.min(1_000, noJobGrace.toMillis() / 4));
        try {
            while (true) {
                if (vmaJobs.hasJob(jobId, replicateDeadline).get(replicateDeadline.toMillis() + 5_000,
                        TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(pauseMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkflowInterruptedException(jobId, e);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not ask the VMA whether it has job {}: {}", jobId, e.toString());
            return null;
        }
    }

    /** Null when the VMA started the copy. */
    private Refusal replicate(ReplicateRequest request) {
        try {
            ReplicateResponse response = vma.replicate(request, replicateDeadline)
                    .get(replicateDeadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            if (response.status() != null && !"started".equalsIgnoreCase(response.status())) {
                return new Refusal(JobFailureReason.VMA_REPLICATE_FAILED,
                        "the VMA answered replicate with status " + response.status(), false);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkflowInterruptedException(request.jobId(), e);
        } catch (TimeoutException e) {
            return new Refusal(JobFailureReason.VMA_UNREACHABLE,
                    "the VMA did not answer replicate within " + replicateDeadline, true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof VmaException vmaException) {
                boolean unreachable = vmaException.kind() == VmaException.Kind.UNREACHABLE
                        || vmaException.kind() == VmaException.Kind.CONNECTION_LOST
                        || vmaException.kind() == VmaException.Kind.TIMEOUT;
                return new Refusal(unreachable ? JobFailureReason.VMA_UNREACHABLE : JobFailureReason.VMA_REPLICATE_FAILED,
                        vmaException.getMessage(), vmaException.kind() == VmaException.Kind.TIMEOUT);
            }
            return new Refusal(JobFailureReason.VMA_REPLICATE_FAILED, "replicate failed: " + cause, false);
        }
    }

    /** Detaches and deletes the volumes this job created; says what could not be removed. */
    private String cleanUp(TargetPlatform target, List<TargetVolume> created) {
        List<String> leftBehind = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            String volumeId = created.get(i).volumeId();
            try {
                target.detachFromAppliance(volumeId);
                target.deleteVolume(volumeId);
            } catch (TargetPlatformException e) {
                log.warn("could not remove volume {} after a failed job: {}", volumeId, e.getMessage());
                leftBehind.add(volumeId + " (" + e.getMessage() + ")");
            }
        }
        return leftBehind.isEmpty() ? "" : "; volumes left behind: " + String.join(", ", leftBehind);
    }

    private JobFailed failed(JobCreated job, JobFailureReason reason, String step, String message) {
        Instant now = now();
        return JobFailed.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(now)
                .setCorrelationId(job.getCorrelationId())
                .setVmwareVmId(job.getVmwareVmId())
                .setJobId(job.getJobId())
                .setContextId(job.getContextId())
                .setReason(reason)
                .setStep(step)
                .setMessage(message)
                .setFailoverId(job.getFailoverId())
                .setRequestedBy(job.getRequestedBy())
                .setScheduledBy(job.getScheduledBy())
                .setScheduleExecutionId(job.getScheduleExecutionId())
                .setVmGroupId(job.getVmGroupId())
                .setReplicationType(job.getReplicationType())
                // Failed before the copy started: nothing was copied, no change id recorded.
                .setDurationMs(Math.max(0, now.toEpochMilli() - job.getOccurredAt().toEpochMilli()))
                .build();
    }

    /** A message from the VMA could echo what we sent; the password never leaves this class. */
    private static String redact(String message, VcenterCredentials.Login login) {
        String password = login.password();
        return password == null || password.isEmpty() ? message : message.replace(password, "<redacted>");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A volume could not be prepared; the message says which and why. */
    private static final class VolumeException extends Exception {
        VolumeException(String message) {
            super(message);
        }
    }
}
