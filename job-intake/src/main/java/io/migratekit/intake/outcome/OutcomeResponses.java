package io.migratekit.intake.outcome;

import io.migratekit.client.ReplicationOutcome;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.intake.api.ErrorResponses;
import io.migratekit.intake.outcome.Responses.AcceptedResponse;
import io.migratekit.intake.outcome.Responses.ContextCreatedResponse;
import io.migratekit.intake.outcome.Responses.JobStartedResponse;
import io.migratekit.intake.outcome.Responses.Volume;
import io.migratekit.intake.request.ReplicationRequestBody;
import io.migratekit.intake.request.ReplicationRequestBody.DiskBody;
import io.migratekit.intake.request.ReplicationRequestBody.SourceVmBody;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The HTTP answer to each way a replication request can end: JobStarted → 201 job,
 * ContextCreated without a job → 201 context, ReplicationRejected → 409, DiscoveryFailed →
 * 400/404/422 for the client's mistakes (no vCenter host, no login for it, unknown datacenter, VM not
 * found, no disks) and 504/502 for a VMA that failed, JobFailed → 502, no outcome yet → 202 with the outcome URL. Every answer
 * carries the request id in {@code X-Request-Id}. Plain Java; decides nothing about the request.
 */
public class OutcomeResponses {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String OUTCOME_PATH = "/api/v1/replication-requests/";

    private final ErrorResponses errors;

    public OutcomeResponses(ErrorResponses errors) {
        this.errors = errors;
    }

    public ResponseEntity<Object> forOutcome(ReplicationOutcome outcome, ReplicationRequestBody request) {
        ResponseEntity<Object> answer = switch (outcome.kind()) {
            case JOB_STARTED -> jobStarted(((ReplicationOutcome.Started) outcome).event(), request);
            case CONTEXT_CREATED -> contextCreated(((ReplicationOutcome.ContextOnly) outcome).event());
            case REJECTED -> rejected(((ReplicationOutcome.Rejected) outcome).event());
            case DISCOVERY_FAILED -> discoveryFailed(((ReplicationOutcome.DiscoveryFailure) outcome).event());
            case JOB_FAILED -> jobFailed(((ReplicationOutcome.JobFailure) outcome).event());
        };
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(REQUEST_ID_HEADER, outcome.requestId()).body(answer.getBody());
    }

    /** 202: the request is in the pipeline, its outcome will be at the outcome URL. */
    public ResponseEntity<Object> accepted(String requestId, String message) {
        String url = OUTCOME_PATH + requestId;
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create(url))
                .header(REQUEST_ID_HEADER, requestId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new AcceptedResponse(requestId, "pending", url, message));
    }

    private ResponseEntity<Object> jobStarted(JobStarted event, ReplicationRequestBody request) {
        List<Volume> created = new ArrayList<>();
        List<Volume> mounted = new ArrayList<>();
        for (VolumeAttachment volume : event.getVolumes()) {
            Volume view = new Volume(volume.getVolumeId(), volume.getDiskId(), volume.getDevicePath(),
                    volume.getNbdExportName());
            mounted.add(view);
            if (!volume.getReused()) {
                created.add(view);
            }
        }
        int disks = event.getVolumes().size();
        return json(HttpStatus.CREATED, new JobStartedResponse(event.getJobId(), event.getContextId(), "replicating",
                0, event.getReplicationType().name(), created, mounted, withCopiedDisks(request.sourceVm(), event),
                iso(event.getOccurredAt()),
                "Replication started successfully with " + disks + " disk(s)"));
    }

    /**
     * The client's source VM with its {@code disks} replaced by the disks the job copies, as fresh
     * discovery found them (one target volume each: id and size); the client's own array is never used.
     */
    private static SourceVmBody withCopiedDisks(SourceVmBody vm, JobStarted event) {
        List<DiskBody> disks = event.getVolumes().stream().map(volume -> new DiskBody(volume.getDiskId(), null, null,
                null, volume.getSizeGb(), null, null, null, null)).toList();
        return new SourceVmBody(vm.id(), vm.name(), vm.path(), vm.vmId(), vm.vmName(), vm.vmPath(), vm.datacenter(),
                vm.vcenterHost(), vm.cpus(), vm.memoryMb(), vm.powerState(), vm.osType(), vm.vmxVersion(), disks,
                vm.networks());
    }

    private ResponseEntity<Object> contextCreated(ContextCreated event) {
        return json(HttpStatus.CREATED, new ContextCreatedResponse(event.getContextId(), event.getVmName(),
                event.getVmwareVmId(), event.getCurrentStatus().name(), iso(event.getOccurredAt()),
                "VM added to management successfully"));
    }

    private ResponseEntity<Object> rejected(ReplicationRejected event) {
        String error = switch (event.getReason()) {
            case VM_ALREADY_MANAGED -> "VM already exists in management";
            case ACTIVE_REPLICATION_JOB -> "VM has active replication job";
            case FAILOVER_IN_PROGRESS -> "VM has a failover in progress";
            case VM_FAILED_OVER -> "VM has been failed over";
            default -> "Replication request rejected";
        };
        List<String> details = new ArrayList<>();
        details.add(event.getMessage());
        if (event.getContextId() != null) {
            details.add("context_id " + event.getContextId());
        }
        if (event.getActiveJobId() != null) {
            details.add("active_job_id " + event.getActiveJobId());
        }
        if (event.getFailoverId() != null) {
            details.add("failover_id " + event.getFailoverId());
        }
        return errors.of(HttpStatus.CONFLICT, error, String.join("; ", details));
    }

    private ResponseEntity<Object> discoveryFailed(DiscoveryFailed event) {
        return switch (event.getReason()) {
            case VM_NOT_FOUND -> errors.of(HttpStatus.NOT_FOUND, "VM not found in vCenter", event.getMessage());
            case NO_DISKS -> errors.of(HttpStatus.UNPROCESSABLE_CONTENT, "VM has no disks", event.getMessage());
            case TIMEOUT -> errors.of(HttpStatus.GATEWAY_TIMEOUT, "VM discovery timed out", event.getMessage());
            case VMA_UNREACHABLE -> errors.of(HttpStatus.BAD_GATEWAY, "VMA is unreachable", event.getMessage());
            case VMA_ERROR -> errors.of(HttpStatus.BAD_GATEWAY, "VMA discovery failed", event.getMessage());
            case NO_VCENTER_HOST -> errors.of(HttpStatus.BAD_REQUEST, "vCenter host is required",
                    event.getMessage() + "; set vcenter_host (or source_vm.vcenter_host)");
            case NO_VCENTER_LOGIN -> errors.of(HttpStatus.UNPROCESSABLE_CONTENT, "No login for this vCenter",
                    event.getMessage());
            case DATACENTER_NOT_FOUND -> errors.of(HttpStatus.NOT_FOUND, "Datacenter not found in vCenter",
                    event.getMessage() + "; check datacenter (or source_vm.datacenter)");
            default -> errors.of(HttpStatus.BAD_GATEWAY, "VM discovery failed", event.getMessage());
        };
    }

    private ResponseEntity<Object> jobFailed(JobFailed event) {
        return errors.of(HttpStatus.BAD_GATEWAY, "Replication job failed to start",
                event.getMessage() + " (job " + event.getJobId() + ", step " + event.getStep() + ", reason "
                        + event.getReason().name() + ")");
    }

    private static ResponseEntity<Object> json(HttpStatus status, Object body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
