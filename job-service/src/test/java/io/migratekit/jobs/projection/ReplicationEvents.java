package io.migratekit.jobs.projection;

import static io.migratekit.jobs.testing.Events.changeId;
import static io.migratekit.jobs.testing.Events.changeIdRecorded;
import static io.migratekit.jobs.testing.Events.discovered;
import static io.migratekit.jobs.testing.Events.jobCompleted;
import static io.migratekit.jobs.testing.Events.jobStarted;
import static io.migratekit.jobs.testing.Events.request;
import static io.migratekit.jobs.testing.Events.requested;
import static io.migratekit.jobs.testing.Events.vm;
import static io.migratekit.jobs.testing.Events.volume;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskProgress;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.VmContext;
import io.migratekit.jobs.decision.Decision;
import io.migratekit.jobs.decision.VmContextDecider;
import io.migratekit.jobs.testing.MutableClock;
import io.migratekit.jobs.testing.SequenceIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;

/**
 * The events of whole replications of VMs with two disks, as the pipeline makes them: request,
 * context created, job created, context, job started, context, three progress reports, two change ids,
 * job completed, context (13 events per VM, the contexts made by the decision).
 */
final class ReplicationEvents {

    static final int PER_VM = 13;

    private ReplicationEvents() {
    }

    /** The events of {@code vms} replications, each VM's in order; {@code run} makes the ids unique. */
    static List<List<SpecificRecord>> replications(int run, int vms, Instant start) {
        MutableClock clock = new MutableClock(start);
        VmContextDecider decider = new VmContextDecider(clock, new SequenceIds());
        List<List<SpecificRecord>> replications = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            String vmId = String.format(Locale.ROOT, "4205%04x-%04x-0000-0000-%012d", run, i, i);
            DiscoveredVm vm = vm(vmId, "vm-" + run + "-" + i, "disk-2000", "disk-2001");
            String requestId = "req-" + run + "-" + i;
            List<SpecificRecord> events = new ArrayList<>();
            events.add(requested(requestId, vm, request(vm).build()));
            Decision created = decider.decide(null, discovered(requestId, vm), false);
            JobCreated job = (JobCreated) created.events().get(1);
            events.add(created.events().get(0));
            events.add(job);
            events.add(created.state());
            clock.advance(Duration.ofSeconds(1));
            JobStarted started = jobStarted(requestId, vmId, job.getJobId(), job.getContextId(),
                    List.of(volume("disk-2000", "vol-a-" + i), volume("disk-2001", "vol-b-" + i)));
            started.setOccurredAt(clock.instant());
            events.add(started);
            VmContext withVolumes = decider.decide(created.state(), started, false).state();
            events.add(withVolumes);
            for (int report = 1; report <= 3; report++) {
                clock.advance(Duration.ofSeconds(1));
                events.add(progress(job, clock.instant(), report * 25.0));
            }
            for (String disk : List.of("disk-2000", "disk-2001")) {
                clock.advance(Duration.ofSeconds(1));
                ChangeIdRecorded recorded = changeIdRecorded(requestId, vmId, job.getJobId(), job.getContextId(), disk,
                        "cbt-" + disk);
                recorded.setOccurredAt(clock.instant());
                events.add(recorded);
            }
            clock.advance(Duration.ofSeconds(1));
            JobCompleted completed = jobCompleted(requestId, vmId, job.getJobId(), job.getContextId(),
                    List.of(changeId("disk-2000", "cbt-disk-2000"), changeId("disk-2001", "cbt-disk-2001")));
            completed.setOccurredAt(clock.instant());
            events.add(completed);
            events.add(decider.decide(withVolumes, completed, false).state());
            replications.add(events);
        }
        return replications;
    }

    /** A progress report of the job, both disks at {@code percent}. */
    static JobProgress progress(JobCreated job, Instant at, double percent) {
        List<DiskProgress> disks = new ArrayList<>();
        for (String disk : List.of("disk-2000", "disk-2001")) {
            disks.add(DiskProgress.newBuilder().setDiskId(disk).setPercent(percent)
                    .setBytesTransferred((long) (percent * 40 * 1024 * 1024 * 1024 / 100))
                    .setTotalBytes(40L * 1024 * 1024 * 1024).build());
        }
        return JobProgress.newBuilder().setEventId("progress-" + job.getJobId() + "-" + at.toEpochMilli())
                .setOccurredAt(at).setCorrelationId(job.getCorrelationId()).setVmwareVmId(job.getVmwareVmId())
                .setJobId(job.getJobId()).setContextId(job.getContextId()).setPercent(percent).setPhase("copy")
                .setCurrentOperation("copying disk").setSyncType("full")
                .setBytesTransferred((long) (percent * 80 * 1024 * 1024 * 1024 / 100))
                .setTotalBytes(80L * 1024 * 1024 * 1024).setThroughputMbps(950.0).setEtaSeconds(30L)
                .setDisks(disks).build();
    }
}
