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
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VmContext;
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
    private static final String CTX = EventIds.newContextId("pgtest1", T0);

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
                .setVolumes(List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"))).build());
        assertThat(oneChangeId).isEqualTo(VmContext.newBuilder(started).setEventId("event-5").setVersion(3)
                .setPendingChangeIds(List.of(changeId("disk-2000", "52 3c/7"))).build());
        assertThat(completion.events()).isEmpty();
        assertThat(completion.outcome()).isEqualTo("job_completed");
        assertThat(completion.state()).isEqualTo(VmContext.newBuilder(oneChangeId).setEventId("event-6").setVersion(4)
                .setCurrentJobId(null).setCurrentJobType(null).setLastSuccessfulJobId("job-1").setSuccessfulJobs(1)
                .setChangeIds(List.of(changeId("disk-2000", "52 3c/8"), changeId("disk-2001", "52 3d/2")))
                .setPendingChangeIds(List.of()).setCurrentStatus(ContextStatus.ready_for_failover).build());
    }

    @Test
    void completedChangeIdsMergeWithTheKnownOnesAndTheEventWins() {
        // given: job-1 completed with change ids for both disks, job-2 running
        VmContext ctx = completedFirstJob();
        VmContext running = decider.decide(ctx, discovered("req-2", vm), false).state();

        // when: job-2 reports one disk only
        VmContext after = decider.decide(running,
                jobCompleted("req-2", VM, "job-2", CTX, List.of(changeId("disk-2001", "new-2001"))), false).state();

        // then
        assertThat(after.getChangeIds()).containsExactly(changeId("disk-2000", "cbt-2000"),
                changeId("disk-2001", "new-2001"));
        assertThat(after.getLastSuccessfulJobId()).isEqualTo("job-2");
        assertThat(after.getSuccessfulJobs()).isEqualTo(2);
        assertThat(after.getTotalJobsRun()).isEqualTo(2);
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

    /** job-1 created, started and completed with change ids for both disks. */
    private VmContext completedFirstJob() {
        VmContext ctx = decider.decide(null, discovered("req-1", vm), false).state();
        ctx = decider.decide(ctx, jobStarted("req-1", VM, "job-1", CTX,
                List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"))), false).state();
        return decider.decide(ctx, jobCompleted("req-1", VM, "job-1", CTX,
                List.of(changeId("disk-2000", "cbt-2000"), changeId("disk-2001", "cbt-2001"))), false).state();
    }
}
