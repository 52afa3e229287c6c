package io.migratekit.jobs.workflow;

import static io.migratekit.jobs.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.cloudstack.SimulatorTarget;
import io.migratekit.cloudstack.SimulatorTarget.Volume;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.cloudstack.TargetVolume;
import io.migratekit.cloudstack.VolumeRequest;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.jobs.testing.MutableClock;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import io.migratekit.vma.VmaException;
import io.migratekit.vmasim.JobSnapshot;
import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.VmaSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow of one job against a CloudStack target (our client and platform on the CloudStack API
 * simulator, nbdkit serving the appliance's volumes) and a real VMA simulator.
 */
class MigrationWorkflowTest {

    private static final String VM = "420570c7-f61f-a930-77c5-1e876786cb3c";
    private static final String VCENTER = "vcenter.example.test";
    private static final String PASSWORD = "s3cret-Pa55";
    private static final String OMA_URL = "http://127.0.0.1:9/";
    private static final Duration NO_JOB_GRACE = Duration.ofMillis(300);

    private final MutableClock clock = new MutableClock(T0);
    @TempDir
    Path dir;
    private SimulatorTarget cloud;
    private TargetPlatform target;
    private TargetPlatforms targets;
    private final VcenterCredentials logins = new VcenterCredentials(
            List.of(new VcenterCredentials.Login(VCENTER, "administrator@vsphere.local", PASSWORD)), null);
    private VmaSimulator vma;
    private SimVm simVm;

    @BeforeEach
    void start() {
        cloud = SimulatorTarget.start(dir, 1, "10.0.0.5");
        target = cloud.platform();
        targets = TargetPlatforms.single(1, target);
        vma = VmaSimulator.start(io.migratekit.vmasim.SimulatorConfig.builder()
                .progressStartDelay(Duration.ofHours(1)).build());
        simVm = vma.inventory().add(SimVm.builder("pgtest1").id(VM).diskGb(40).diskGb(10));
    }

    @AfterEach
    void stop() {
        vma.close();
        cloud.close();
    }

    @Test
    void anInitialJobGetsANewVolumePerDiskAndTheVmaStartsCopying() {
        // when
        SpecificRecord result = workflow(logins).run(job("job-1", ReplicationType.initial, List.of()));

        // then
        List<Volume> volumes = cloud.volumes();
        assertThat(volumes).hasSize(2);
        String first = volumes.get(0).id();
        String second = volumes.get(1).id();
        assertThat(volumes).containsExactly(
                onAppliance(first, "migratekit-pgtest1-disk-2000-job-1", 40),
                onAppliance(second, "migratekit-pgtest1-disk-2001-job-1", 10));
        assertThat(result).isEqualTo(JobStarted.newBuilder().setEventId(((JobStarted) result).getEventId())
                .setOccurredAt(T0).setCorrelationId("req-1").setVmwareVmId(VM).setJobId("job-1")
                .setContextId("ctx-pgtest1").setReplicationType(ReplicationType.initial)
                .setVolumes(List.of(attachment("disk-2000", first, 40, false), attachment("disk-2001", second, 10, false)))
                .setVmPath(simVm.path()).setRequestedBy("gui").setScheduledBy("nightly")
                .setScheduleExecutionId("exec-7").setVmGroupId("group-db").build());
        JobSnapshot accepted = vma.job("job-1").orElseThrow();
        assertThat(accepted.vmId()).isEqualTo(VM);
        assertThat(accepted.vmPath()).isEqualTo(simVm.path());
        assertThat(vma.jobs()).hasSize(1);
    }

    @Test
    void eachJobsVolumesAreCreatedInTheCloudStackTargetOfItsOsseaConfigId() {
        // given two targets, each its own CloudStack
        try (SimulatorTarget second = SimulatorTarget.start(dir.resolve("second"), 2, "10.0.0.5")) {
            targets = new TargetPlatforms(java.util.Map.of(1L, target, 2L, second.platform()));

            // when
            JobStarted inFirst = (JobStarted) workflow(logins).run(job("job-1", ReplicationType.initial, List.of(), 1L));
            JobStarted inSecond = (JobStarted) workflow(logins).run(job("job-2", ReplicationType.initial, List.of(), 2L));
            JobFailed unknown = (JobFailed) workflow(logins).run(job("job-3", ReplicationType.initial, List.of(), 7L));

            // then each job's volumes are in its own target, served from there, and nowhere else
            assertThat(cloud.volumes()).extracting(Volume::id).containsExactlyElementsOf(
                    inFirst.getVolumes().stream().map(VolumeAttachment::getVolumeId).toList());
            assertThat(second.volumes()).extracting(Volume::id).containsExactlyElementsOf(
                    inSecond.getVolumes().stream().map(VolumeAttachment::getVolumeId).toList());
            assertThat(second.volumes()).hasSize(2).allSatisfy(v -> {
                assertThat(v.onAppliance()).isTrue();
                assertThat(v.name()).endsWith("-job-2");
            });
            assertThat(inSecond.getVolumes()).allSatisfy(v -> assertThat(v.getDevicePath())
                    .isEqualTo("nbd://10.0.0.5:" + second.nbdPort() + "/migration-vol-" + v.getVolumeId()));
            // and an ossea_config_id no target has fails the job before anything is created
            assertThat(unknown.getReason()).isEqualTo(JobFailureReason.TARGET_VOLUME_FAILED);
            assertThat(unknown.getStep()).isEqualTo("target_volumes");
            assertThat(unknown.getMessage())
                    .isEqualTo("ossea_config_id 7 is not a configured CloudStack target (configured: 1, 2)");
            assertThat(vma.jobs()).extracting(JobSnapshot::jobId).containsExactlyInAnyOrder("job-1", "job-2");
        }
    }

    @Test
    void anIncrementalJobReusesThePreviousVolumesAndCreatesOneOnlyForANewDisk() {
        // given: job-1's volume of disk-2000 still exists and is exported
        TargetVolume kept = target.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "kept"));
        target.attachToAppliance(kept.volumeId());
        JobCreated job = job("job-2", ReplicationType.incremental, List.of(attachment("disk-2000", kept.volumeId(), 40, false)));

        // when
        JobStarted started = (JobStarted) workflow(logins).run(job);

        // then
        assertThat(cloud.volumes()).hasSize(2);
        String created = cloud.volumes().get(1).id();
        assertThat(cloud.volumes()).containsExactly(onAppliance(kept.volumeId(), "kept", 40),
                onAppliance(created, "migratekit-pgtest1-disk-2001-job-2", 10));
        assertThat(started.getVolumes()).containsExactly(attachment("disk-2000", kept.volumeId(), 40, true),
                attachment("disk-2001", created, 10, false));
        assertThat(vma.job("job-2")).isPresent();
    }

    @Test
    void aVolumeIsReusedOnlyForADiskWithABaseAndAnInitialJobReusesNone() {
        // given: job-1's volumes of both disks exist; the decision gave disk-2000 a base, disk-2001 none
        TargetVolume first = target.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "kept-0"));
        TargetVolume second = target.createVolume(new VolumeRequest("job-1", "disk-2001", 10, "kept-1"));
        List<VolumeAttachment> previous = List.of(attachment("disk-2000", first.volumeId(), 40, false),
                attachment("disk-2001", second.volumeId(), 10, false));

        // when
        JobStarted incremental = (JobStarted) workflow(logins).run(job("job-2", ReplicationType.incremental, previous));
        JobStarted initial = (JobStarted) workflow(logins).run(job("job-3", ReplicationType.initial, previous));

        // then: reused volumes <=> a base the copy engine is told
        assertThat(incremental.getVolumes()).extracting(VolumeAttachment::getDiskId, VolumeAttachment::getReused)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("disk-2000", true),
                        org.assertj.core.groups.Tuple.tuple("disk-2001", false));
        assertThat(incremental.getVolumes().get(0).getVolumeId()).isEqualTo(first.volumeId());
        assertThat(incremental.getVolumes().get(1).getVolumeId()).isNotEqualTo(second.volumeId());
        assertThat(initial.getVolumes()).noneMatch(VolumeAttachment::getReused)
                .extracting(VolumeAttachment::getVolumeId).doesNotContain(first.volumeId(), second.volumeId());
    }

    @Test
    void anUnansweredReplicateTheVmaTookIsAStartedJob() {
        // given: the VMA takes the job but the answer never arrives
        VmaClient client = new VmaClient(vma.baseUrl(), null);
        MigrationWorkflow workflow = new MigrationWorkflow(targets,
                (request, deadline) -> client.replicate(request, deadline).thenCompose(answered ->
                        CompletableFuture.failedFuture(new VmaException(VmaException.Kind.TIMEOUT, 0,
                                "VMA POST /api/v1/replicate: no answer within PT5S", null))),
                (jobId, deadline) -> CompletableFuture.completedFuture(vma.job(jobId).isPresent()), logins, OMA_URL,
                Duration.ofSeconds(5), NO_JOB_GRACE, clock);

        // when
        SpecificRecord result = workflow.run(job("job-1", ReplicationType.initial, List.of()));

        // then: its volumes stay, in use by the copy
        assertThat(result).isInstanceOfSatisfying(JobStarted.class, started -> assertThat(started.getVolumes())
                .extracting(VolumeAttachment::getVolumeId)
                .containsExactlyElementsOf(cloud.volumes().stream().map(Volume::id).toList()));
        assertThat(cloud.volumes()).hasSize(2).allSatisfy(v -> assertThat(v.onAppliance()).isTrue());
    }

    @Test
    void anUnansweredReplicateRemovesTheNewVolumesOnlyOnceTheVmaSaysItHasNoSuchJob() {
        // given: the replicate call never reaches the VMA
        VmaClient client = new VmaClient(vma.baseUrl(), null);
        MigrationWorkflow.Replicator unanswered = (request, deadline) -> CompletableFuture.failedFuture(
                new VmaException(VmaException.Kind.TIMEOUT, 0, "VMA POST /api/v1/replicate: no answer", null));
        MigrationWorkflow confirmed = new MigrationWorkflow(targets, unanswered,
                (jobId, deadline) -> client.progress(jobId, deadline).thenApply(Optional::isPresent), logins, OMA_URL,
                Duration.ofSeconds(5), NO_JOB_GRACE, clock);
        MigrationWorkflow unconfirmed = new MigrationWorkflow(targets, unanswered,
                (jobId, deadline) -> CompletableFuture.failedFuture(
                        new VmaException(VmaException.Kind.UNREACHABLE, 0, "VMA unreachable", null)),
                logins, OMA_URL, Duration.ofSeconds(5), NO_JOB_GRACE, clock);

        // when
        JobFailed removed = (JobFailed) confirmed.run(job("job-1", ReplicationType.initial, List.of()));
        JobFailed kept = (JobFailed) unconfirmed.run(job("job-2", ReplicationType.initial, List.of()));

        // then: the VMA said 404 for the whole grace -> gone; the VMA could not be asked -> kept and named
        assertThat(removed.getReason()).isEqualTo(JobFailureReason.VMA_UNREACHABLE);
        assertThat(removed.getMessage()).isEqualTo("VMA POST /api/v1/replicate: no answer");
        List<String> left = cloud.volumes().stream().map(Volume::id).toList();
        assertThat(cloud.volumes()).extracting(Volume::name)
                .containsExactly("migratekit-pgtest1-disk-2000-job-2", "migratekit-pgtest1-disk-2001-job-2");
        assertThat(kept.getMessage()).isEqualTo("VMA POST /api/v1/replicate: no answer; volumes kept until the VMA "
                + "confirms it has no job job-2: " + String.join(", ", left));
    }

    @Test
    void aTargetVolumeFailureFailsTheJobAndRemovesTheVolumesItCreated() {
        // given
        cloud.failNext("attachVolume", 1);

        // when
        JobFailed failed = (JobFailed) workflow(logins).run(job("job-1", ReplicationType.initial, List.of()));

        // then
        assertThat(failed.getReason()).isEqualTo(JobFailureReason.TARGET_VOLUME_FAILED);
        assertThat(failed.getStep()).isEqualTo("target_volumes");
        assertThat(failed.getMessage()).isEqualTo("cannot prepare the target volume of disk-2000: CloudStack attachVolume"
                + " failed: injected fault: CloudStack answered 530 (errorcode 530, cserrorcode 4250)"
                + " [CloudStack target 1, attachVolume]");
        assertFailure(failed, "job-1", ReplicationType.initial);
        assertThat(cloud.volumes()).isEmpty();
        assertThat(vma.jobs()).isEmpty();
    }

    @Test
    void aReplicateTheVmaRefusesFailsTheJobAndRemovesTheNewVolumesButNotReusedOnes() {
        // given
        vma.faults().forVm(VM).replicateError(true);
        TargetVolume kept = target.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "kept"));
        target.attachToAppliance(kept.volumeId());
        JobCreated job = job("job-2", ReplicationType.incremental, List.of(attachment("disk-2000", kept.volumeId(), 40, false)));

        // when
        JobFailed failed = (JobFailed) workflow(logins).run(job);

        // then
        assertThat(failed.getReason()).isEqualTo(JobFailureReason.VMA_REPLICATE_FAILED);
        assertThat(failed.getStep()).isEqualTo("vma_replicate");
        assertThat(failed.getMessage()).isEqualTo(
                "VMA POST /api/v1/replicate answered HTTP 500: failed to start replication: simulated VMA error");
        assertFailure(failed, "job-2", ReplicationType.incremental);
        assertThat(cloud.volumes()).containsExactly(onAppliance(kept.volumeId(), "kept", 40));
    }

    @Test
    void anUnreachableVmaFailsTheJobAsUnreachable() {
        // given
        vma.close();

        // when
        JobFailed failed = (JobFailed) workflow(logins).run(job("job-1", ReplicationType.initial, List.of()));

        // then
        assertThat(failed.getReason()).isEqualTo(JobFailureReason.VMA_UNREACHABLE);
        assertThat(failed.getStep()).isEqualTo("vma_replicate");
        assertThat(failed.getMessage()).startsWith("VMA POST /api/v1/replicate: VMA unreachable at http://127.0.0.1:");
        assertThat(cloud.volumes()).isEmpty();
    }

    @Test
    void withoutAVcenterLoginTheJobFailsBeforeAnyVolumeIsCreated() {
        // when
        JobFailed failed = (JobFailed) workflow(new VcenterCredentials(List.of(), null))
                .run(job("job-1", ReplicationType.initial, List.of()));

        // then
        assertThat(failed.getReason()).isEqualTo(JobFailureReason.VMA_REPLICATE_FAILED);
        assertThat(failed.getStep()).isEqualTo("vcenter_login");
        assertThat(failed.getMessage()).isEqualTo("no vCenter login is configured for vCenter " + VCENTER
                + "; configure migratekit.vma.credentials or migratekit.vma.default-username/-password");
        assertThat(cloud.volumes()).isEmpty();
        assertThat(vma.jobs()).isEmpty();
    }

    @Test
    void thePasswordNeverAppearsInAFailureEvenIfTheVmaEchoesIt() {
        // given: a VMA that puts the request's password into its error
        MigrationWorkflow workflow = new MigrationWorkflow(targets, (request, deadline) -> CompletableFuture.failedFuture(
                new VmaException(VmaException.Kind.HTTP_ERROR, 400, "VMA POST /api/v1/replicate answered HTTP 400: "
                        + "login failed for " + request.username() + " with password " + request.password(), null)),
                (jobId, deadline) -> CompletableFuture.completedFuture(false), logins, OMA_URL, Duration.ofSeconds(5),
                NO_JOB_GRACE, clock);

        // when
        JobFailed failed = (JobFailed) workflow.run(job("job-1", ReplicationType.initial, List.of()));

        // then
        assertThat(failed.getMessage()).isEqualTo("VMA POST /api/v1/replicate answered HTTP 400: login failed for "
                + "administrator@vsphere.local with password <redacted>");
        assertThat(failed.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void volumesThatCannotBeRemovedAreNamedInTheFailure() {
        // given
        vma.faults().forVm(VM).replicateError(true);
        cloud.failAlways("deleteVolume");

        // when
        JobFailed failed = (JobFailed) workflow(logins).run(job("job-1", ReplicationType.initial, List.of()));

        // then
        List<String> left = new ArrayList<>();
        cloud.volumes().forEach(v -> left.add(v.id()));
        assertThat(left).hasSize(2);
        assertThat(failed.getMessage()).isEqualTo(
                "VMA POST /api/v1/replicate answered HTTP 500: failed to start replication: simulated VMA error"
                        + "; volumes left behind: "
                        + left.get(1) + " (" + refusedDelete(left.get(1)) + "), "
                        + left.get(0) + " (" + refusedDelete(left.get(0)) + ")");
        assertThat(cloud.volumes()).allSatisfy(v -> assertThat(v.vmId()).isNull());
    }

    private MigrationWorkflow workflow(VcenterCredentials credentials) {
        VmaClient client = new VmaClient(vma.baseUrl(), null);
        return new MigrationWorkflow(targets, client::replicate,
                (jobId, deadline) -> client.progress(jobId, deadline).thenApply(Optional::isPresent), credentials,
                OMA_URL, Duration.ofSeconds(5), NO_JOB_GRACE, clock);
    }

    private static String refusedDelete(String volumeId) {
        return "CloudStack deleteVolume failed: injected fault: CloudStack answered 530 (errorcode 530, cserrorcode 4250)"
                + " [CloudStack target 1, deleteVolume of " + volumeId + "]";
    }

    /** A replication volume as CloudStack holds it while the appliance serves it. */
    private Volume onAppliance(String id, String name, long sizeGb) {
        return new Volume(id, name, "DATADISK", sizeGb, cloud.config().applianceVmId(), true);
    }

    private void assertFailure(JobFailed failed, String jobId, ReplicationType type) {
        assertThat(failed.getJobId()).isEqualTo(jobId);
        assertThat(failed.getCorrelationId()).isEqualTo("req-1");
        assertThat(failed.getVmwareVmId()).isEqualTo(VM);
        assertThat(failed.getContextId()).isEqualTo("ctx-pgtest1");
        assertThat(failed.getOccurredAt()).isEqualTo(T0);
        assertThat(failed.getFailoverId()).isNull();
        // every event of the job says who requested it, what it was and how long it ran
        assertThat(List.of(failed.getRequestedBy(), failed.getScheduledBy(), failed.getScheduleExecutionId(),
                failed.getVmGroupId())).containsExactly("gui", "nightly", "exec-7", "group-db");
        assertThat(failed.getReplicationType()).isEqualTo(type);
        assertThat(failed.getDurationMs()).isZero();
        assertThat(failed.getDisks()).isEmpty();
        assertThat(failed.getChangeIds()).isEmpty();
    }

    private JobCreated job(String jobId, ReplicationType type, List<VolumeAttachment> previousVolumes) {
        return job(jobId, type, previousVolumes, null);
    }

    private JobCreated job(String jobId, ReplicationType type, List<VolumeAttachment> previousVolumes,
            Long osseaConfigId) {
        List<DiskSpec> disks = new ArrayList<>();
        simVm.disks().forEach(d -> disks.add(DiskSpec.newBuilder().setId(d.id()).setLabel(d.label())
                .setVmdkPath(d.vmdkPath()).setSizeGb(d.sizeGb()).setCapacityBytes(d.capacityBytes())
                .setDatastore(d.datastore()).setProvisioningType(d.provisioningType()).setUnitNumber(d.unitNumber())
                .build()));
        DiscoveredVm vm = DiscoveredVm.newBuilder().setId(VM).setName("pgtest1").setPath(simVm.path())
                .setDatacenter(simVm.datacenter()).setVcenterHost(VCENTER).setCpus(2).setMemoryMb(4096)
                .setPowerState("poweredOn").setOsType("linux").setDisks(disks).build();
        List<DiskChangeId> base = type == ReplicationType.incremental
                ? List.of(new DiskChangeId("disk-2000", "52 3c/7")) : List.of();
        return JobCreated.newBuilder().setEventId("created-" + jobId).setOccurredAt(T0).setCorrelationId("req-1")
                .setVmwareVmId(VM).setJobId(jobId).setContextId("ctx-pgtest1").setReplicationType(type).setVm(vm)
                .setPreviousChangeIds(base).setPreviousVolumes(previousVolumes).setRequestedBy("gui")
                .setScheduledBy("nightly").setScheduleExecutionId("exec-7").setVmGroupId("group-db")
                .setOsseaConfigId(osseaConfigId).build();
    }

    private VolumeAttachment attachment(String diskId, String volumeId, long sizeGb, boolean reused) {
        String export = "migration-vol-" + volumeId;
        return VolumeAttachment.newBuilder().setDiskId(diskId).setVmwareDiskKey(diskId.substring(5))
                .setVolumeId(volumeId).setNbdExportName(export).setDevicePath("nbd://10.0.0.5:" + cloud.nbdPort() + "/" + export)
                .setSizeGb(sizeGb).setReused(reused).build();
    }
}
