package io.migratekit.intake.failover;

import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverRejected;
import io.migratekit.intake.api.ErrorResponses;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The HTTP answers of the failover endpoints: {@code FailoverAccepted} → 202 {@code validated},
 * {@code FailoverRejected} → 409 with the reason's text, no answer in time → 202 {@code pending}, a
 * cleanup request → 202 {@code cleanup_requested}. Each carries the failover's URL. Plain Java.
 */
public class FailoverResponses {

    public static final String FAILOVERS_PATH = "/api/v1/failovers/";

    private final ErrorResponses errors;

    public FailoverResponses(ErrorResponses errors) {
        this.errors = errors;
    }

    /** 202 (body {@code failover_job_id}, {@code status}, {@code failover_url}, {@code message}). */
    public record Accepted(String failoverJobId, String status, String failoverUrl, String message) {
    }

    public ResponseEntity<Object> forAnswer(String failoverId, Optional<SpecificRecord> answer) {
        if (answer.isEmpty()) {
            return accepted(failoverId, "pending", "The decision did not answer in time; the failover's state will be "
                    + "at the failover URL");
        }
        if (answer.get() instanceof FailoverAccepted accepted) {
            return accepted(failoverId, "validated", "Failover " + accepted.getFailoverType() + " of VM "
                    + accepted.getVmName() + " accepted; its steps are at the failover URL");
        }
        return rejected((FailoverRejected) answer.get());
    }

    public ResponseEntity<Object> cleanupRequested(String failoverId) {
        return accepted(failoverId, "cleanup_requested", "Cleanup of the test failover requested; its step is at the "
                + "failover URL");
    }

    private ResponseEntity<Object> accepted(String failoverId, String status, String message) {
        String url = FAILOVERS_PATH + failoverId;
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(url))
                .contentType(MediaType.APPLICATION_JSON)
                .body(new Accepted(failoverId, status, url, message));
    }

    private ResponseEntity<Object> rejected(FailoverRejected event) {
        String error = switch (event.getReason()) {
            case VM_NOT_MANAGED -> "VM is not managed";
            case NO_COMPLETED_REPLICATION -> "VM has no completed replication";
            case ACTIVE_REPLICATION_JOB -> "VM has active replication job";
            case ALREADY_FAILED_OVER -> "VM is already failed over";
            case FAILOVER_IN_PROGRESS -> "VM has a failover in progress";
            case LAST_JOB_FAILED_MID_COPY -> "VM's replicated volumes are incomplete";
            default -> "Failover request rejected";
        };
        List<String> details = new ArrayList<>();
        details.add(event.getMessage());
        if (event.getContextId() != null) {
            details.add("context_id " + event.getContextId());
        }
        details.add("failover_id " + event.getFailoverId());
        return errors.of(HttpStatus.CONFLICT, error, String.join("; ", details));
    }
}
