package io.migratekit.intake.api;

import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.FailoverType;
import io.migratekit.intake.IntakeMetrics;
import io.migratekit.intake.IntakeProperties;
import io.migratekit.intake.auth.ApiPrincipal;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.failover.FailoverCommands;
import io.migratekit.intake.failover.FailoverResponses;
import io.migratekit.intake.readmodel.FailoverReadModel;
import io.migratekit.intake.readmodel.FailoverViews.ContextRef;
import io.migratekit.intake.readmodel.FailoverViews.FailoverView;
import io.migratekit.intake.request.FailoverRequestBody;
import io.migratekit.intake.request.FailoverRequestValidator;
import io.migratekit.intake.request.RequestBodyReader;
import io.migratekit.schemas.EventIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/failovers}: turns a failover request into a {@code FailoverRequested} command for the
 * VM its context names and answers with the decision's verdict; requests the cleanup of a completed
 * test failover; lists and shows failovers with their steps from failover-service's record. Thin:
 * validation, the commands and the answers are other classes'.
 */
@RestController
public class FailoverController {

    static final String COMPLETED = "completed";

    private final RequestBodyReader bodyReader;
    private final FailoverRequestValidator validator;
    private final FailoverCommands commands;
    private final FailoverResponses responses;
    private final FailoverReadModel readModel;
    private final IntakeProperties properties;
    private final IntakeMetrics metrics;
    private final Clock clock;

    public FailoverController(RequestBodyReader bodyReader, FailoverRequestValidator validator, FailoverCommands commands,
            FailoverResponses responses, FailoverReadModel readModel, IntakeProperties properties, IntakeMetrics metrics,
            Clock clock) {
        this.bodyReader = bodyReader;
        this.validator = validator;
        this.commands = commands;
        this.responses = responses;
        this.readModel = readModel;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Operation(summary = "Fail a VM over to CloudStack, as a test or live",
            description = "Names the VM by context_id or vm_name. Answers 202 'validated' once the decision accepted "
                    + "the failover (or 'pending' when it did not answer in time); its steps are then at the failover URL.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = FailoverRequestBody.class)))
    @ApiResponse(responseCode = "202", description = "Accepted (validated, or pending)",
            content = @Content(schema = @Schema(implementation = FailoverResponses.Accepted.class)))
    @ApiResponse(responseCode = "400", description = "Invalid request payload / Invalid failover type",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "VM context not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "VM is not managed / has no completed replication / has active "
            + "replication job / is already failed over / has a failover in progress / VM name is ambiguous",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "The pipeline's broker or schema registry is unavailable",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @PostMapping("/api/v1/failovers")
    @RequiresPermission(Permission.WRITE)
    public CompletableFuture<ResponseEntity<Object>> create(HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        FailoverRequestBody body;
        ContextRef context;
        try {
            body = validator.validate(bodyReader.read(http.getContentLengthLong(), http.getInputStream()));
            context = context(body);
        } catch (ApiProblem problem) {
            metrics.failoverOutcome(problem.status() == HttpStatus.BAD_REQUEST ? "invalid"
                    : problem.status() == HttpStatus.NOT_FOUND ? "unknown_vm" : "ambiguous_vm");
            throw problem;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String failoverId = EventIds.newFailoverId(now);
        FailoverRequested request = FailoverRequested.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(now)
                .setCorrelationId(failoverId)
                .setVmwareVmId(context.vmwareVmId())
                .setFailoverId(failoverId)
                .setContextId(context.contextId())
                .setVmName(context.vmName())
                .setFailoverType(body.failoverType())
                .setPowerOnSourceOnFailure(body.powerOnSourceOnFailure())
                .setTestNetwork(body.failoverType() == FailoverType.test ? body.testNetwork() : null)
                .setFinalSyncDeadlineMinutes(body.finalSyncDeadlineMinutes())
                .setRequestedBy(principal.name())
                .build();
        return commands.request(request, properties.getOutcomeTimeout()).thenApply(answer -> {
            ResponseEntity<Object> response = responses.forAnswer(failoverId, answer);
            metrics.failoverOutcome(answer.map(event -> event instanceof FailoverAccepted ? "accepted" : "rejected")
                    .orElse("pending"));
            return response;
        });
    }

    @Operation(summary = "A failover with every step: start, end, outcome, error")
    @GetMapping("/api/v1/failovers/{failover_id}")
    @RequiresPermission(Permission.READ)
    public FailoverView failover(@PathVariable("failover_id") String failoverId) {
        return readModel.failover(failoverId).orElseThrow(() -> ApiProblem.notFound("Failover not found",
                "No failover " + failoverId + " (an accepted failover appears within seconds)"));
    }

    @Operation(summary = "Failovers, newest first, optionally of one VM name")
    @GetMapping("/api/v1/failovers")
    @RequiresPermission(Permission.READ)
    public FailoverList failovers(@RequestParam(name = "vm_name", required = false) String vmName,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "offset", required = false) Integer offset) {
        Paging page = Paging.of(limit, offset, properties.getDefaultPageSize(), properties.getMaxPageSize());
        List<FailoverView> failovers = readModel.failovers(ReplicationController.filter("vm_name", vmName, 255),
                page.limit(), page.offset());
        return new FailoverList(failovers, failovers.size(), page.limit(), page.offset());
    }

    /** A page of failovers. */
    public record FailoverList(List<FailoverView> failovers, int count, int limit, int offset) {
    }

    @Operation(summary = "Remove a completed test failover's VM and return the VM to ready_for_failover")
    @ApiResponse(responseCode = "202", description = "Cleanup requested",
            content = @Content(schema = @Schema(implementation = FailoverResponses.Accepted.class)))
    @ApiResponse(responseCode = "404", description = "Failover not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "Not a completed test failover",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @PostMapping("/api/v1/failovers/{failover_id}/cleanup")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<Object> cleanup(@PathVariable("failover_id") String failoverId,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) {
        FailoverView failover = failover(failoverId);
        if (!FailoverType.test.name().equals(failover.failoverType()) || !COMPLETED.equals(failover.status())) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Failover cannot be cleaned up", "only a completed test "
                    + "failover is cleaned up; failover " + failoverId + " is a " + failover.failoverType()
                    + " failover with status " + failover.status());
        }
        commands.requestCleanup(FailoverCleanupRequested.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId(failoverId)
                .setVmwareVmId(failover.vmwareVmId())
                .setFailoverId(failoverId)
                .setContextId(failover.contextId())
                .setRequestedBy(principal.name())
                .build());
        metrics.failoverOutcome("cleanup_requested");
        return responses.cleanupRequested(failoverId);
    }

    /** The one context the body names; 404 when none, 409 when a name is ambiguous, 400 when id and name disagree. */
    private ContextRef context(FailoverRequestBody body) {
        List<ContextRef> found = readModel.contexts(body.contextId(), body.vmName());
        String named = body.contextId() != null ? "context " + body.contextId() : "VM " + body.vmName();
        if (found.isEmpty()) {
            throw ApiProblem.notFound("VM context not found", "No VM context for " + named);
        }
        if (found.size() > 1) {
            throw new ApiProblem(HttpStatus.CONFLICT, "VM name is ambiguous", found.size() + " VM contexts have this "
                    + "name: " + found.stream().map(ContextRef::contextId).collect(Collectors.joining(", "))
                    + "; name the context by context_id");
        }
        ContextRef context = found.get(0);
        if (body.contextId() != null && body.vmName() != null && !body.vmName().equals(context.vmName())) {
            throw ApiProblem.invalidPayload("vm_name does not match the VM of context_id " + body.contextId());
        }
        return context;
    }
}
