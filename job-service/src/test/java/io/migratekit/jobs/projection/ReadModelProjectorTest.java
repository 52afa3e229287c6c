package io.migratekit.jobs.projection;

import static io.migratekit.jobs.testing.Events.T0;
import static io.migratekit.jobs.testing.Events.changeId;
import static io.migratekit.jobs.testing.Events.changeIdRecorded;
import static io.migratekit.jobs.testing.Events.discovered;
import static io.migratekit.jobs.testing.Events.jobCompleted;
import static io.migratekit.jobs.testing.Events.jobFailed;
import static io.migratekit.jobs.testing.Events.jobStarted;
import static io.migratekit.jobs.testing.Events.request;
import static io.migratekit.jobs.testing.Events.requested;
import static io.migratekit.jobs.testing.Events.vm;
import static io.migratekit.jobs.testing.Events.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.DiskProgress;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VmContext;
import io.migratekit.jobs.decision.Decision;
import io.migratekit.jobs.decision.VmContextDecider;
import io.migratekit.jobs.testing.MutableClock;
import io.migratekit.jobs.testing.ReadModelDatabase;
import io.migratekit.jobs.testing.SequenceIds;
import io.migratekit.schemas.EventIds;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The projector against real PostgreSQL: the rows a replication leaves, and that replays and any
 * interleaving of the topics (order within a topic kept, as Kafka keeps it) leave identical tables.
 */
class ReadModelProjectorTest {

    private static final String VM = "420570c7-f61f-a930-77c5-1e876786cb3c";
    private static final String OTHER_VM = "4205aaaa-0000-0000-0000-000000000002";
    private static final String CTX = EventIds.newContextId("pgtest1", VM, T0.plusSeconds(1));

    private static ReadModelDatabase db;
    private ReadModelProjector projector;

    private final DiscoveredVm vm = vm(VM, "pgtest1", "disk-2000", "disk-2001");
    private final DiscoveredVm otherVm = vm(OTHER_VM, "web01", "disk-2000");

    @BeforeAll
    static void database() {
        db = ReadModelDatabase.create("projector");
    }

    @BeforeEach
    void emptyTables() {
        db.truncate();
        projector = new ReadModelProjector(db.dsl());
    }

