package io.migratekit.intake.api;

import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.events.JobEventStreams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/replications/{job_id}/events}: a job's events as server-sent events. Thin:
 * {@link JobEventStreams} finds the job, bounds the streams and feeds them.
 */
@RestController
public class JobEventsController {

    private final JobEventStreams streams;

    public JobEventsController(JobEventStreams streams) {
        this.streams = streams;
    }

    @Operation(summary = "A replication job's events, live, as server-sent events",
            description = "The job's events so far, then each new one as it happens (JobCreated, JobStarted, "
                    + "JobProgress, ChangeIdRecorded, JobCompleted, JobFailed); 'event' is the type, 'id' the event id, "
                    + "'data' the event as JSON. The stream ends after JobCompleted or JobFailed.")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(responseCode = "404", description = "Replication job not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "503", description = "Too many event streams, or the job's events cannot be read",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @GetMapping(path = "/api/v1/replications/{job_id}/events")
    @RequiresPermission(Permission.READ)
    public SseEmitter events(@PathVariable("job_id") String jobId) {
        return streams.open(jobId);
    }
}
