package io.migratekit.intake.changeid;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.intake.api.ApiProblem;
import io.migratekit.intake.events.JobDirectory;
import io.migratekit.intake.events.KnownJob;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.intake.readmodel.ReadModel.RunningJobBase;
import io.migratekit.schemas.EventIds;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two calls the VMA's copy engine makes to us (docs/vma-api.md): the previous change id of a disk,
 * answered with the base the decision gave the job running for that path (never a change id the
 * decision did not hand to that job), and a new change id of a disk of a job, turned
 * into a {@code ChangeIdRecorded} event (key = the job's VM id, correlation id = the job's request
 * id). The copy engine may call back before the read-model projector wrote the job, so the job is
 * looked up through the {@link JobDirectory} (the live {@code JobCreated} events first), waiting a
 * bounded time for it; only a job still unknown after that wait is 404. Validates the callback body;
 * decides nothing about the job (the pipeline does).
 */
public class ChangeIdCallbacks {

    static final int CHANGE_ID_LENGTH = 512;
    static final int DISK_ID_LENGTH = 64;
    static final int PATH_LENGTH = 1024;
    static final long RECHECK_MILLIS = 100;

    private final ReadModel readModel;
    private final JobDirectory jobs;
    private final Duration jobWait;
    private final ChangeIdPublisher publisher;
    private final Clock clock;
    private final JsonMapper mapper = JsonMapper.builder().build();

    /** @param jobWait how long a callback waits for a job (or its disk) to become known before 404 */
    public ChangeIdCallbacks(ReadModel readModel, JobDirectory jobs, Duration jobWait, ChangeIdPublisher publisher,
            Clock clock) {
        this.readModel = readModel;
        this.jobs = jobs;
        this.jobWait = jobWait;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** {@code GET /api/v1/replications/changeid} answer. */
    public record PreviousChangeId(String vmPath, String diskId, String changeId, String message) {
    }

    /** {@code POST /api/v1/replications/{job_id}/changeid} answer. */
    public record RecordedChangeId(String jobId, String diskId, String changeId, String message) {
    }

    /**
     * The base of a disk for the job the VMA is running for that path: the one the decision gave that
     * job (none for an initial job or a disk new to the VM), so the copy engine copies incrementally
     * exactly into the volumes the job reused. The projector may not have written the job yet, so it
     * waits for it a bounded time; without a running job, or with running jobs of several VMs at that
     * path (which one asks cannot be told), the answer is no base: a full copy is always safe.
     */
    public PreviousChangeId previous(String vmPath, String diskId) {
        String path = requiredParameter("vm_path", vmPath, PATH_LENGTH);
        String disk = requiredParameter("disk_id", diskId, DISK_ID_LENGTH);
        List<RunningJobBase> running = runningJobs(path, disk);
        if (running.isEmpty()) {
            return new PreviousChangeId(path, disk, "", "No running replication job for this VM path: no previous "
                    + "change ID (full copy)");
        }
        if (running.size() > 1) {
            return new PreviousChangeId(path, disk, "", "Replication jobs of " + running.size() + " VMs run at this "
                    + "path (" + String.join(", ", running.stream().map(RunningJobBase::jobId).toList())
                    + "): no previous change ID (full copy)");
        }
        RunningJobBase job = running.get(0);
        return job.baseChangeId() != null
                ? new PreviousChangeId(path, disk, job.baseChangeId(), "Previous change ID found")
                : new PreviousChangeId(path, disk, "", "No previous change ID found");
    }

    /** The newest running job of each VM at the path, once each shows the disk or the wait is over. */
    private List<RunningJobBase> runningJobs(String path, String disk) {
        long deadline = System.nanoTime() + jobWait.toNanos();
        while (true) {
            // Of one VM only the newest job can be running; an older one only looks so until its end is projected.
            Map<String, RunningJobBase> newestPerVm = new LinkedHashMap<>();
            for (RunningJobBase job : readModel.runningJobBases(path, disk)) {
                newestPerVm.putIfAbsent(job.vmwareVmId(), job);
            }
            List<RunningJobBase> running = List.copyOf(newestPerVm.values());
            boolean settled = !running.isEmpty() && running.stream().allMatch(RunningJobBase::diskKnown);
            long left = deadline - System.nanoTime();
            if (settled || left <= 0) {
                return running;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return running;
            }
        }
    }

    public RecordedChangeId record(String jobId, byte[] body) {
        JsonNode json = parse(body);
        String changeId = string(json, "change_id", CHANGE_ID_LENGTH);
        if (changeId == null) {
            throw ApiProblem.invalidPayload("change_id is required");
        }
        String diskId = string(json, "disk_id", DISK_ID_LENGTH);
        String previousChangeId = string(json, "previous_change_id", CHANGE_ID_LENGTH);
        // A job row the projector wrote before its disks is not complete yet: wait for the disks too.
        KnownJob job = jobs.find(jobId, jobWait, known -> diskId == null ? !known.diskIds().isEmpty()
                        : known.diskIds().contains(diskId))
                .orElseThrow(() -> ApiProblem.notFound("Replication job not found", "No replication job " + jobId));
        String disk = resolveDisk(job, diskId, job.diskIds());
        publisher.publish(ChangeIdRecorded.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId(job.requestId())
                .setVmwareVmId(job.vmwareVmId())
                .setJobId(job.jobId())
                .setContextId(job.contextId())
                .setDiskId(disk)
                .setChangeId(changeId)
                .setPreviousChangeId(previousChangeId)
                .setFailoverId(job.failoverId())
                .setRequestedBy(job.requestedBy() != null ? job.requestedBy() : "unknown")
                .setScheduledBy(job.scheduledBy())
                .setScheduleExecutionId(job.scheduleExecutionId())
                .setVmGroupId(job.vmGroupId())
                .build());
        return new RecordedChangeId(job.jobId(), disk, changeId, "Change ID recorded successfully");
    }

    private static String resolveDisk(KnownJob job, String diskId, List<String> disks) {
        if (diskId == null) {
            // The copy engine names the disk; a job with one disk needs no name.
            if (disks.size() == 1) {
                return disks.get(0);
            }
            if (disks.isEmpty()) {
                throw ApiProblem.notFound("Disk not found", "Replication job " + job.jobId() + " has no disks");
            }
            throw ApiProblem.invalidPayload("disk_id is required: job " + job.jobId() + " has " + disks.size()
                    + " disks");
        }
        if (!disks.contains(diskId)) {
            throw ApiProblem.notFound("Disk not found", "Replication job " + job.jobId() + " has no disk " + diskId);
        }
        return diskId;
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiProblem.invalidPayload("change_id is required");
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JacksonException e) {
            throw ApiProblem.invalidPayload("the request body is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw ApiProblem.invalidPayload("the request body must be a JSON object");
        }
        return json;
    }

    private static String string(JsonNode json, String field, int maxLength) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ApiProblem.invalidPayload(field + " must be a string");
        }
        String text = value.asString().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() > maxLength || text.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.invalidPayload(field + " must be at most " + maxLength
                    + " characters without control characters");
        }
        return text;
    }

    private static String requiredParameter(String name, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalidQuery(name + " is required");
        }
        if (value.length() > maxLength || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.invalidQuery(name + " must be at most " + maxLength
                    + " characters without control characters");
        }
        return value;
    }
}