    @Test
    void aReplicationFromRequestToCompletionFillsEveryTable() {
        // when
        for (Sourced event : history()) {
            apply(event.event());
        }

        // then
        Map<String, List<Map<String, Object>>> tables = db.snapshot();
        assertThat(tables.get("replication_requests")).containsExactly(
                row("request_id", "req-1", "vmware_vm_id", VM, "vm_name", "pgtest1", "requested_by", "gui",
                        "start_replication", true, "failover_id", null, "outcome", "job_started", "job_id", "job-1",
                        "context_id", CTX, "reason", null, "message", null, "created_at", at(0), "decided_at", at(1)),
                row("request_id", "req-2", "vmware_vm_id", VM, "vm_name", "pgtest1", "requested_by", "gui",
                        "start_replication", true, "failover_id", null, "outcome", "rejected", "job_id", null,
                        "context_id", CTX, "reason", "ACTIVE_REPLICATION_JOB", "message", "VM has active replication job",
                        "created_at", at(3), "decided_at", at(4)),
                row("request_id", "req-3", "vmware_vm_id", OTHER_VM, "vm_name", "web01", "requested_by", "scheduler",
                        "start_replication", true, "failover_id", null, "outcome", "job_failed", "job_id", "job-2",
                        "context_id", "ctx-web01", "reason", "STALLED", "message", "no progress for 10 minutes",
                        "created_at", at(5), "decided_at", at(6)),
                row("request_id", "req-4", "vmware_vm_id", OTHER_VM, "vm_name", "web01", "requested_by", "api",
                        "start_replication", false, "failover_id", null, "outcome", "discovery_failed", "job_id", null,
                        "context_id", null, "reason", "TIMEOUT", "message", "the VMA did not answer within 15 s",
                        "created_at", at(40), "decided_at", at(41)));
        assertThat(tables.get("replication_jobs")).extracting(r -> r.get("id"), r -> r.get("status"),
                r -> r.get("progress_percent"), r -> r.get("bytes_transferred"), r -> r.get("current_operation"),
                r -> r.get("failure_reason"), r -> r.get("started_at"), r -> r.get("completed_at"))
                .containsExactly(
                        tuple("job-1", "completed", 100.0, 42L * 1024 * 1024 * 1024,
                                "completed", null, at(2), at(31)),
                        tuple("job-2", "failed", 0.0, 0L, "copy", "STALLED", null, at(9)));
        Map<String, Object> job1 = tables.get("replication_jobs").get(0);
        assertThat(job1).containsEntry("context_id", CTX).containsEntry("vmware_vm_id", VM)
                .containsEntry("request_id", "req-1").containsEntry("source_vm_name", "pgtest1")
                .containsEntry("source_vm_path", "/DatabanxDC/vm/pgtest1").containsEntry("replication_type", "initial")
                .containsEntry("vma_sync_type", "full").containsEntry("total_bytes", 80L * 1024 * 1024 * 1024)
                .containsEntry("throughput_mbps", 950.0).containsEntry("eta_seconds", null)
                .containsEntry("ossea_config_id", 1L).containsEntry("requested_by", "gui")
                .containsEntry("created_at", at(1)).containsEntry("updated_at", at(31))
                .containsEntry("last_poll_at", at(25));
        assertThat(tables.get("vm_disks")).extracting(r -> r.get("job_id"), r -> r.get("disk_id"), r -> r.get("status"),
                r -> r.get("volume_id"), r -> r.get("nbd_export_name"), r -> r.get("change_id"),
                r -> r.get("progress_percent"), r -> r.get("size_gb"))
                .containsExactly(
                        tuple("job-1", "disk-2000", "completed", "vol-a",
                                "migration-vol-vol-a", "cbt-2000", 100.0, 40L),
                        tuple("job-1", "disk-2001", "completed", "vol-b",
                                "migration-vol-vol-b", "cbt-2001", 100.0, 40L),
                        tuple("job-2", "disk-2000", "failed", null, null, null, 0.0, 40L));
        assertThat(tables.get("disk_change_ids")).extracting(r -> r.get("job_id"), r -> r.get("disk_id"),
                r -> r.get("change_id"), r -> r.get("recorded_at"))
                .containsExactlyInAnyOrder(
                        tuple("job-1", "disk-2000", "cbt-2000", at(20)),
                        tuple("job-1", "disk-2001", "cbt-2001", at(30)));
        assertThat(tables.get("vm_replication_contexts")).singleElement().satisfies(ctx -> assertThat(ctx)
                .containsEntry("context_id", CTX).containsEntry("current_status", "ready_for_failover")
                .containsEntry("current_job_id", null).containsEntry("last_successful_job_id", "job-1")
                .containsEntry("total_jobs_run", 1).containsEntry("successful_jobs", 1)
                .containsEntry("failed_jobs", 0).containsEntry("state_version", 3L)
                .containsEntry("cpu_count", 2).containsEntry("memory_mb", 8192L));
    }

    @Test
    void replayingEveryEventAgainChangesNothing() {
        // given
        for (Sourced event : history()) {
            apply(event.event());
        }
        Map<String, List<Map<String, Object>>> once = db.snapshot();

        // when
        for (Sourced event : history()) {
            apply(event.event());
        }

        // then
        assertThat(db.snapshot()).isEqualTo(once);
    }

    @Test
    void anyInterleavingOfTheTopicsGivesTheSameTables() {
        // given
        for (Sourced event : history()) {
            apply(event.event());
        }
        Map<String, List<Map<String, Object>>> inOrder = db.snapshot();
        Random random = new Random(20250923);

        for (int run = 0; run < 12; run++) {
            db.truncate();

            // when
            for (SpecificRecord event : interleave(history(), random)) {
                apply(event);
            }

            // then
            assertThat(db.snapshot()).as("interleaving %d", run).isEqualTo(inOrder);
        }
    }

