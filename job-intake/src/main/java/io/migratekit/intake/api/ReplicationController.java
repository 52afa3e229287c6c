package io.migratekit.intake.api;

import io.migratekit.client.PipelineUnavailableException;
import io.migratekit.client.ReplicationOutcome;
import io.migratekit.client.Submission;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.intake.IntakeMetrics;
import io.migratekit.intake.IntakeProperties;
import io.migratekit.intake.auth.ApiPrincipal;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.outcome.OutcomeResponses;
import io.migratekit.intake.outcome.RequestPipeline;
import io.migratekit.intake.outcome.Responses.AcceptedResponse;
import io.migratekit.intake.outcome.Responses.ContextCreatedResponse;
import io.migratekit.intake.outcome.Responses.JobStartedResponse;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.intake.readmodel.Views.JobView;
import io.migratekit.intake.request.ReplicationRequestBody;
import io.migratekit.intake.request.ReplicationRequestValidator;
import io.migratekit.intake.request.RequestBodyReader;
import io.migratekit.platform.EventLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/replications}: turns a replication request into a command event and answers with
 * its outcome (or 202 when it is not known in time / asked asynchronously), and lists and shows
 * jobs from the read model. Thin: validation, the pipeline and the answers are other classes'.
 */
@RestController
public class ReplicationController {

    private static final Logger log = LoggerFactory.getLogger(ReplicationController.class);
    static final String PREFER_ASYNC = "respond-async";

    private final RequestBodyReader bodyReader;
    private final ReplicationRequestValidator validator;
    private final RequestPipeline pipeline;
    private final OutcomeResponses responses;
    private final ReadModel readModel;
    private final IntakeProperties properties;
    private final IntakeMetrics metrics;

    public ReplicationController(RequestBodyReader bodyReader, ReplicationRequestValidator validator,
            RequestPipeline pipeline, OutcomeResponses responses, ReadModel readModel, IntakeProperties properties,
            IntakeMetrics metrics) {
        this.bodyReader = bodyReader;
        this.validator = validator;
        this.pipeline = pipeline;
        this.responses = responses;
        this.readModel = readModel;
        this.properties = properties;
        this.metrics = metrics;
    }

    @Operation(summary = "Request a replication (or add a VM to management with start_replication=false)",
            description = "Synchronous by default: answers with the outcome (201 job or context, 404/409/422/502/504),"
                    + " or 202 with the outcome URL when it is not known in time. 'Prefer: respond-async' answers 202 at once.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ReplicationRequestBody.class)))
    @ApiResponse(responseCode = "201", description = "Job started, or VM added to management (start_replication=false)",
            content = @Content(schema = @Schema(oneOf = {JobStartedResponse.class, ContextCreatedResponse.class})))
    @ApiResponse(responseCode = "202", description = "Accepted; the outcome will be at outcome_url",
            content = @Content(schema = @Schema(implementation = AcceptedResponse.class)))
    @ApiResponse(responseCode = "400", description = "Invalid request payload / Source VM information is required / "
            + "Invalid replication type / Unknown CloudStack target (ossea_config_id)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "401", description = "Unauthorized", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "403", description = "Forbidden (read-only or vma token)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "VM not found in vCenter", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "409", description = "VM already exists in management / VM has active replication job / "
            + "failover in progress", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "413", description = "Request body too large", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "422", description = "VM has no disks", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "502", description = "VMA unreachable or failing, or the job failed to start",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "The pipeline's broker or schema registry is unavailable",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "504", description = "VM discovery timed out", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @PostMapping("/api/v1/replications")
    @RequiresPermission(Permission.WRITE)
    public CompletableFuture<ResponseEntity<Object>> create(HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        ReplicationRequestBody body;
        try {
            body = validator.validate(bodyReader.read(http.getContentLengthLong(), http.getInputStream()));
        } catch (ApiProblem problem) {
            metrics.outcome("invalid");
            throw problem;
        }
        ReplicationRequest request = body.toEvent(principal.name());
        if (respondAsync(http)) {
            String requestId = published(() -> pipeline.publish(request));
            metrics.outcome("accepted_async");
            ResponseEntity<Object> accepted = responses.accepted(requestId, "Request accepted; its outcome will be at "
                    + "the outcome URL");
            return CompletableFuture.completedFuture(ResponseEntity.status(accepted.getStatusCode())
                    .headers(accepted.getHeaders()).header("Preference-Applied", PREFER_ASYNC).body(accepted.getBody()));
        }
        Submission submission = published(() -> pipeline.submit(request, properties.getOutcomeTimeout()));
        return submission.outcome().thenApply(outcome -> outcome
                .map(ended -> answer(ended, body))
                .orElseGet(() -> {
                    metrics.outcome("pending");
                    return responses.accepted(submission.requestId(), "The outcome is not known yet; it will be at "
                            + "the outcome URL");
                }));
    }

    private <T> T published(Supplier<T> publish) {
        try {
            return publish.get();
        } catch (PipelineUnavailableException e) {
            metrics.outcome("unavailable");
            throw e;
        }
    }

    private ResponseEntity<Object> answer(ReplicationOutcome outcome, ReplicationRequestBody body) {
        ResponseEntity<Object> answer = responses.forOutcome(outcome, body);
        metrics.outcome(outcome.kind().name().toLowerCase(Locale.ROOT));
        EventLog.handled(log, outcome.event(), "answered-" + answer.getStatusCode().value());
        return answer;
    }

    @Operation(summary = "A replication job with its live progress and its disks")
    @GetMapping("/api/v1/replications/{job_id}")
    @RequiresPermission(Permission.READ)
    public JobView job(@PathVariable("job_id") String jobId) {
        return readModel.job(jobId).orElseThrow(() ->
                ApiProblem.notFound("Replication job not found", "No replication job " + jobId));
    }

    @Operation(summary = "Replication jobs, newest first, optionally of one VM name and/or one status")
    @GetMapping("/api/v1/replications")
    @RequiresPermission(Permission.READ)
    public JobList jobs(@RequestParam(name = "vm_name", required = false) String vmName,
            @RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "offset", required = false) Integer offset) {
        Paging page = Paging.of(limit, offset, properties.getDefaultPageSize(), properties.getMaxPageSize());
        List<JobView> jobs = readModel.jobs(filter("vm_name", vmName, 255), filter("status", status, 32),
                page.limit(), page.offset());
        return new JobList(jobs, jobs.size(), page.limit(), page.offset());
    }

    /** A page of jobs. */
    public record JobList(List<JobView> replications, int count, int limit, int offset) {
    }

    static String filter(String name, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw ApiProblem.invalidQuery(name + " is longer than " + maxLength + " characters");
        }
        return value;
    }

    static boolean respondAsync(HttpServletRequest http) {
        for (String header : Collections.list(http.getHeaders("Prefer"))) {
            for (String preference : header.split(",")) {
                String token = preference.split(";", 2)[0].trim();
                if (token.equalsIgnoreCase(PREFER_ASYNC)) {
                    return true;
                }
            }
        }
        return false;
    }
}
