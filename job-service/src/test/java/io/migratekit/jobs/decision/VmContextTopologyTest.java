package io.migratekit.jobs.decision;

import static io.migratekit.jobs.testing.Events.T0;
import static io.migratekit.jobs.testing.Events.changeId;
import static io.migratekit.jobs.testing.Events.changeIdRecorded;
import static io.migratekit.jobs.testing.Events.disk;
import static io.migratekit.jobs.testing.Events.discovered;
import static io.migratekit.jobs.testing.Events.failoverCleanedUp;
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

import io.migratekit.events.ContextCreated;
import io.migratekit.events.ContextStatus;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverRejected;
import io.migratekit.events.FailoverRejectionReason;
import io.migratekit.events.FailoverType;
import io.migratekit.events.JobCreated;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VmContext;
import io.migratekit.events.VmDiscovered;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.jobs.decision.DecisionDriver.Output;
import io.migratekit.platform.KeyMismatchException;
import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.EventIds;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every decision rule through the real topology (TopologyTestDriver, real registry serdes): for each
 * input, the whole output of every output topic, and nothing more.
 */
class VmContextTopologyTest {

    private static final String VM = "420570c7-f61f-a930-77c5-1e876786cb3c";
    private static final String CTX = EventIds.newContextId("pgtest1", VM, T0);
    private static final List<VolumeAttachment> VOLUMES = List.of(volume("disk-2000", "vol-a"), volume("disk-2001", "vol-b"));

    private static RegistrySettings registry;

    private DecisionDriver driver;
    private final DiscoveredVm vm = vm(VM, "pgtest1", "disk-2000", "disk-2001");

    @BeforeAll
    static void registry() {
        registry = RegistrySettings.ofBaseUrl(SharedTestInfrastructure.get().registryBaseUrl());
    }

    @BeforeEach
    void startDriver() throws Exception {
        driver = new DecisionDriver(registry);
    }

    @AfterEach
    void closeDriver() throws Exception {
        driver.close();
    }