    @Test
    void batchesOfAnyInterleavingReplayedGiveTheSameTablesAsOneEventAtATime() {
        // given
        for (Sourced event : history()) {
            apply(event.event());
        }
        Map<String, List<Map<String, Object>>> oneByOne = db.snapshot();
        Random random = new Random(20261127);

        for (int run = 0; run < 6; run++) {
            db.truncate();

            // when: the topics interleaved, cut into batches of 1 to 8 events, each batch one transaction,
            // and all of it delivered twice
            List<SpecificRecord> order = interleave(history(), random);
            for (int pass = 0; pass < 2; pass++) {
                for (int from = 0; from < order.size(); ) {
                    int to = Math.min(order.size(), from + 1 + random.nextInt(8));
                    projector.projectAll(order.subList(from, to));
                    from = to;
                }
            }

            // then
            assertThat(db.snapshot()).as("run %d", run).isEqualTo(oneByOne);
        }
    }

    @Test
    void longRunsOfOneEventTypeInABatchGiveTheSameTablesAsOneEventAtATime() {
        // given: four replications in pipeline order, each type's events in a row (as a poll returns a
        // partition's records), with events that touch a row another event of their type touches (a
        // redelivered progress report, a second completion with other change ids, a second start with
        // other volumes, a second change id of a disk, the contexts' three versions)
        List<SpecificRecord> events = runsOfOneType();
        for (SpecificRecord event : events) {
            apply(event);
        }
        Map<String, List<Map<String, Object>>> oneByOne = db.snapshot();
        Random random = new Random(20261128);

        for (int run = 0; run < 4; run++) {
            db.truncate();

            // when: all in one batch, then cut into batches of 1 to 30 events
            if (run == 0) {
                projector.projectAll(events);
            } else {
                for (int from = 0; from < events.size(); ) {
                    int to = Math.min(events.size(), from + 1 + random.nextInt(30));
                    projector.projectAll(events.subList(from, to));
                    from = to;
                }
            }

            // then
            assertThat(db.snapshot()).as("run %d", run).isEqualTo(oneByOne);
        }
        assertThat(oneByOne).extractingFromEntries(Map.Entry::getKey, table -> table.getValue().size())
                .containsExactly(tuple("vm_replication_contexts", 4), tuple("replication_jobs", 4),
                        tuple("vm_disks", 8), tuple("disk_change_ids", 9), tuple("replication_requests", 4));
        assertThat(oneByOne.get("vm_disks")).extracting(r -> r.get("status"), r -> r.get("change_id"),
                r -> r.get("volume_id"))
                .containsExactly(
                        tuple("completed", "cbt-disk-2000", "vol-a-0"), tuple("completed", "cbt-disk-2001", "vol-b-0"),
                        tuple("completed", "cbt-disk-2000", "vol-a-1"), tuple("completed", "cbt-disk-2001", "vol-b-1"),
                        tuple("completed", "cbt-disk-2000", "2000-again"), tuple("completed", "cbt-disk-2001", "2001-again"),
                        tuple("completed", "cbt-disk-2000", "vol-a-3"), tuple("completed", "cbt-disk-2001", "vol-b-3"));
    }

