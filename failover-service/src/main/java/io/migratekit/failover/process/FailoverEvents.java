package io.migratekit.failover.process;

import io.migratekit.events.FailoverCleanedUp;
import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.FinalSyncRequested;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.SourceVm;
import io.migratekit.events.StepStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Every event failover-service writes, built from the failover's record. Event ids are derived from
 * the failover id and the fact (for example {@code final_sync/started}), so a fact sent again after a
 * restart carries the id it had the first time and is recognisably the same. The final sync is a
 * standard replication request: no {@code replication_type} (the decision auto-detects an
 * incremental), {@code start_replication} true, the failover's id, requested by failover-service.
 * Plain Java; stamps {@code occurred_at} with its clock.
 */
public final class FailoverEvents {

    /** {@code requested_by} of the final sync. */
    public static final String REQUESTED_BY = "failover-service";
    /** The attempt name of a failover's own steps (a cleanup is an attempt of its own). */
    public static final String PROCESS = "process";

    private final Clock clock;

    public FailoverEvents(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The id of one fact of one failover: the same inputs give the same id. */
    public static String eventId(String failoverId, String fact) {
        return UUID.nameUUIDFromBytes(("failover-service/" + failoverId + "/" + fact).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** The attempt name of a cleanup requested when the record had this version. */
    public static String cleanupAttempt(long version) {
        return "cleanup-" + version;
    }

    public FailoverStepChanged stepChanged(String failoverId, String vmwareVmId, String contextId, String attempt,
            FailoverStep step, StepStatus status, String message, String jobId) {
        return FailoverStepChanged.newBuilder()
                .setEventId(eventId(failoverId, attempt + "/" + step + "/" + status))
                .setOccurredAt(now())
                .setCorrelationId(failoverId)
                .setVmwareVmId(vmwareVmId)
                .setFailoverId(failoverId)
                .setContextId(contextId)
                .setStep(step)
                .setStatus(status)
                .setMessage(message)
                .setJobId(jobId)
                .build();
    }

    public FailoverStepChanged stepChanged(FailoverProcess process, String attempt, FailoverStep step, StepStatus status,
            String message, String jobId) {
        return stepChanged(process.failoverId(), process.vmwareVmId(), process.contextId(), attempt, step, status,
                message, jobId);
    }

    public FinalSyncRequested finalSyncRequested(FailoverProcess process) {
        return FinalSyncRequested.newBuilder()
                .setEventId(eventId(process.failoverId(), "final_sync/requested"))
                .setOccurredAt(now())
                .setCorrelationId(process.failoverId())
                .setVmwareVmId(process.vmwareVmId())
                .setFailoverId(process.failoverId())
                .setContextId(process.contextId())
                .setRequestId(requireRequestId(process))
                .build();
    }

    /** The final sync as a standard replication request; its correlation id is the recorded request id. */
    public ReplicationRequested finalSyncRequest(FailoverProcess process) {
        SourceVm source = SourceVm.newBuilder()
                .setId(process.vmwareVmId())
                .setName(process.vmName())
                .setPath(process.vmPath())
                .setVmId(process.vmwareVmId())
                .setVmName(process.vmName())
                .setVmPath(process.vmPath())
                .setDatacenter(process.datacenter())
                .setVcenterHost(process.vcenterHost())
                .setDisks(List.of())
                .setNetworks(List.of())
                .build();
        ReplicationRequest request = ReplicationRequest.newBuilder()
                .setSourceVm(source)
                .setReplicationType(null)
                .setVcenterHost(process.vcenterHost())
                .setDatacenter(process.datacenter())
                .setStartReplication(true)
                .setRequestedBy(REQUESTED_BY)
                .setFailoverId(process.failoverId())
                .build();
        return ReplicationRequested.newBuilder()
                .setEventId(eventId(process.failoverId(), "final_sync/replication-requested"))
                .setOccurredAt(now())
                .setCorrelationId(requireRequestId(process))
                .setVmwareVmId(process.vmwareVmId())
                .setRequest(request)
                .build();
    }

    public FailoverCompleted completed(FailoverProcess process) {
        return FailoverCompleted.newBuilder()
                .setEventId(eventId(process.failoverId(), "completed"))
                .setOccurredAt(now())
                .setCorrelationId(process.failoverId())
                .setVmwareVmId(process.vmwareVmId())
                .setFailoverId(process.failoverId())
                .setContextId(process.contextId())
                .setFailoverType(process.type())
                .setTargetVmId(Objects.requireNonNull(process.targetVmId(), "a completed failover has a target VM"))
                .setFinalSyncJobId(process.finalSyncJobId())
                .build();
    }

    public FailoverFailed failed(FailoverProcess process) {
        return FailoverFailed.newBuilder()
                .setEventId(eventId(process.failoverId(), "failed"))
                .setOccurredAt(now())
                .setCorrelationId(process.failoverId())
                .setVmwareVmId(process.vmwareVmId())
                .setFailoverId(process.failoverId())
                .setContextId(process.contextId())
                .setFailoverType(process.type())
                .setFailedStep(Objects.requireNonNull(process.failedStep(), "a failed failover names its step"))
                .setReason(process.errorMessage() == null ? "step " + process.failedStep() + " failed"
                        : process.errorMessage())
                .setSourcePoweredBackOn(process.sourcePoweredBackOn())
                .build();
    }

    public FailoverCleanedUp cleanedUp(FailoverProcess process, String attempt) {
        return FailoverCleanedUp.newBuilder()
                .setEventId(eventId(process.failoverId(), attempt + "/cleaned-up"))
                .setOccurredAt(now())
                .setCorrelationId(process.failoverId())
                .setVmwareVmId(process.vmwareVmId())
                .setFailoverId(process.failoverId())
                .setContextId(process.contextId())
                .build();
    }

    private static String requireRequestId(FailoverProcess process) {
        return Objects.requireNonNull(process.finalSyncRequestId(), "the final sync's request id is recorded first");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