    @Test
    void aNewVmToReplicateGetsAContextAndAJob() {
        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm));

        // then
        Output out = driver.drain();
        assertThat(out.contextCreated()).containsExactly(KeyValue.pair(VM,
                contextCreated("event-1", "req-1", ContextStatus.replicating, true)));
        assertThat(out.jobCreated()).containsExactly(KeyValue.pair(VM, JobCreated.newBuilder()
                .setEventId("event-2").setOccurredAt(T0).setCorrelationId("req-1").setVmwareVmId(VM).setJobId("job-1")
                .setContextId(CTX).setContextCreated(true).setReplicationType(ReplicationType.initial)
                .setReplicationTypeRequested(false).setVm(vm).setPreviousChangeIds(List.of())
                .setPreviousVolumes(List.of()).setOsseaConfigId(1L).setRequestedBy("gui").build()));
        assertThat(out.rejected()).isEmpty();
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, VmContext.newBuilder().setEventId("event-3")
                .setOccurredAt(T0).setCorrelationId("req-1").setVmwareVmId(VM).setContextId(CTX).setVmName("pgtest1")
                .setVmPath("/DatabanxDC/vm/pgtest1").setVcenterHost("vcenter.example.test").setDatacenter("DatabanxDC")
                .setCurrentStatus(ContextStatus.replicating).setCurrentJobId("job-1")
                .setCurrentJobType(ReplicationType.initial).setTotalJobsRun(1).setVm(vm).setCreatedAt(T0)
                .setUpdatedAt(T0).setVersion(1).build()));
        assertThat(driver.contextStore().get(VM)).isEqualTo(out.contexts().get(0).value);
        assertThat(driver.drain().isEmpty()).isTrue();
    }

    @Test
    void aNewVmAddedToManagementGetsAContextOnly() {
        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm, request(vm).setStartReplication(false).build()));

        // then
        Output out = driver.drain();
        assertThat(out.contextCreated()).containsExactly(KeyValue.pair(VM,
                contextCreated("event-1", "req-1", ContextStatus.discovered, false)));
        assertThat(out.jobCreated()).isEmpty();
        assertThat(out.rejected()).isEmpty();
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, VmContext.newBuilder().setEventId("event-2")
                .setOccurredAt(T0).setCorrelationId("req-1").setVmwareVmId(VM).setContextId(CTX).setVmName("pgtest1")
                .setVmPath("/DatabanxDC/vm/pgtest1").setVcenterHost("vcenter.example.test").setDatacenter("DatabanxDC")
                .setCurrentStatus(ContextStatus.discovered).setTotalJobsRun(0).setVm(vm).setCreatedAt(T0)
                .setUpdatedAt(T0).setVersion(1).build()));
        assertThat(driver.drain().isEmpty()).isTrue();
    }

    @Test
    void aKnownVmAddedToManagementAgainIsRefused() {
        // given
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm, request(vm).setStartReplication(false).build()));
        driver.drain();

        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm, request(vm).setStartReplication(false).build()));

        // then
        Output out = driver.drain();
        assertThat(out.rejected()).containsExactly(KeyValue.pair(VM, rejected("event-3", "req-2",
                RejectionReason.VM_ALREADY_MANAGED, "VM already exists in management", null, null)));
        assertNothingBut(out, out.rejected());
        assertThat(driver.drain().isEmpty()).isTrue();
    }

    @Test
    void aVmWithAnActiveJobIsRefused() {
        // given
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm));
        driver.drain();

        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm));

        // then
        Output out = driver.drain();
        assertThat(out.rejected()).containsExactly(KeyValue.pair(VM, rejected("event-4", "req-2",
                RejectionReason.ACTIVE_REPLICATION_JOB, "VM has active replication job", "job-1", null)));
        assertNothingBut(out, out.rejected());
    }

    @Test
    void aManagedVmStartsItsFirstJobOnTheSameContext() {
        // given
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm, request(vm).setStartReplication(false).build()));
        VmContext managed = driver.drain().contexts().get(0).value;

        // when
        driver.advance(Duration.ofMinutes(5));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm));

        // then
        Output out = driver.drain();
        assertThat(out.jobCreated()).containsExactly(KeyValue.pair(VM, job("event-3", "req-2", "job-1",
                ReplicationType.initial, List.of(), List.of(), request(vm).build())));
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, VmContext.newBuilder(managed)
                .setEventId("event-4").setOccurredAt(later(5)).setCorrelationId("req-2").setUpdatedAt(later(5))
                .setVersion(2).setCurrentStatus(ContextStatus.replicating).setCurrentJobId("job-1")
                .setCurrentJobType(ReplicationType.initial).setTotalJobsRun(1).build()));
        assertNothingBut(out, out.jobCreated(), out.contexts());
    }

    @Test
    void aCompletedVmReplicatesIncrementallyOnTheSameContext() {
        // given
        VmContext replicated = completeFirstJob(List.of(changeId("disk-2000", "cbt-2000"), changeId("disk-2001", "cbt-2001")));

        // when
        driver.advance(Duration.ofMinutes(5));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm, request(vm).build()));

        // then
        Output out = driver.drain();
        assertThat(out.jobCreated()).containsExactly(KeyValue.pair(VM, job("event-6", "req-2", "job-2",
                ReplicationType.incremental, List.of(changeId("disk-2000", "cbt-2000"), changeId("disk-2001", "cbt-2001")),
                VOLUMES, request(vm).build())));
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, VmContext.newBuilder(replicated)
                .setEventId("event-7").setOccurredAt(later(5)).setCorrelationId("req-2").setUpdatedAt(later(5))
                .setVersion(replicated.getVersion() + 1).setCurrentStatus(ContextStatus.replicating)
                .setCurrentJobId("job-2").setCurrentJobType(ReplicationType.incremental).setTotalJobsRun(2).build()));
        assertNothingBut(out, out.jobCreated(), out.contexts());
    }

    @Test
    void aDiskWithoutAChangeIdForcesAnInitialJob() {
        // given: job-1 replicated two disks; the VM has a third disk now
        VmContext replicated = completeFirstJob(List.of(changeId("disk-2000", "cbt-2000"), changeId("disk-2001", "cbt-2001")));
        DiscoveredVm grown = vm(VM, "pgtest1", "disk-2000", "disk-2001", "disk-2002");

        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", grown));

        // then
        Output out = driver.drain();
        assertThat(out.jobCreated()).containsExactly(KeyValue.pair(VM, JobCreated.newBuilder(
                job("event-6", "req-2", "job-2", ReplicationType.initial, List.of(), VOLUMES, request(grown).build()))
                .setVm(grown).build()));
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, VmContext.newBuilder(replicated)
                .setEventId("event-7").setCorrelationId("req-2").setVersion(replicated.getVersion() + 1)
                .setCurrentStatus(ContextStatus.replicating).setCurrentJobId("job-2")
                .setCurrentJobType(ReplicationType.initial).setTotalJobsRun(2).setVm(grown).build()));
        assertNothingBut(out, out.jobCreated(), out.contexts());
    }

    @Test
    void theChangeIdsOfAFailedJobAreNeverTheBaseOfAnIncremental() {
        // given: job-1 completed (cbt-*-1), job-2 recorded newer change ids and then failed
        completeFirstJob(List.of(changeId("disk-2000", "cbt-2000-1"), changeId("disk-2001", "cbt-2001-1")));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm));
        driver.pipe(Topics.CHANGE_ID_RECORDED, changeIdRecorded("req-2", VM, "job-2", CTX, "disk-2000", "cbt-2000-2"));
        driver.pipe(Topics.CHANGE_ID_RECORDED, changeIdRecorded("req-2", VM, "job-2", CTX, "disk-2001", "cbt-2001-2"));
        driver.pipe(Topics.JOB_FAILED, jobFailed("req-2", VM, "job-2", CTX));
        List<KeyValue<String, VmContext>> contexts = driver.drain().contexts();
        VmContext failed = contexts.get(contexts.size() - 1).value;

        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-3", vm));

        // then
        Output out = driver.drain();
        assertThat(failed.getCurrentStatus()).isEqualTo(ContextStatus.failed);
        assertThat(failed.getPendingChangeIds()).isEmpty();
        assertThat(out.jobCreated()).containsExactly(KeyValue.pair(VM, job("event-11", "req-3", "job-3",
                ReplicationType.incremental,
                List.of(changeId("disk-2000", "cbt-2000-1"), changeId("disk-2001", "cbt-2001-1")), VOLUMES,
                request(vm).build())));
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, VmContext.newBuilder(failed)
                .setEventId("event-12").setCorrelationId("req-3").setVersion(failed.getVersion() + 1)
                .setCurrentStatus(ContextStatus.replicating).setCurrentJobId("job-3")
                .setCurrentJobType(ReplicationType.incremental).setTotalJobsRun(3).build()));
        assertNothingBut(out, out.jobCreated(), out.contexts());
    }

    @Test
    void eventsOfAJobThatIsNotCurrentChangeNothing() {
        // given: job-1 completed, job-2 running
        completeFirstJob(List.of(changeId("disk-2000", "c1"), changeId("disk-2001", "c2")));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm));
        driver.drain();

        // when: late or foreign facts
        driver.pipe(Topics.JOB_STARTED, jobStarted("req-1", VM, "job-1", CTX, List.of(volume("disk-2000", "other"))));
        driver.pipe(Topics.CHANGE_ID_RECORDED, changeIdRecorded("req-1", VM, "job-1", CTX, "disk-2000", "late"));
        driver.pipe(Topics.JOB_COMPLETED, jobCompleted("req-1", VM, "job-1", CTX, List.of(changeId("disk-2000", "late"))));
        driver.pipe(Topics.JOB_FAILED, jobFailed("req-x", VM, "job-x", CTX));

        // then
        assertThat(driver.drain().isEmpty()).isTrue();
        assertThat(driver.contextStore().get(VM).getCurrentJobId()).isEqualTo("job-2");
    }

    @Test
    void aReplicatedIdleVmIsAcceptedForFailover() {
        // given
        VmContext replicated = completeFirstJob(List.of(changeId("disk-2000", "c1"), changeId("disk-2001", "c2")));

        // when
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.live));

        // then
        Output out = driver.drain();
        assertThat(out.failoverAccepted()).containsExactly(KeyValue.pair(VM, FailoverAccepted.newBuilder()
                .setEventId("event-6").setOccurredAt(T0).setCorrelationId("fo-1").setVmwareVmId(VM).setFailoverId("fo-1")
                .setContextId(CTX).setVmName("pgtest1").setVmPath("/DatabanxDC/vm/pgtest1")
                .setVcenterHost("vcenter.example.test").setDatacenter("DatabanxDC").setFailoverType(FailoverType.live)
                .setPowerOnSourceOnFailure(true).setTestNetwork(null).setFinalSyncDeadlineMinutes(30)
                .setRequestedBy("operator").setLastSuccessfulJobId("job-1").setVolumes(VOLUMES)
                .setCpus(2).setMemoryMb(8192).setDiskCount(2).setDiskCapacityBytes(80L * 1024 * 1024 * 1024).build()));
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, VmContext.newBuilder(replicated)
                .setEventId("event-7").setCorrelationId("fo-1").setVersion(replicated.getVersion() + 1)
                .setActiveFailoverId("fo-1").setActiveFailoverType(FailoverType.live)
                .setCurrentStatus(ContextStatus.failing_over).build()));
        assertNothingBut(out, out.failoverAccepted(), out.contexts());

        // when: the same request again
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.live));

        // then
        assertThat(driver.drain().isEmpty()).isTrue();
    }

    @Test
    void aFailoverOfAVmWithAnActiveJobIsRefusedAndChangesNothing() {
        // given
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm));
        driver.drain();

        // when
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.test));

        // then
        Output out = driver.drain();
        assertThat(out.failoverRejected()).containsExactly(KeyValue.pair(VM, FailoverRejected.newBuilder()
                .setEventId("event-4").setOccurredAt(T0).setCorrelationId("fo-1").setVmwareVmId(VM).setFailoverId("fo-1")
                .setVmName("pgtest1").setContextId(CTX).setReason(FailoverRejectionReason.ACTIVE_REPLICATION_JOB)
                .setMessage("VM has active replication job").build()));
        assertNothingBut(out, out.failoverRejected());
        assertThat(driver.contextStore().get(VM).getCurrentStatus()).isEqualTo(ContextStatus.replicating);
    }

    @Test
    void aFailoverOfAnUnknownVmIsRefused() {
        // when
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.live));

        // then
        Output out = driver.drain();
        assertThat(out.failoverRejected()).containsExactly(KeyValue.pair(VM, FailoverRejected.newBuilder()
                .setEventId("event-1").setOccurredAt(T0).setCorrelationId("fo-1").setVmwareVmId(VM).setFailoverId("fo-1")
                .setVmName("pgtest1").setContextId(null).setReason(FailoverRejectionReason.VM_NOT_MANAGED)
                .setMessage("VM is not managed").build()));
        assertNothingBut(out, out.failoverRejected());
        assertThat(driver.contextStore().get(VM)).isNull();
    }

    @Test
    void aFailoverInProgressRefusesEveryRequestButItsOwnFinalSync() {
        // given: replicated, then a live failover accepted
        completeFirstJob(List.of(changeId("disk-2000", "c1"), changeId("disk-2001", "c2")));
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.live));
        VmContext failingOver = driver.drain().contexts().get(0).value;

        // when: the scheduler, another failover's sync, and the failover's own final sync
        ReplicationRequest scheduled = request(vm).setScheduledBy("scheduler-service").setScheduleExecutionId("exec-1")
                .build();
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm, scheduled));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-3", vm, request(vm).setFailoverId("fo-9").build()));
        ReplicationRequest finalSync = request(vm).setFailoverId("fo-1").setRequestedBy("failover-service").build();
        driver.pipe(Topics.VM_DISCOVERED, discovered("sync-1", vm, finalSync));

        // then
        Output out = driver.drain();
        assertThat(out.rejected()).containsExactly(
                KeyValue.pair(VM, rejected("event-8", "req-2", RejectionReason.FAILOVER_IN_PROGRESS,
                        "VM has a failover in progress", null, null)),
                KeyValue.pair(VM, rejected("event-9", "req-3", RejectionReason.FAILOVER_IN_PROGRESS,
                        "VM has a failover in progress", null, "fo-9")));
        assertThat(out.jobCreated()).containsExactly(KeyValue.pair(VM, job("event-10", "sync-1", "job-2",
                ReplicationType.incremental, List.of(changeId("disk-2000", "c1"), changeId("disk-2001", "c2")), VOLUMES,
                finalSync)));
        VmContext syncing = VmContext.newBuilder(failingOver).setEventId("event-11").setCorrelationId("sync-1")
                .setVersion(failingOver.getVersion() + 1).setCurrentStatus(ContextStatus.failing_over)
                .setCurrentJobId("job-2").setCurrentJobType(ReplicationType.incremental).setTotalJobsRun(2).build();
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, syncing));
        assertNothingBut(out, out.rejected(), out.jobCreated(), out.contexts());

        // when: the final sync completes
        driver.pipe(Topics.JOB_COMPLETED, jobCompleted("sync-1", VM, "job-2", CTX,
                List.of(changeId("disk-2000", "c3"), changeId("disk-2001", "c4"))));

        // then: still failing over, never failed over before the failover says so
        Output completion = driver.drain();
        assertThat(completion.contexts()).containsExactly(KeyValue.pair(VM, VmContext.newBuilder(syncing)
                .setEventId("event-12").setVersion(syncing.getVersion() + 1).setCurrentJobId(null)
                .setCurrentJobType(null).setLastSuccessfulJobId("job-2").setSuccessfulJobs(2)
                .setChangeIds(List.of(changeId("disk-2000", "c3"), changeId("disk-2001", "c4"))).build()));
        assertNothingBut(completion, completion.contexts());
    }

    @Test
    void aFailedFinalSyncKeepsTheVmFailingOverUntilTheFailedFailoverReturnsItToReady() {
        // given: a live failover whose final sync job runs
        completeFirstJob(List.of(changeId("disk-2000", "c1"), changeId("disk-2001", "c2")));
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.live));
        driver.pipe(Topics.VM_DISCOVERED, discovered("sync-1", vm,
                request(vm).setFailoverId("fo-1").setRequestedBy("failover-service").build()));
        List<KeyValue<String, VmContext>> given = driver.drain().contexts();
        VmContext syncing = given.get(given.size() - 1).value;
        assertThat(syncing.getCurrentJobId()).isEqualTo("job-2");

        // when: the final sync fails
        driver.pipe(Topics.JOB_FAILED, jobFailed("sync-1", VM, "job-2", CTX));

        // then: the job is gone, the failover is not: still failing over, still refusing others; the
        // incremental sync may have written into job-1's volumes, which is recorded
        Output failed = driver.drain();
        VmContext stillFailingOver = VmContext.newBuilder(syncing).setEventId("event-10")
                .setVersion(syncing.getVersion() + 1).setCurrentJobId(null).setCurrentJobType(null).setFailedJobs(1)
                .setCurrentStatus(ContextStatus.failing_over).setInterruptedJobId("job-2").build();
        assertThat(failed.contexts()).containsExactly(KeyValue.pair(VM, stillFailingOver));
        assertNothingBut(failed, failed.contexts());

        // when: the failover reports its failure
        driver.pipe(Topics.FAILOVER_FAILED, failoverFailed("fo-1", VM, CTX, FailoverType.live));

        // then: ready for failover again, no failover active
        Output ended = driver.drain();
        VmContext ready = VmContext.newBuilder(stillFailingOver).setEventId("event-11").setCorrelationId("fo-1")
                .setVersion(stillFailingOver.getVersion() + 1).setActiveFailoverId(null).setActiveFailoverType(null)
                .setCurrentStatus(ContextStatus.ready_for_failover).build();
        assertThat(ended.contexts()).containsExactly(KeyValue.pair(VM, ready));
        assertNothingBut(ended, ended.contexts());

        // when: the same failure again (a redelivery), then a scheduled replication
        driver.pipe(Topics.FAILOVER_FAILED, failoverFailed("fo-1", VM, CTX, FailoverType.live));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm, request(vm).setScheduledBy("scheduler-service").build()));

        // then: the redelivery changes nothing, the replication is accepted on the same context
        Output replication = driver.drain();
        assertThat(replication.jobCreated()).extracting(kv -> kv.value.getJobId(), kv -> kv.value.getReplicationType())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("job-3", ReplicationType.incremental));
        assertThat(replication.contexts()).extracting(kv -> kv.value.getCurrentStatus())
                .containsExactly(ContextStatus.replicating);
        assertNothingBut(replication, replication.jobCreated(), replication.contexts());
    }

    @Test
    void aCompletedLiveFailoverLeavesTheVmFailedOverLiveRefusingReplicationsAndFailovers() {
        // given: a live failover whose final sync completed
        completeFirstJob(List.of(changeId("disk-2000", "c1"), changeId("disk-2001", "c2")));
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.live));
        driver.pipe(Topics.VM_DISCOVERED, discovered("sync-1", vm,
                request(vm).setFailoverId("fo-1").setRequestedBy("failover-service").build()));
        driver.pipe(Topics.JOB_COMPLETED, jobCompleted("sync-1", VM, "job-2", CTX,
                List.of(changeId("disk-2000", "c3"), changeId("disk-2001", "c4"))));
        List<KeyValue<String, VmContext>> given = driver.drain().contexts();
        VmContext synced = given.get(given.size() - 1).value;
        assertThat(synced.getCurrentStatus()).isEqualTo(ContextStatus.failing_over);
        assertThat(synced.getLastSuccessfulJobId()).isEqualTo("job-2");

        // when: the failover completes
        driver.pipe(Topics.FAILOVER_COMPLETED, failoverCompleted("fo-1", VM, CTX, FailoverType.live));

        // then: failed over live, no failover active
        Output completed = driver.drain();
        VmContext failedOver = VmContext.newBuilder(synced).setEventId("event-11").setCorrelationId("fo-1")
                .setVersion(synced.getVersion() + 1).setActiveFailoverId(null).setActiveFailoverType(null)
                .setCurrentStatus(ContextStatus.failed_over_live).build();
        assertThat(completed.contexts()).containsExactly(KeyValue.pair(VM, failedOver));
        assertNothingBut(completed, completed.contexts());

        // when: a scheduled replication, another failover, and the completion again (a redelivery)
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm, request(vm).setScheduledBy("scheduler-service").build()));
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-2", VM, CTX, FailoverType.test));
        driver.pipe(Topics.FAILOVER_COMPLETED, failoverCompleted("fo-1", VM, CTX, FailoverType.live));

        // then: both refused, the redelivery changes nothing
        Output out = driver.drain();
        assertThat(out.rejected()).containsExactly(KeyValue.pair(VM, rejected("event-12", "req-2",
                RejectionReason.VM_FAILED_OVER, "VM has been failed over live and is no longer replicated", null, null)));
        assertThat(out.failoverRejected()).containsExactly(KeyValue.pair(VM, failoverRejected("event-13", "fo-2",
                FailoverRejectionReason.ALREADY_FAILED_OVER, "VM is already failed over (failed_over_live)")));
        assertNothingBut(out, out.rejected(), out.failoverRejected());
        assertThat(driver.contextStore().get(VM)).isEqualTo(failedOver);
    }

    @Test
    void aFailoverIsRefusedForAVmNeverReplicatedAndWhileAnotherFailoverRuns() {
        // given: a VM in management only
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm, request(vm).setStartReplication(false).build()));
        driver.drain();

        // when
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.test));

        // then
        Output never = driver.drain();
        assertThat(never.failoverRejected()).containsExactly(KeyValue.pair(VM, failoverRejected("event-3", "fo-1",
                FailoverRejectionReason.NO_COMPLETED_REPLICATION, "VM has no completed replication")));
        assertNothingBut(never, never.failoverRejected());

        // given: replicated, and a test failover accepted
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm));
        driver.pipe(Topics.JOB_STARTED, jobStarted("req-2", VM, "job-1", CTX, VOLUMES));
        driver.pipe(Topics.JOB_COMPLETED, jobCompleted("req-2", VM, "job-1", CTX, List.of(changeId("disk-2000", "c1"))));
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-2", VM, CTX, FailoverType.test));
        List<KeyValue<String, VmContext>> contexts = driver.drain().contexts();
        VmContext failingOver = contexts.get(contexts.size() - 1).value;
        assertThat(failingOver.getActiveFailoverId()).isEqualTo("fo-2");

        // when: a second failover
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-3", VM, CTX, FailoverType.live));

        // then
        Output second = driver.drain();
        assertThat(second.failoverRejected()).containsExactly(KeyValue.pair(VM, failoverRejected("event-10", "fo-3",
                FailoverRejectionReason.FAILOVER_IN_PROGRESS, "VM has a failover in progress")));
        assertNothingBut(second, second.failoverRejected());
        assertThat(driver.contextStore().get(VM)).isEqualTo(failingOver);
    }

    @Test
    void aTestFailoverHasNoFinalSyncSoARequestNamingItIsRefused() {
        // given: a test failover in progress
        completeFirstJob(List.of(changeId("disk-2000", "c1"), changeId("disk-2001", "c2")));
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.test));
        driver.drain();

        // when: a replication request claims to be its final sync
        driver.pipe(Topics.VM_DISCOVERED, discovered("sync-1", vm, request(vm).setFailoverId("fo-1").build()));

        // then
        Output out = driver.drain();
        assertThat(out.rejected()).containsExactly(KeyValue.pair(VM, rejected("event-8", "sync-1",
                RejectionReason.FAILOVER_IN_PROGRESS, "VM has a failover in progress", null, "fo-1")));
        assertNothingBut(out, out.rejected());
    }

    @Test
    void aCleanedUpTestFailoverLeavesTheVmReadyAndReplicableAgain() {
        // given
        completeFirstJob(List.of(changeId("disk-2000", "c1"), changeId("disk-2001", "c2")));
        driver.pipe(Topics.FAILOVER_REQUESTED, failoverRequested("fo-1", VM, CTX, FailoverType.test));
        driver.pipe(Topics.FAILOVER_COMPLETED, failoverCompleted("fo-1", VM, CTX, FailoverType.test));
        List<KeyValue<String, VmContext>> contexts = driver.drain().contexts();
        VmContext failedOver = contexts.get(contexts.size() - 1).value;
        assertThat(failedOver.getCurrentStatus()).isEqualTo(ContextStatus.failed_over_test);

        // when
        driver.pipe(Topics.FAILOVER_CLEANED_UP, failoverCleanedUp("fo-1", VM, CTX));

        // then
        Output out = driver.drain();
        VmContext ready = VmContext.newBuilder(failedOver).setEventId("event-9").setVersion(failedOver.getVersion() + 1)
                .setCurrentStatus(ContextStatus.ready_for_failover).build();
        assertThat(out.contexts()).containsExactly(KeyValue.pair(VM, ready));
        assertNothingBut(out, out.contexts());

        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm));

        // then
        Output replication = driver.drain();
        assertThat(replication.jobCreated()).extracting(kv -> kv.value.getReplicationType())
                .containsExactly(ReplicationType.incremental);
        assertThat(replication.contexts()).extracting(kv -> kv.value.getCurrentStatus())
                .containsExactly(ContextStatus.replicating);
        assertNothingBut(replication, replication.jobCreated(), replication.contexts());
    }

    @Test
    void aRepeatedRequestIsDecidedOnceUntilItsIdIsForgotten() {
        // given
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm, request(vm).setStartReplication(false).build()));
        driver.drain();

        // when: the same request again (a redelivery)
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm, request(vm).setStartReplication(false).build()));

        // then
        assertThat(driver.drain().isEmpty()).isTrue();

        // when: the retention passes and the purge runs
        driver.advance(Duration.ofHours(25));
        assertThat(driver.decidedRequests().get("req-1")).isNull();
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm, request(vm).setStartReplication(false).build()));

        // then: decided anew
        Output out = driver.drain();
        assertThat(out.rejected()).containsExactly(KeyValue.pair(VM, rejected("event-3", "req-1",
                RejectionReason.VM_ALREADY_MANAGED, "VM already exists in management", null, null)));
        assertNothingBut(out, out.rejected());
    }

    @Test
    void schedulerMetadataAndTheRequestsTargetAreCarriedOntoTheJob() {
        // given
        ReplicationRequest scheduled = request(vm)
                .setScheduleExecutionId("exec-42").setVmGroupId("group-7").setScheduledBy("scheduler-service")
                .setRequestedBy("scheduler-service").setTargetNetwork("net-prod").setOsseaConfigId(3L)
                .setReplicationType(ReplicationType.initial)
                .build();

        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm, scheduled));

        // then
        Output out = driver.drain();
        assertThat(out.jobCreated()).containsExactly(KeyValue.pair(VM, JobCreated.newBuilder()
                .setEventId("event-2").setOccurredAt(T0).setCorrelationId("req-1").setVmwareVmId(VM).setJobId("job-1")
                .setContextId(CTX).setContextCreated(true).setReplicationType(ReplicationType.initial)
                .setReplicationTypeRequested(true).setVm(vm).setPreviousChangeIds(List.of())
                .setPreviousVolumes(List.of()).setOsseaConfigId(3L).setTargetNetwork("net-prod")
                .setScheduleExecutionId("exec-42").setVmGroupId("group-7").setScheduledBy("scheduler-service")
                .setRequestedBy("scheduler-service").build()));
        assertThat(out.contextCreated()).containsExactly(KeyValue.pair(VM, ContextCreated.newBuilder(
                contextCreated("event-1", "req-1", ContextStatus.replicating, true)).setRequestedBy("scheduler-service")
                .build()));
        assertThat(out.rejected()).isEmpty();
        assertThat(out.contexts()).hasSize(1);
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheDecisionGoesOn() {
        // given
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        VmDiscovered misKeyed = discovered("req-0", vm);

        // when
        driver.pipeRaw(Topics.VM_DISCOVERED, VM, garbage);
        driver.pipe(Topics.VM_DISCOVERED, "some-other-vm", misKeyed);
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm));

        // then
        assertThat(driver.deadLetters).hasSize(2);
        ProducerRecord<byte[], byte[]> undeserializable = driver.deadLetters.get(0);
        assertThat(undeserializable.topic()).isEqualTo(Topics.DEAD_LETTERS);
        assertThat(header(undeserializable, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.VM_DISCOVERED.name());
        assertThat(header(undeserializable, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(header(undeserializable, DeadLetters.CONSUMER)).isEqualTo("job-service");
        assertThat(undeserializable.key()).isEqualTo(VM.getBytes(StandardCharsets.UTF_8));
        assertThat(undeserializable.value()).isEqualTo(garbage);
        assertThat(header(undeserializable, DeadLetters.REASON)).startsWith("cannot deserialize: ");
        ProducerRecord<byte[], byte[]> unprocessable = driver.deadLetters.get(1);
        assertThat(header(unprocessable, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.VM_DISCOVERED.name());
        assertThat(header(unprocessable, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("1");
        assertThat(unprocessable.key()).isEqualTo("some-other-vm".getBytes(StandardCharsets.UTF_8));
        assertThat(header(unprocessable, DeadLetters.REASON)).isEqualTo("cannot process in vm-context-decider: "
                + "KeyMismatchException (key some-other-vm differs from the event's vmware_vm_id " + VM
                + " (VmDiscovered))");
        assertThat(header(unprocessable, DeadLetters.EXCEPTION)).isEqualTo(KeyMismatchException.class.getName());
        assertThat(driver.outcomes).containsExactly("VmDiscovered/context_and_job_created");
        Output out = driver.drain();
        assertThat(out.contextCreated()).extracting(kv -> kv.value.getCorrelationId()).containsExactly("req-1");
        assertThat(out.jobCreated()).extracting(kv -> kv.value.getCorrelationId()).containsExactly("req-1");
        assertThat(out.contexts()).extracting(kv -> kv.value.getCorrelationId()).containsExactly("req-1");
        assertThat(out.rejected()).isEmpty();
    }

    @Test
    void everyDecisionIsReportedWithItsEventTypeAndOutcome() {
        // given
        DiscoveredVm other = vm("other-vm", "other", "disk-2000");

        // when
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-2", vm));
        driver.pipe(Topics.JOB_STARTED, jobStarted("req-1", VM, "job-1", CTX, VOLUMES));
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-3", other, request(other).setStartReplication(false).build()));

        // then
        assertThat(driver.outcomes).containsExactly(
                "VmDiscovered/context_and_job_created",
                "VmDiscovered/duplicate_request",
                "VmDiscovered/rejected_ACTIVE_REPLICATION_JOB",
                "JobStarted/volumes_recorded",
                "VmDiscovered/context_created");
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    /** Creates, starts and completes job-1 with these change ids; returns the completed context. */
    private VmContext completeFirstJob(List<DiskChangeId> changeIds) {
        driver.pipe(Topics.VM_DISCOVERED, discovered("req-1", vm));
        driver.pipe(Topics.JOB_STARTED, jobStarted("req-1", VM, "job-1", CTX, VOLUMES));
        driver.pipe(Topics.JOB_COMPLETED, jobCompleted("req-1", VM, "job-1", CTX, changeIds));
        Output out = driver.drain();
        assertThat(out.contexts()).hasSize(3);
        VmContext completed = out.contexts().get(2).value;
        assertThat(completed.getCurrentStatus()).isEqualTo(ContextStatus.ready_for_failover);
        assertThat(completed.getChangeIds()).isEqualTo(changeIds);
        return completed;
    }

    private ContextCreated contextCreated(String eventId, String requestId, ContextStatus status, boolean start) {
        return ContextCreated.newBuilder().setEventId(eventId).setOccurredAt(T0).setCorrelationId(requestId)
                .setVmwareVmId(VM).setContextId(CTX).setVmName("pgtest1").setVmPath("/DatabanxDC/vm/pgtest1")
                .setVcenterHost("vcenter.example.test").setDatacenter("DatabanxDC").setCurrentStatus(status)
                .setStartReplication(start).setVm(vm).setRequestedBy("gui").build();
    }

    private JobCreated job(String eventId, String requestId, String jobId, ReplicationType type,
            List<DiskChangeId> previousChangeIds, List<VolumeAttachment> previousVolumes, ReplicationRequest request) {
        return JobCreated.newBuilder().setEventId(eventId).setOccurredAt(driver.clock.instant())
                .setCorrelationId(requestId).setVmwareVmId(VM).setJobId(jobId).setContextId(CTX).setContextCreated(false)
                .setReplicationType(type).setReplicationTypeRequested(request.getReplicationType() != null).setVm(vm)
                .setPreviousChangeIds(previousChangeIds).setPreviousVolumes(previousVolumes)
                .setOsseaConfigId(request.getOsseaConfigId()).setTargetNetwork(request.getTargetNetwork())
                .setScheduleExecutionId(request.getScheduleExecutionId()).setVmGroupId(request.getVmGroupId())
                .setScheduledBy(request.getScheduledBy()).setRequestedBy(request.getRequestedBy())
                .setFailoverId(request.getFailoverId()).build();
    }

    private ReplicationRejected rejected(String eventId, String requestId, RejectionReason reason, String message,
            String activeJobId, String failoverId) {
        return ReplicationRejected.newBuilder().setEventId(eventId).setOccurredAt(driver.clock.instant())
                .setCorrelationId(requestId).setVmwareVmId(VM).setVmName("pgtest1").setContextId(CTX).setReason(reason)
                .setMessage(message).setActiveJobId(activeJobId).setFailoverId(failoverId).build();
    }

    private FailoverRejected failoverRejected(String eventId, String failoverId, FailoverRejectionReason reason,
            String message) {
        return FailoverRejected.newBuilder().setEventId(eventId).setOccurredAt(driver.clock.instant())
                .setCorrelationId(failoverId).setVmwareVmId(VM).setFailoverId(failoverId).setVmName("pgtest1")
                .setContextId(CTX).setReason(reason).setMessage(message).build();
    }

    private static java.time.Instant later(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** Every output topic other than the given ones is empty. */
    @SafeVarargs
    private static void assertNothingBut(Output out, List<? extends KeyValue<String, ?>>... expectedNonEmpty) {
        List<List<? extends KeyValue<String, ?>>> others = new ArrayList<>(out.all());
        for (List<? extends KeyValue<String, ?>> allowed : expectedNonEmpty) {
            others.removeIf(list -> list == allowed);
        }
        for (List<? extends KeyValue<String, ?>> other : others) {
            assertThat(other).isEmpty();
        }
    }
}
