package io.migratekit.jobs.decision;

import static io.migratekit.jobs.testing.Events.T0;
import static io.migratekit.jobs.testing.Events.changeId;
import static io.migratekit.jobs.testing.Events.changeIdRecorded;
import static io.migratekit.jobs.testing.Events.failoverCleanedUp;
import static io.migratekit.jobs.testing.Events.discovered;
import static io.migratekit.jobs.testing.Events.failoverCompleted;
import static io.migratekit.jobs.testing.Events.failoverFailed;
import static io.migratekit.jobs.testing.Events.failoverRequested;
import static io.migratekit.jobs.testing.Events.jobCompleted;
import static io.migratekit.jobs.testing.Events.jobFailed;
import static io.migratekit.jobs.testing.Events.jobStarted;
import static io.migratekit.jobs.testing.Events.request;
import static io.migratekit.jobs.testing.Events.vm;
import static io.migratekit.jobs.testing.Events.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.events.ContextCreated;
import io.migratekit.events.ContextStatus;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverRejected;
import io.migratekit.events.FailoverRejectionReason;
import io.migratekit.events.FailoverType;
import io.migratekit.events.JobCreated;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VmContext;
import io.migratekit.events.VolumesSuperseded;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.jobs.testing.MutableClock;
import io.migratekit.jobs.testing.SequenceIds;
import io.migratekit.schemas.EventIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The fold of job and failover facts into a context, and the details of job creation, on the plain
 * decider. The request rules end to end through the topology are in {@link VmContextTopologyTest}.
 */
class VmContextDeciderTest {

    private static final String VM = "420570c7-f61f-a930-77c5-1e876786cb3c";
    private static final String CTX = EventIds.newContextId("pgtest1", VM, T0);

    private final MutableClock clock = new MutableClock(T0);
    private final VmContextDecider decider = new VmContextDecider(clock, new SequenceIds());
    private final DiscoveredVm vm = vm(VM, "pgtest1", "disk-2000", "disk-2001");

    @Test
    void aNewVmToReplicateGetsAContextAndAnInitialJob() {
        // when
        Decision decision = decider.decide(null, discovered("req-1", vm), false);

        // then
        assertThat(decision.outcome()).isEqualTo("context_and_job_created");
        assertThat(decision.events()).containsExactly(
                ContextCreated.newBuilder().setEventId("event-1").setOccurredAt(T0).setCorrelationId("req-1")
                        .setVmwareVmId(VM).setContextId(CTX).setVmName("pgtest1").setVmPath("/DatabanxDC/vm/pgtest1")
                        .setVcenterHost("vcenter.example.test").setDatacenter("DatabanxDC")
                        .setCurrentStatus(ContextStatus.replicating).setStartReplication(true).setVm(vm)
                        .setRequestedBy("gui").build(),
                JobCreated.newBuilder().setEventId("event-2").setOccurredAt(T0).setCorrelationId("req-1")
                        .setVmwareVmId(VM).setJobId("job-1").setContextId(CTX).setContextCreated(true)
                        .setReplicationType(ReplicationType.initial).setReplicationTypeRequested(false).setVm(vm)
                        .setPreviousChangeIds(List.of()).setPreviousVolumes(List.of()).setOsseaConfigId(1L)
                        .setRequestedBy("gui").build());
        assertThat(decision.state()).isEqualTo(VmContext.newBuilder().setEventId("event-3").setOccurredAt(T0)
                .setCorrelationId("req-1").setVmwareVmId(VM).setContextId(CTX).setVmName("pgtest1")
                .setVmPath("/DatabanxDC/vm/pgtest1").setVcenterHost("vcenter.example.test").setDatacenter("DatabanxDC")
                .setCurrentStatus(ContextStatus.replicating).setCurrentJobId("job-1")
                .setCurrentJobType(ReplicationType.initial).setTotalJobsRun(1).setVm(vm).setCreatedAt(T0)
                .setUpdatedAt(T0).setVersion(1).build());
    }

