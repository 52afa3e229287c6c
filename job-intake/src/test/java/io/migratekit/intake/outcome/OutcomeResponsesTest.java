package io.migratekit.intake.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.client.ReplicationOutcome;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.intake.TestEvents;
import io.migratekit.intake.api.ApiError;
import io.migratekit.intake.api.ErrorResponses;
import io.migratekit.intake.outcome.Responses.AcceptedResponse;
import io.migratekit.intake.outcome.Responses.ContextCreatedResponse;
import io.migratekit.intake.outcome.Responses.JobStartedResponse;
import io.migratekit.intake.outcome.Responses.Volume;
import io.migratekit.intake.request.ReplicationRequestBody;
import io.migratekit.intake.request.ReplicationRequestBody.DiskBody;
import io.migratekit.intake.request.ReplicationRequestBody.SourceVmBody;
import io.migratekit.intake.request.ReplicationRequestValidator;
import io.migratekit.intake.request.SampleBodies;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

class OutcomeResponsesTest {

    private static final String NOW = "2025-09-23T11:00:00.456Z";
    private static final String VM = "vm-1";

    private final OutcomeResponses responses = new OutcomeResponses(
            new ErrorResponses(Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC)));
    private final ReplicationRequestBody request = new ReplicationRequestValidator()
            .validate(SampleBodies.full(VM).getBytes(StandardCharsets.UTF_8));

    @Test
    void aStartedJobIs201WithCreatedAndMountedVolumes() {
        JobStarted started = JobStarted.newBuilder(TestEvents.jobStarted("req-1", VM))
                .setReplicationType(ReplicationType.incremental)
                .setVolumes(List.of(volume("disk-2000", "vol-a", true), volume("disk-2001", "vol-b", false)))
                .build();

        ResponseEntity<Object> answer = responses.forOutcome(new ReplicationOutcome.Started(started), request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(answer.getHeaders().getFirst("X-Request-Id")).isEqualTo("req-1");
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        Volume a = new Volume("vol-a", "disk-2000", "nbd://127.0.0.1:10809/migration-vol-vol-a", "migration-vol-vol-a");
        Volume b = new Volume("vol-b", "disk-2001", "nbd://127.0.0.1:10809/migration-vol-vol-b", "migration-vol-vol-b");
        assertThat(answer.getBody()).isEqualTo(new JobStartedResponse(started.getJobId(), started.getContextId(),
                "replicating", 0, "incremental", List.of(b), List.of(a, b), sourceVmWithDisks(
                        new DiskBody("disk-2000", null, null, null, 40L, null, null, null, null),
                        new DiskBody("disk-2001", null, null, null, 40L, null, null, null, null)),
                "2025-09-23T10:15:30.123Z", "Replication started successfully with 2 disk(s)"));
    }

    @Test
    void aContextWithoutJobIs201WithTheContext() {
        ResponseEntity<Object> answer = responses.forOutcome(
                new ReplicationOutcome.ContextOnly(TestEvents.contextCreated("req-2", VM, false)), request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(answer.getHeaders().getFirst("X-Request-Id")).isEqualTo("req-2");
        assertThat(answer.getBody()).isEqualTo(new ContextCreatedResponse("ctx-vm-1-20250923-101530", VM, VM,
                "discovered", "2025-09-23T10:15:30.123Z", "VM added to management successfully"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "VM_ALREADY_MANAGED|VM already exists in management",
            "ACTIVE_REPLICATION_JOB|VM has active replication job",
            "FAILOVER_IN_PROGRESS|VM has a failover in progress",
            "VM_FAILED_OVER|VM has been failed over",
            "UNKNOWN|Replication request rejected",
    })
    void aRejectionIs409WithTheOriginalText(RejectionReason reason, String error) {
        ReplicationRejected rejected = ReplicationRejected.newBuilder(TestEvents.rejected("req-3", VM))
                .setReason(reason).setMessage("decision says no").build();

        ResponseEntity<Object> answer = responses.forOutcome(new ReplicationOutcome.Rejected(rejected), request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(answer.getHeaders().getFirst("X-Request-Id")).isEqualTo("req-3");
        assertThat(answer.getBody()).isEqualTo(new ApiError(error, "decision says no; context_id "
                + "ctx-vm-1-20250923-101530; active_job_id job-20250923-101000.000-000001", NOW));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "NO_VCENTER_HOST|400|vCenter host is required|; set vcenter_host (or source_vm.vcenter_host)",
            "NO_VCENTER_LOGIN|422|No login for this vCenter|",
            "DATACENTER_NOT_FOUND|404|Datacenter not found in vCenter|; check datacenter (or source_vm.datacenter)",
    })
    void aDiscoveryFailureThatIsTheClientsMistakeIs4xxSayingWhatToFix(DiscoveryFailureReason reason, int status,
            String error, String advice) {
        DiscoveryFailed failed = DiscoveryFailed.newBuilder(TestEvents.discoveryFailed("req-5", VM))
                .setReason(reason).setMessage("what discovery said").build();

        ResponseEntity<Object> answer = responses.forOutcome(new ReplicationOutcome.DiscoveryFailure(failed), request);

        assertThat(answer.getStatusCode().value()).isEqualTo(status);
        assertThat(answer.getBody()).isEqualTo(new ApiError(error, "what discovery said" + (advice == null ? "" : advice),
                NOW));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "VM_NOT_FOUND|404|VM not found in vCenter",
            "NO_DISKS|422|VM has no disks",
            "TIMEOUT|504|VM discovery timed out",
            "VMA_UNREACHABLE|502|VMA is unreachable",
            "VMA_ERROR|502|VMA discovery failed",
            "UNKNOWN|502|VM discovery failed",
    })
    void aDiscoveryFailureMapsToItsStatus(DiscoveryFailureReason reason, int status, String error) {
        DiscoveryFailed failed = DiscoveryFailed.newBuilder(TestEvents.discoveryFailed("req-4", VM))
                .setReason(reason).setMessage("what discovery said").build();

        ResponseEntity<Object> answer = responses.forOutcome(new ReplicationOutcome.DiscoveryFailure(failed), request);

        assertThat(answer.getStatusCode().value()).isEqualTo(status);
        assertThat(answer.getHeaders().getFirst("X-Request-Id")).isEqualTo("req-4");
        assertThat(answer.getBody()).isEqualTo(new ApiError(error, "what discovery said", NOW));
    }

    @Test
    void aJobThatFailedToStartIs502() {
        ResponseEntity<Object> answer = responses.forOutcome(
                new ReplicationOutcome.JobFailure(TestEvents.jobFailed("req-5", VM)), request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(answer.getBody()).isEqualTo(new ApiError("Replication job failed to start",
                "volume could not be created (job job-20250923-101530.123-abc124, step target_volumes, reason "
                        + "TARGET_VOLUME_FAILED)", NOW));
    }

    @Test
    void noOutcomeYetIs202WithTheOutcomeUrl() {
        ResponseEntity<Object> answer = responses.accepted("req-6", "later");

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(answer.getHeaders().getLocation()).isEqualTo(URI.create("/api/v1/replication-requests/req-6"));
        assertThat(answer.getHeaders().getFirst("X-Request-Id")).isEqualTo("req-6");
        assertThat(answer.getBody()).isEqualTo(new AcceptedResponse("req-6", "pending",
                "/api/v1/replication-requests/req-6", "later"));
    }

    /** The request's source VM with these disks in place of the client's. */
    private SourceVmBody sourceVmWithDisks(DiskBody... disks) {
        SourceVmBody vm = request.sourceVm();
        return new SourceVmBody(vm.id(), vm.name(), vm.path(), vm.vmId(), vm.vmName(), vm.vmPath(), vm.datacenter(),
                vm.vcenterHost(), vm.cpus(), vm.memoryMb(), vm.powerState(), vm.osType(), vm.vmxVersion(), List.of(disks),
                vm.networks());
    }

    private static VolumeAttachment volume(String diskId, String volumeId, boolean reused) {
        return VolumeAttachment.newBuilder().setDiskId(diskId).setVmwareDiskKey(diskId.substring(5))
                .setVolumeId(volumeId).setNbdExportName("migration-vol-" + volumeId)
                .setDevicePath("nbd://127.0.0.1:10809/migration-vol-" + volumeId).setSizeGb(40L).setReused(reused)
                .build();
    }
}
