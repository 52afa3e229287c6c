package io.migratekit.intake.events;

import io.migratekit.events.DiskSpec;
import io.migratekit.events.JobCreated;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What job-intake needs to know of a job to take its change ids and stream its events: its VM (the
 * record key of all its events), context, request, disks, when it was created, and who requested it
 * (every event of the job carries that: principal, scheduler metadata, the failover of a final sync).
 * From the read model, or from the job's {@code JobCreated} event when the projector has not written
 * it yet.
 */
public record KnownJob(String jobId, String vmwareVmId, String contextId, String requestId, List<String> diskIds,
        Instant createdAt, String requestedBy, String scheduledBy, String scheduleExecutionId, String vmGroupId,
        String failoverId) {

    public KnownJob {
        diskIds = List.copyOf(diskIds);
    }

    /** The job as its {@code JobCreated} announces it; disk ids as the projector names them. */
    public static KnownJob of(JobCreated created) {
        List<String> disks = new ArrayList<>();
        List<DiskSpec> specs = created.getVm().getDisks();
        for (int i = 0; i < specs.size(); i++) {
            // The projector's rule for a disk vCenter gave no id: its position, from 1.
            disks.add(specs.get(i).getId() != null ? specs.get(i).getId() : "disk-" + (i + 1));
        }
        return new KnownJob(created.getJobId(), created.getVmwareVmId(), created.getContextId(),
                created.getCorrelationId(), disks.stream().sorted().toList(), created.getOccurredAt(),
                created.getRequestedBy(), created.getScheduledBy(), created.getScheduleExecutionId(),
                created.getVmGroupId(), created.getFailoverId());
    }
}