    @Test
    void jobFactsFoldIntoTheContextUntilTheJobCompletes() {
        // given
        VmContext ctx = decider.decide(null, discovered("req-1", vm), false).state();

        // when
        clock.advance(Duration.ofSeconds(1));
        VmContext started = decider.decide(ctx, jobStarted("req-1", VM, "job-1", CTX,
                List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"))), false).state();
        VmContext oneChangeId = decider.decide(started,
                changeIdRecorded("req-1", VM, "job-1", CTX, "disk-2000", "52 3c/7"), false).state();
        Decision completion = decider.decide(oneChangeId, jobCompleted("req-1", VM, "job-1", CTX,
                List.of(changeId("disk-2000", "52 3c/8"), changeId("disk-2001", "52 3d/2"))), false);

        // then
        Instant later = T0.plusSeconds(1);
        assertThat(started).isEqualTo(VmContext.newBuilder(ctx).setEventId("event-4").setOccurredAt(later)
                .setUpdatedAt(later).setVersion(2)
                .setPendingVolumes(List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"))).build());
        assertThat(oneChangeId).isEqualTo(VmContext.newBuilder(started).setEventId("event-5").setVersion(3)
                .setPendingChangeIds(List.of(changeId("disk-2000", "52 3c/7"))).build());
        assertThat(completion.events()).isEmpty();
        assertThat(completion.outcome()).isEqualTo("job_completed");
        assertThat(completion.state()).isEqualTo(VmContext.newBuilder(oneChangeId).setEventId("event-6").setVersion(4)
                .setCurrentJobId(null).setCurrentJobType(null).setLastSuccessfulJobId("job-1").setSuccessfulJobs(1)
                .setChangeIds(List.of(changeId("disk-2000", "52 3c/8"), changeId("disk-2001", "52 3d/2")))
                .setPendingChangeIds(List.of()).setCurrentStatus(ContextStatus.ready_for_failover)
                .setVolumes(List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b")))
                .setPendingVolumes(List.of()).build());
    }

    @Test
    void onlyTheChangeIdsTheCompletedJobConfirmedAreBases() {
        // given: job-1 completed with change ids for both disks, job-2 running
        VmContext ctx = completedFirstJob();
        VmContext running = decider.decide(ctx, discovered("req-2", vm), false).state();

        // when: job-2 completes with an id for one disk only
        VmContext after = decider.decide(running,
                jobCompleted("req-2", VM, "job-2", CTX, List.of(changeId("disk-2001", "new-2001"))), false).state();

        // then: disk-2000's old id no longer describes what its volume holds
        assertThat(after.getChangeIds()).containsExactly(changeId("disk-2001", "new-2001"));
        assertThat(after.getLastSuccessfulJobId()).isEqualTo("job-2");
        assertThat(after.getSuccessfulJobs()).isEqualTo(2);
        assertThat(after.getTotalJobsRun()).isEqualTo(2);
    }

    @Test
    void aChangeIdThatArrivesAfterItsJobEndedGivesTheNextJobNoBaseForThatDisk() {
        // given: job-2 (incremental) completed with disk-2000's id only; disk-2001's id arrives late
        VmContext ctx = completedFirstJob();
        ctx = decider.decide(ctx, discovered("req-2", vm), false).state();
        ctx = decider.decide(ctx, jobStarted("req-2", VM, "job-2", CTX,
                List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"))), false).state();
        ctx = decider.decide(ctx, jobCompleted("req-2", VM, "job-2", CTX, List.of(changeId("disk-2000", "2000-b"))),
                false).state();
        Decision late = decider.decide(ctx, changeIdRecorded("req-2", VM, "job-2", CTX, "disk-2001", "2001-late"),
                false);

        // when
        Decision next = decider.decide(ctx, discovered("req-3", vm,
                request(vm).setReplicationType(ReplicationType.incremental).build()), false);

        // then: the late id changed nothing; disk-2001 has no base, so no volume is handed on as its base
        assertThat(late).isEqualTo(Decision.unchanged("not_current_job"));
        JobCreated job = (JobCreated) next.events().get(0);
        assertThat(job.getReplicationType()).isEqualTo(ReplicationType.incremental);
        assertThat(job.getPreviousChangeIds()).containsExactly(changeId("disk-2000", "2000-b"));
        assertThat(job.getPreviousVolumes()).containsExactly(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"));
    }

    @Test
    void aStartedJobThatFailsLeavesTheLastCompletedJobsVolumesAsTheBase() {
        // given: job-1 completed on vol-a / vol-b; job-2 (initial) started on new volumes
        VmContext ctx = completedFirstJob();
        ctx = decider.decide(ctx, discovered("req-2", vm,
                request(vm).setReplicationType(ReplicationType.initial).build()), false).state();
        VmContext started = decider.decide(ctx, jobStarted("req-2", VM, "job-2", CTX,
                List.of(volume("disk-2000", "vol-c"), volume("disk-2001", "vol-d"))), false).state();

        // when
        VmContext failed = decider.decide(started, jobFailed("req-2", VM, "job-2", CTX), false).state();
        JobCreated next = (JobCreated) decider.decide(failed, discovered("req-3", vm), false).events().get(0);

        // then: the half-written vol-c / vol-d are never paired with job-1's change ids
        assertThat(started.getVolumes()).containsExactly(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"));
        assertThat(failed.getVolumes()).containsExactly(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"));
        assertThat(failed.getPendingVolumes()).isEmpty();
        assertThat(next.getReplicationType()).isEqualTo(ReplicationType.incremental);
        assertThat(next.getPreviousChangeIds()).containsExactly(changeId("disk-2000", "cbt-2000"),
                changeId("disk-2001", "cbt-2001"));
        assertThat(next.getPreviousVolumes()).containsExactly(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"));
    }

    @Test
    void theVolumesAJobNoLongerUsesAreReleasedOnlyWhenItCompletes() {
        // given: job-1 completed on vol-a / vol-b; job-2 (initial) started on vol-c / vol-d
        VmContext ctx = completedFirstJob();
        ctx = decider.decide(ctx, discovered("req-2", vm,
                request(vm).setReplicationType(ReplicationType.initial).build()), false).state();
        Decision started = decider.decide(ctx, jobStarted("req-2", VM, "job-2", CTX,
                List.of(volume("disk-2000", "vol-c"), volume("disk-2001", "vol-d"))), false);

        // when
        clock.advance(Duration.ofSeconds(5));
        Decision completed = decider.decide(started.state(), jobCompleted("req-2", VM, "job-2", CTX,
                List.of(changeId("disk-2000", "c-2000"), changeId("disk-2001", "c-2001"))), false);

        // then: nothing is released while job-2 runs; its completion releases exactly job-1's volumes
        assertThat(started.events()).isEmpty();
        assertThat(completed.outcome()).isEqualTo("job_completed");
        assertThat(completed.state().getVolumes()).containsExactly(volume("disk-2000", "vol-c"),
                volume("disk-2001", "vol-d"));
        assertThat(completed.events()).containsExactly(VolumesSuperseded.newBuilder()
                .setEventId("event-10")
                .setOccurredAt(T0.plusSeconds(5)).setCorrelationId("req-2").setVmwareVmId(VM).setContextId(CTX)
                .setJobId("job-2").setVolumes(List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b")))
                .build());
    }

    @Test
    void anIncrementalJobReleasesOnlyTheVolumeItReplacedAndAFailedJobReleasesNothing() {
        // given: job-1 completed on vol-a / vol-b; job-2 reuses vol-a and writes disk-2001 anew on vol-e
        VmContext ctx = completedFirstJob();
        ctx = decider.decide(ctx, discovered("req-2", vm), false).state();
        ctx = decider.decide(ctx, jobStarted("req-2", VM, "job-2", CTX,
                List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-e"))), false).state();

        // when
        Decision completed = decider.decide(ctx, jobCompleted("req-2", VM, "job-2", CTX,
                List.of(changeId("disk-2000", "c-2000"))), false);
        Decision failed = decider.decide(ctx, jobFailed("req-2", VM, "job-2", CTX), false);

        // then
        assertThat(completed.events()).singleElement().isInstanceOfSatisfying(VolumesSuperseded.class,
                released -> assertThat(released.getVolumes()).containsExactly(volume("disk-2001", "vol-b")));
        assertThat(failed.events()).isEmpty();
        assertThat(failed.state().getVolumes()).containsExactly(volume("disk-2000", "vol-a"),
                volume("disk-2001", "vol-b"));
    }

    @Test
    void aChangeIdWithoutTheVolumeItDescribesIsNoBase() {
        // given: job-1 completed with ids for both disks, but only disk-2000's volume is known
        VmContext ctx = decider.decide(null, discovered("req-1", vm), false).state();
        ctx = decider.decide(ctx, jobStarted("req-1", VM, "job-1", CTX, List.of(volume("disk-2000", "vol-a"))), false)
                .state();
        ctx = decider.decide(ctx, jobCompleted("req-1", VM, "job-1", CTX,
                List.of(changeId("disk-2000", "cbt-2000"), changeId("disk-2001", "cbt-2001"))), false).state();

        // when
        Decision detected = decider.decide(ctx, discovered("req-2", vm), false);
        Decision requested = decider.decide(ctx, discovered("req-3", vm,
                request(vm).setReplicationType(ReplicationType.incremental).build()), false);

        // then
        JobCreated auto = (JobCreated) detected.events().get(0);
        assertThat(auto.getReplicationType()).isEqualTo(ReplicationType.initial);
        assertThat(auto.getPreviousChangeIds()).isEmpty();
        JobCreated incremental = (JobCreated) requested.events().get(0);
        assertThat(incremental.getPreviousChangeIds()).containsExactly(changeId("disk-2000", "cbt-2000"));
    }

    @Test
    void aDiskAddedToTheVmMakesTheDetectedJobInitialWithoutBases() {
        // given
        VmContext ctx = completedFirstJob();
        DiscoveredVm grown = vm(VM, "pgtest1", "disk-2000", "disk-2001", "disk-2002");

        // when
        JobCreated job = (JobCreated) decider.decide(ctx, discovered("req-2", grown), false).events().get(0);

        // then
        assertThat(job.getReplicationType()).isEqualTo(ReplicationType.initial);
        assertThat(job.getPreviousChangeIds()).isEmpty();
    }

    @Test
    void aFailedJobFreesTheVmAndItsChangeIdsAreDropped() {
        // given
        VmContext ctx = decider.decide(null, discovered("req-1", vm), false).state();
        ctx = decider.decide(ctx, changeIdRecorded("req-1", VM, "job-1", CTX, "disk-2000", "half-done"), false).state();

        // when
        Decision failure = decider.decide(ctx, jobFailed("req-1", VM, "job-1", CTX), false);

        // then
        assertThat(failure.events()).isEmpty();
        assertThat(failure.state()).isEqualTo(VmContext.newBuilder(ctx).setEventId("event-5").setVersion(3)
                .setCurrentJobId(null).setCurrentJobType(null).setFailedJobs(1).setPendingChangeIds(List.of())
                .setCurrentStatus(ContextStatus.failed).build());
    }

    @Test
    void repeatedFactsChangeNothing() {
        // given
        VmContext ctx = decider.decide(null, discovered("req-1", vm), false).state();
        ctx = decider.decide(ctx, jobStarted("req-1", VM, "job-1", CTX, List.of(volume("disk-2000", "v"))), false)
                .state();
        ctx = decider.decide(ctx, changeIdRecorded("req-1", VM, "job-1", CTX, "disk-2000", "c1"), false).state();

        // when / then
        assertThat(decider.decide(ctx, jobStarted("req-1", VM, "job-1", CTX, List.of(volume("disk-2000", "v"))), false))
                .isEqualTo(Decision.unchanged("no_change"));
        assertThat(decider.decide(ctx, changeIdRecorded("req-1", VM, "job-1", CTX, "disk-2000", "c1"), false))
                .isEqualTo(Decision.unchanged("no_change"));
    }

    @Test
    void factsOfAJobThatIsNotCurrentChangeNothing() {
        // given
        VmContext ctx = completedFirstJob();

        // when / then
        assertThat(decider.decide(ctx, jobStarted("req-1", VM, "job-1", CTX, List.of()), false))
                .isEqualTo(Decision.unchanged("not_current_job"));
        assertThat(decider.decide(ctx, jobFailed("req-1", VM, "job-1", CTX), false))
                .isEqualTo(Decision.unchanged("not_current_job"));
        assertThat(decider.decide(ctx, jobCompleted("req-1", VM, "job-1", CTX, List.of()), false))
                .isEqualTo(Decision.unchanged("not_current_job"));
        assertThat(decider.decide(ctx, changeIdRecorded("req-1", VM, "job-9", CTX, "disk-2000", "x"), false))
                .isEqualTo(Decision.unchanged("not_current_job"));
        assertThat(decider.decide(null, jobFailed("req-1", VM, "job-1", CTX), false))
                .isEqualTo(Decision.unchanged("not_current_job"));
    }

    @Test
    void aRequestedTypeWinsOverDetection() {
        // given: every disk has a change id
        VmContext ctx = completedFirstJob();

        // when
        Decision decision = decider.decide(ctx,
                discovered("req-2", vm, request(vm).setReplicationType(ReplicationType.initial).build()), false);

        // then
        JobCreated job = (JobCreated) decision.events().get(0);
        assertThat(job.getReplicationType()).isEqualTo(ReplicationType.initial);
        assertThat(job.getReplicationTypeRequested()).isTrue();
        assertThat(job.getPreviousChangeIds()).isEmpty();
        assertThat(decision.state().getCurrentJobType()).isEqualTo(ReplicationType.initial);
    }

    @Test
    void aFailoverIsAcceptedForAReplicatedIdleVmWithWhatTheFailoverNeeds() {
        // given
        VmContext replicated = completedFirstJob();

        // when
        Decision accepted = decider.decide(replicated, failoverRequested("fo-1", VM, CTX, FailoverType.test), false);

        // then
        assertThat(accepted.outcome()).isEqualTo("failover_accepted");
        assertThat(accepted.events()).containsExactly(FailoverAccepted.newBuilder().setEventId("event-6")
                .setOccurredAt(T0).setCorrelationId("fo-1").setVmwareVmId(VM).setFailoverId("fo-1").setContextId(CTX)
                .setVmName("pgtest1").setVmPath("/DatabanxDC/vm/pgtest1").setVcenterHost("vcenter.example.test")
                .setDatacenter("DatabanxDC").setFailoverType(FailoverType.test).setPowerOnSourceOnFailure(true)
                .setTestNetwork("test-net").setFinalSyncDeadlineMinutes(30).setRequestedBy("operator")
                .setLastSuccessfulJobId("job-1").setVolumes(replicated.getVolumes())
                .setCpus(2).setMemoryMb(8192).setDiskCount(2).setDiskCapacityBytes(80L * 1024 * 1024 * 1024).build());
        assertThat(accepted.state()).isEqualTo(VmContext.newBuilder(replicated).setEventId("event-7")
                .setCorrelationId("fo-1").setVersion(replicated.getVersion() + 1).setActiveFailoverId("fo-1")
                .setActiveFailoverType(FailoverType.test).setCurrentStatus(ContextStatus.failing_over).build());
    }

    @Test
    void aFailoverIsRefusedWithTheReasonOfTheFirstRuleItBreaks() {
        // given
        VmContext replicated = completedFirstJob();
        VmContext failingOver = decider.decide(replicated, failoverRequested("fo-1", VM, CTX, FailoverType.live), false)
                .state();
        VmContext running = decider.decide(replicated, discovered("req-2", vm), false).state();
        VmContext neverCompleted = decider.decide(null, discovered("req-3", vm(VM, "pgtest1", "disk-2000")), false)
                .state();
        neverCompleted = decider.decide(neverCompleted, jobFailed("req-3", VM, neverCompleted.getCurrentJobId(), CTX),
                false).state();
        VmContext failedOver = decider.decide(failingOver, failoverCompleted("fo-1", VM, CTX, FailoverType.live), false)
                .state();

        // when / then
        assertRefused(null, FailoverRejectionReason.VM_NOT_MANAGED, "VM is not managed", null);
        assertRefused(failingOver, FailoverRejectionReason.FAILOVER_IN_PROGRESS, "VM has a failover in progress", CTX);
        assertRefused(failedOver, FailoverRejectionReason.ALREADY_FAILED_OVER,
                "VM is already failed over (failed_over_live)", CTX);
        assertRefused(running, FailoverRejectionReason.ACTIVE_REPLICATION_JOB, "VM has active replication job", CTX);
        assertRefused(neverCompleted, FailoverRejectionReason.NO_COMPLETED_REPLICATION, "VM has no completed replication",
                CTX);
    }

    @Test
    void aRepeatedFailoverRequestIsDecidedOnce() {
        assertThat(decider.decide(completedFirstJob(), failoverRequested("fo-1", VM, CTX, FailoverType.live), true))
                .isEqualTo(Decision.unchanged("duplicate_request"));
    }

    private void assertRefused(VmContext ctx, FailoverRejectionReason reason, String message, String contextId) {
        Decision decision = decider.decide(ctx, failoverRequested("fo-9", VM, CTX, FailoverType.live), false);
        assertThat(decision.state()).isNull();
        assertThat(decision.events()).singleElement().isInstanceOfSatisfying(FailoverRejected.class, rejected -> {
            assertThat(rejected.getReason()).isEqualTo(reason);
            assertThat(rejected.getMessage()).isEqualTo(message);
            assertThat(rejected.getContextId()).isEqualTo(contextId);
            assertThat(rejected.getFailoverId()).isEqualTo("fo-9");
            assertThat(rejected.getCorrelationId()).isEqualTo("fo-9");
            assertThat(rejected.getVmName()).isEqualTo("pgtest1");
        });
    }

    @Test
    void aLiveFailoverKeepsTheContextFailingOverThroughItsFinalSyncAndEndsFailedOverLive() {
        // given
        VmContext ctx = decider.decide(completedFirstJob(), failoverRequested("fo-1", VM, CTX, FailoverType.live), false)
                .state();

        // when: the final sync runs and completes
        VmContext syncing = decider.decide(ctx,
                discovered("sync-1", vm, request(vm).setFailoverId("fo-1").setRequestedBy("failover-service").build()),
                false).state();
        VmContext synced = decider.decide(syncing, jobCompleted("sync-1", VM, "job-2", CTX,
                List.of(changeId("disk-2000", "final-2000"), changeId("disk-2001", "final-2001"))), false).state();
        VmContext done = decider.decide(synced, failoverCompleted("fo-1", VM, CTX, FailoverType.live), false).state();

        // then
        assertThat(syncing.getCurrentStatus()).isEqualTo(ContextStatus.failing_over);
        assertThat(syncing.getCurrentJobType()).isEqualTo(ReplicationType.incremental);
        assertThat(synced.getCurrentStatus()).isEqualTo(ContextStatus.failing_over);
        assertThat(done.getCurrentStatus()).isEqualTo(ContextStatus.failed_over_live);
        assertThat(done.getActiveFailoverId()).isNull();
        assertThat(done.getActiveFailoverType()).isNull();
        assertThat(decider.decide(done, failoverCompleted("fo-1", VM, CTX, FailoverType.live), false))
                .isEqualTo(Decision.unchanged("not_active_failover"));
    }

    @Test
    void aFailedFinalSyncKeepsTheFailoverAndAFailedFailoverReturnsTheVmToReady() {
        // given
        VmContext ctx = decider.decide(completedFirstJob(), failoverRequested("fo-1", VM, CTX, FailoverType.live), false)
                .state();
        ctx = decider.decide(ctx, discovered("sync-1", vm, request(vm).setFailoverId("fo-1").build()), false).state();

        // when
        VmContext syncFailed = decider.decide(ctx, jobFailed("sync-1", VM, "job-2", CTX), false).state();
        VmContext released = decider.decide(syncFailed, failoverFailed("fo-1", VM, CTX, FailoverType.live), false)
                .state();

        // then
        assertThat(syncFailed.getCurrentStatus()).isEqualTo(ContextStatus.failing_over);
        assertThat(syncFailed.getFailedJobs()).isEqualTo(1);
        assertThat(released.getCurrentStatus()).isEqualTo(ContextStatus.ready_for_failover);
        assertThat(released.getActiveFailoverId()).isNull();
    }

    @Test
    void aCompletedTestFailoverIsCleanedUpBackToReady() {
        // given
        VmContext ctx = decider.decide(completedFirstJob(), failoverRequested("fo-1", VM, CTX, FailoverType.test), false)
                .state();
        VmContext failedOver = decider.decide(ctx, failoverCompleted("fo-1", VM, CTX, FailoverType.test), false).state();

        // when
        VmContext cleaned = decider.decide(failedOver, failoverCleanedUp("fo-1", VM, CTX), false).state();

        // then
        assertThat(failedOver.getCurrentStatus()).isEqualTo(ContextStatus.failed_over_test);
        assertThat(cleaned.getCurrentStatus()).isEqualTo(ContextStatus.ready_for_failover);
        assertThat(decider.decide(cleaned, failoverCleanedUp("fo-1", VM, CTX), false))
                .isEqualTo(Decision.unchanged("not_failed_over_test"));
    }

    @Test
    void aReplicationRequestDuringATestFailoverIsRefusedAndTheTestFailoverKeepsItsGuardUntilCleanedUp() {
        // given: a completed test failover whose test VM still exists
        VmContext ctx = decider.decide(completedFirstJob(), failoverRequested("fo-1", VM, CTX, FailoverType.test), false)
                .state();
        VmContext testing = decider.decide(ctx, failoverCompleted("fo-1", VM, CTX, FailoverType.test), false).state();

        // when: a scheduled sync arrives, then a second test and a live failover
        Decision sync = decider.decide(testing, discovered("sched-1", vm), false);
        Decision secondTest = decider.decide(testing, failoverRequested("fo-2", VM, CTX, FailoverType.test), false);
        Decision live = decider.decide(testing, failoverRequested("fo-3", VM, CTX, FailoverType.live), false);

        // then: the sync is refused and changes nothing; so are both failovers
        assertThat(sync.outcome()).isEqualTo("rejected_FAILOVER_IN_PROGRESS");
        assertThat(sync.state()).isNull();
        assertThat(sync.events()).containsExactly(ReplicationRejected.newBuilder().setEventId("event-9")
                .setOccurredAt(T0).setCorrelationId("sched-1").setVmwareVmId(VM).setVmName("pgtest1").setContextId(CTX)
                .setReason(RejectionReason.FAILOVER_IN_PROGRESS)
                .setMessage("VM is failed over for a test and its test VM still exists; clean the test failover up first")
                .build());
        assertThat(secondTest.state()).isNull();
        assertThat(secondTest.events()).singleElement().isInstanceOfSatisfying(FailoverRejected.class, rejected ->
                assertThat(rejected.getReason()).isEqualTo(FailoverRejectionReason.ALREADY_FAILED_OVER));
        assertThat(live.events()).singleElement().isInstanceOfSatisfying(FailoverRejected.class, rejected ->
                assertThat(rejected.getMessage()).isEqualTo("VM is already failed over (failed_over_test)"));

        // and when the test failover is cleaned up, replication is taken again
        VmContext cleaned = decider.decide(testing, failoverCleanedUp("fo-1", VM, CTX), false).state();
        Decision afterCleanup = decider.decide(cleaned, discovered("sched-2", vm), false);
        assertThat(cleaned.getCurrentStatus()).isEqualTo(ContextStatus.ready_for_failover);
        assertThat(afterCleanup.outcome()).isEqualTo("job_created");
        assertThat(afterCleanup.state().getCurrentStatus()).isEqualTo(ContextStatus.replicating);
    }

    @Test
    void aTestFailoverAfterAnIncrementalJobFailedMidCopyIsRefusedWithTheReason() {
        // given: job-1 completed on vol-a/vol-b; job-2 (incremental, reusing them) started and failed mid-copy
        VmContext running = decider.decide(completedFirstJob(), discovered("req-2", vm), false).state();
        running = decider.decide(running, jobStarted("req-2", VM, "job-2", CTX,
                List.of(reused(volume("disk-2000", "vol-a")), reused(volume("disk-2001", "vol-b")))), false).state();
        VmContext failed = decider.decide(running, jobFailed("req-2", VM, "job-2", CTX), false).state();

        // when
        Decision test = decider.decide(failed, failoverRequested("fo-1", VM, CTX, FailoverType.test), false);
        Decision live = decider.decide(failed, failoverRequested("fo-2", VM, CTX, FailoverType.live), false);

        // then: the test failover is refused; the live one is accepted, its final sync rewrites the volumes
        assertThat(failed.getInterruptedJobId()).isEqualTo("job-2");
        assertThat(test.state()).isNull();
        assertThat(test.events()).containsExactly(FailoverRejected.newBuilder().setEventId("event-10")
                .setOccurredAt(T0).setCorrelationId("fo-1").setVmwareVmId(VM).setFailoverId("fo-1").setVmName("pgtest1")
                .setContextId(CTX).setReason(FailoverRejectionReason.LAST_JOB_FAILED_MID_COPY)
                .setMessage("the last replication job job-2 failed mid-copy on the volumes of the last completed job "
                        + "job-1, which now hold neither; run a replication (incremental sync) first, or a live "
                        + "failover, whose final sync brings them up to date")
                .build());
        assertThat(live.outcome()).isEqualTo("failover_accepted");
        assertThat(((FailoverAccepted) live.events().get(0)).getLastSuccessfulJobId()).isEqualTo("job-1");

        // and when a new sync completes, a test failover is accepted again
        VmContext synced = decider.decide(failed, discovered("req-3", vm), false).state();
        synced = decider.decide(synced, jobCompleted("req-3", VM, "job-3", CTX,
                List.of(changeId("disk-2000", "cbt-3a"), changeId("disk-2001", "cbt-3b"))), false).state();
        assertThat(synced.getInterruptedJobId()).isNull();
        assertThat(decider.decide(synced, failoverRequested("fo-4", VM, CTX, FailoverType.test), false).outcome())
                .isEqualTo("failover_accepted");
    }

    @Test
    void aFailoverAfterAFailedInitialJobUsesTheLastCompletedJobsVolumesAndChangeIds() {
        // given: job-1 completed on vol-a/vol-b; job-2, a requested initial sync, started on new volumes and failed
        VmContext replicated = completedFirstJob();
        VmContext running = decider.decide(replicated,
                discovered("req-2", vm, request(vm).setReplicationType(ReplicationType.initial).build()), false).state();
        running = decider.decide(running, jobStarted("req-2", VM, "job-2", CTX,
                List.of(volume("disk-2000", "vol-c"), volume("disk-2001", "vol-d"))), false).state();
        VmContext failed = decider.decide(running, jobFailed("req-2", VM, "job-2", CTX), false).state();

        // when
        Decision failover = decider.decide(failed, failoverRequested("fo-1", VM, CTX, FailoverType.test), false);
        Decision nextJob = decider.decide(failed, discovered("req-3", vm), false);

        // then: the failover and the next incremental job use job-1's volumes and change ids
        List<VolumeAttachment> job1Volumes = List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"));
        assertThat(failed.getInterruptedJobId()).isNull();
        assertThat(failed.getVolumes()).isEqualTo(job1Volumes);
        assertThat(failed.getPendingVolumes()).isEmpty();
        FailoverAccepted accepted = (FailoverAccepted) failover.events().get(0);
        assertThat(accepted.getLastSuccessfulJobId()).isEqualTo("job-1");
        assertThat(accepted.getVolumes()).isEqualTo(job1Volumes);
        JobCreated job = (JobCreated) nextJob.events().get(0);
        assertThat(job.getReplicationType()).isEqualTo(ReplicationType.incremental);
        assertThat(job.getPreviousVolumes()).isEqualTo(job1Volumes);
        assertThat(job.getPreviousChangeIds()).containsExactly(changeId("disk-2000", "cbt-2000"),
                changeId("disk-2001", "cbt-2001"));
    }

    @Test
    void twoVmsOfOneNameAddedInTheSameSecondGetTwoContexts() {
        // given: two VMs named pgtest1 in different folders, with different VM ids
        String otherVm = "4205aaaa-0000-1111-2222-333344445555";
        DiscoveredVm other = DiscoveredVm.newBuilder(vm(otherVm, "pgtest1", "disk-2000"))
                .setPath("/DatabanxDC/vm/staging/pgtest1").build();

        // when: both are added within the same second
        Decision first = decider.decide(null, discovered("req-1", vm), false);
        clock.advance(Duration.ofMillis(300));
        Decision second = decider.decide(null, discovered("req-2", other), false);

        // then
        String firstId = first.state().getContextId();
        String secondId = second.state().getContextId();
        assertThat(firstId).isEqualTo("ctx-pgtest1-20250923-101530-" + VM);
        assertThat(secondId).isEqualTo("ctx-pgtest1-20250923-101530-" + otherVm);
        assertThat(((ContextCreated) second.events().get(0)).getContextId()).isEqualTo(secondId);
        assertThat(((JobCreated) second.events().get(1)).getContextId()).isEqualTo(secondId);
    }

    @Test
    void aRejectionChangesNoState() {
        // given
        VmContext ctx = decider.decide(null, discovered("req-1", vm), false).state();

        // when
        Decision decision = decider.decide(ctx, discovered("req-2", vm), false);

        // then
        assertThat(decision.state()).isNull();
        assertThat(decision.events()).singleElement().isInstanceOf(ReplicationRejected.class);
    }

    @Test
    void anEventTheDecisionDoesNotTakeIsRefused() {
        SpecificRecord notAnInput = io.migratekit.jobs.testing.Events.requested("req-1", vm, request(vm).build());
        assertThatThrownBy(() -> decider.decide(null, notAnInput, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the decision does not take io.migratekit.events.ReplicationRequested");
    }

    private static VolumeAttachment reused(VolumeAttachment volume) {
        return VolumeAttachment.newBuilder(volume).setReused(true).build();
    }

    /** job-1 created, started and completed with change ids for both disks. */
    private VmContext completedFirstJob() {
        VmContext ctx = decider.decide(null, discovered("req-1", vm), false).state();
        ctx = decider.decide(ctx, jobStarted("req-1", VM, "job-1", CTX,
                List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"))), false).state();
        return decider.decide(ctx, jobCompleted("req-1", VM, "job-1", CTX,
                List.of(changeId("disk-2000", "cbt-2000"), changeId("disk-2001", "cbt-2001"))), false).state();
    }
}