    @Test
    void aBatchWithAnEventThatCannotBeProjectedWritesNothingOfTheBatch() {
        // given: the history with an event the read model is not built from in its middle
        Map<String, List<Map<String, Object>>> empty = db.snapshot();
        List<SpecificRecord> batch = new ArrayList<>(history().stream().map(Sourced::event).toList());
        int middle = batch.size() / 2;
        batch.add(middle, discovered("req-9", vm));

        // when / then
        assertThatThrownBy(() -> projector.projectAll(batch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the read model is not built from VmDiscovered");
        assertThat(db.snapshot()).isEqualTo(empty);
        assertThat(ReadModelProjector.projects(batch.get(middle))).isFalse();
        assertThat(batch.stream().filter(ReadModelProjector::projects)).hasSize(batch.size() - 1);
    }

    @Test
    void jobStartedBeforeJobCreatedAndTheRequestLastGiveTheSameTables() {
        // given
        List<Sourced> history = history();
        for (Sourced event : history) {
            apply(event.event());
        }
        Map<String, List<Map<String, Object>>> inOrder = db.snapshot();
        db.truncate();

        // when: each topic's events in order, but topics in reverse
        List<String> topics = new ArrayList<>();
        for (Sourced event : history) {
            if (!topics.contains(event.topic())) {
                topics.add(0, event.topic());
            }
        }
        for (String topic : topics) {
            for (Sourced event : history) {
                if (event.topic().equals(topic)) {
                    apply(event.event());
                }
            }
        }

        // then
        assertThat(db.snapshot()).isEqualTo(inOrder);
    }

    @Test
    void anOlderContextVersionNeverOverwritesANewerOne() {
        // given
        List<VmContext> versions = new ArrayList<>();
        for (Sourced event : history()) {
            if (event.event() instanceof VmContext context && context.getVmwareVmId().equals(VM)) {
                versions.add(context);
            }
        }
        projector.project(versions.get(versions.size() - 1));

        // when
        projector.project(versions.get(0));

        // then
        assertThat(db.snapshot().get("vm_replication_contexts")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("state_version", (long) versions.size())
                        .containsEntry("current_status", "ready_for_failover"));
    }

    /** One event and the topic it came from. */
    private record Sourced(String topic, SpecificRecord event) {
    }

    /**
     * The events of: req-1 creating pgtest1's context and job-1, which starts, progresses and completes;
     * req-2 rejected; req-3 creating job-2 on web01, which fails; req-4 failing discovery.
     */
    private List<Sourced> history() {
        MutableClock clock = new MutableClock(T0.plusSeconds(1));
        VmContextDecider decider = new VmContextDecider(clock, new SequenceIds());
        List<Sourced> events = new ArrayList<>();

        events.add(new Sourced("requested", requested("req-1", vm, request(vm).build())));
        Decision created = decider.decide(null, discovered("req-1", vm), false);
        events.add(new Sourced("context-created", created.events().get(0)));
        events.add(new Sourced("job-created", created.events().get(1)));
        events.add(new Sourced("contexts", created.state()));
        clock.advance(Duration.ofSeconds(1));
        var started = stamp(jobStarted("req-1", VM, "job-1", CTX,
                List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"))), 2);
        events.add(new Sourced("job-started", started));
        Decision withVolumes = decider.decide(created.state(), started, false);
        events.add(new Sourced("contexts", withVolumes.state()));

        events.add(new Sourced("requested", stamp(requested("req-2", vm, request(vm).build()), 3)));
        clock.advance(Duration.ofSeconds(2));
        Decision rejection = decider.decide(withVolumes.state(), discovered("req-2", vm), false);
        events.add(new Sourced("rejected", rejection.events().get(0)));

        events.add(new Sourced("requested", stamp(requested("req-3", otherVm,
                request(otherVm).setRequestedBy("scheduler").build()), 5)));
        events.add(new Sourced("job-created", stamp(JobCreated.newBuilder().setEventId("created-job-2")
                .setOccurredAt(T0).setCorrelationId("req-3").setVmwareVmId(OTHER_VM).setJobId("job-2")
                .setContextId("ctx-web01").setReplicationType(ReplicationType.initial).setVm(otherVm)
                .setRequestedBy("scheduler").build(), 6)));
        events.add(new Sourced("job-failed", stamp(jobFailed("req-3", OTHER_VM, "job-2", "ctx-web01"), 9)));

        events.add(new Sourced("job-progress", progress(10, 50.0, 40L, List.of(diskProgress("disk-2000", 80.0),
                diskProgress("disk-2001", 20.0)))));
        events.add(new Sourced("change-ids", stamp(changeIdRecorded("req-1", VM, "job-1", CTX, "disk-2000", "cbt-2000"), 20)));
        events.add(new Sourced("job-progress", progress(25, 80.0, 64L, List.of(diskProgress("disk-2000", 100.0),
                diskProgress("disk-2001", 60.0)))));
        events.add(new Sourced("change-ids", stamp(changeIdRecorded("req-1", VM, "job-1", CTX, "disk-2001", "cbt-2001"), 30)));
        var completed = stamp(jobCompleted("req-1", VM, "job-1", CTX,
                List.of(changeId("disk-2000", "cbt-2000"), changeId("disk-2001", "cbt-2001"))), 31);
        events.add(new Sourced("job-completed", completed));
        clock.advance(Duration.ofSeconds(28));
        events.add(new Sourced("contexts", decider.decide(withVolumes.state(), completed, false).state()));

        events.add(new Sourced("requested", stamp(requested("req-4", otherVm,
                request(otherVm).setStartReplication(false).setRequestedBy("api").build()), 40)));
        events.add(new Sourced("discovery-failed", DiscoveryFailed.newBuilder().setEventId("df-4")
                .setOccurredAt(T0.plusSeconds(41)).setCorrelationId("req-4").setVmwareVmId(OTHER_VM)
                .setVmName("web01").setReason(DiscoveryFailureReason.TIMEOUT)
                .setMessage("the VMA did not answer within 15 s").build()));
        return events;
    }

    /**
     * Four replications ({@link ReplicationEvents}) with a second event of a type for a row already
     * touched, ordered by pipeline step (stable: each VM's events of one step stay in order).
     */
    private static List<SpecificRecord> runsOfOneType() {
        List<List<SpecificRecord>> replications = ReplicationEvents.replications(1, 4, T0);
        List<SpecificRecord> events = new ArrayList<>();
        replications.forEach(events::addAll);
        List<SpecificRecord> vm0 = replications.get(0);
        events.add(vm0.get(7));
        JobCompleted completed = (JobCompleted) replications.get(1).get(11);
        events.add(JobCompleted.newBuilder(completed).setEventId("completed-again")
                .setOccurredAt(completed.getOccurredAt().plusSeconds(5))
                .setChangeIds(List.of(changeId("disk-2000", "cbt-other"), changeId("disk-2001", "cbt-other")))
                .build());
        JobStarted started = (JobStarted) replications.get(2).get(4);
        events.add(JobStarted.newBuilder(started).setEventId("started-again")
                .setVolumes(List.of(volume("disk-2000", "2000-again"), volume("disk-2001", "2001-again"))).build());
        ChangeIdRecorded recorded = (ChangeIdRecorded) replications.get(3).get(9);
        events.add(ChangeIdRecorded.newBuilder(recorded).setEventId("changeid-again").setChangeId("cbt-again")
                .setOccurredAt(recorded.getOccurredAt().plusMillis(1)).build());
        List<Class<?>> steps = List.of(ReplicationRequested.class, ContextCreated.class, JobCreated.class,
                VmContext.class, JobStarted.class, JobProgress.class, ChangeIdRecorded.class, JobCompleted.class);
        events.sort(Comparator.comparingInt(event -> steps.indexOf(event.getClass())));
        return events;
    }

    private static JobProgress progress(int second, double percent, long gib, List<DiskProgress> disks) {
        return JobProgress.newBuilder().setEventId("progress-" + second).setOccurredAt(T0.plusSeconds(second))
                .setCorrelationId("req-1").setVmwareVmId(VM).setJobId("job-1").setContextId(CTX).setPercent(percent)
                .setPhase("copy").setCurrentOperation("copying disk").setSyncType("full")
                .setBytesTransferred(gib * 1024 * 1024 * 1024).setTotalBytes(80L * 1024 * 1024 * 1024)
                .setThroughputMbps(950.0).setEtaSeconds(30L).setDisks(disks).build();
    }

    private static DiskProgress diskProgress(String diskId, double percent) {
        return DiskProgress.newBuilder().setDiskId(diskId).setPercent(percent)
                .setBytesTransferred((long) (percent * 1024 * 1024 * 1024 * 40 / 100))
                .setTotalBytes(40L * 1024 * 1024 * 1024).build();
    }

    /** The events of {@code history} in a random order that keeps each topic's order. */
    private static List<SpecificRecord> interleave(List<Sourced> history, Random random) {
        Map<String, Deque<SpecificRecord>> byTopic = new LinkedHashMap<>();
        for (Sourced event : history) {
            byTopic.computeIfAbsent(event.topic(), t -> new ArrayDeque<>()).add(event.event());
        }
        List<SpecificRecord> order = new ArrayList<>();
        List<Deque<SpecificRecord>> queues = new ArrayList<>(byTopic.values());
        while (!queues.isEmpty()) {
            Deque<SpecificRecord> queue = queues.get(random.nextInt(queues.size()));
            order.add(queue.removeFirst());
            if (queue.isEmpty()) {
                queues.remove(queue);
            }
        }
        return order;
    }

    private void apply(SpecificRecord event) {
        projector.project(event);
    }

    private static <T extends SpecificRecord> T stamp(T event, int second) {
        event.put(event.getSchema().getField("occurred_at").pos(), T0.plusSeconds(second));
        return event;
    }

    private static OffsetDateTime at(int second) {
        return OffsetDateTime.ofInstant(T0.plusSeconds(second), ZoneOffset.UTC);
    }

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }
}
