package io.migratekit.intake.api;

import io.migratekit.intake.auth.AcceptsStreamTicket;
import io.migratekit.intake.auth.ApiPrincipal;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.auth.StreamTickets;
import io.migratekit.intake.events.ConsoleEvents;
import io.migratekit.intake.events.JobEventStreams;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code /api/v1/events}: every job's and failover's events in one server-sent event stream (the
 * console's one connection per browser), and the one-time tickets that open it from a browser. Thin:
 * the stream is {@link JobEventStreams}' and {@link ConsoleEvents}', the tickets {@link StreamTickets}'.
 */
@RestController
public class ConsoleEventsController {

    private final JobEventStreams streams;
    private final ConsoleEvents console;
    private final StreamTickets tickets;

    public ConsoleEventsController(JobEventStreams streams, ConsoleEvents console, StreamTickets tickets) {
        this.streams = streams;
        this.console = console;
        this.tickets = tickets;
    }

    /** A ticket and when it stops being accepted. */
    public record TicketResponse(String ticket, String expiresAt) {
    }

    @Operation(summary = "A one-time ticket that opens GET /api/v1/events without an Authorization header",
            description = "For browsers (EventSource cannot send headers): valid once, for a few seconds, with "
                    + "the permissions of the token that asked for it.")
    @PostMapping("/api/v1/events/tickets")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresPermission(Permission.READ)
    public TicketResponse ticket(@RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) {
        StreamTickets.Ticket ticket = tickets.issue(principal);
        return new TicketResponse(ticket.ticket(), ticket.expiresAt().toString());
    }

    @Operation(summary = "Every job's and failover's events, live, as server-sent events "
            + "(resumable with Last-Event-ID)",
            description = "First 'ready' (its id is where the client stands) or 'resync' (the events after the "
                    + "client's Last-Event-ID are no longer kept: reload), then every JobCreated, JobStarted, "
                    + "JobProgress, ChangeIdRecorded, JobCompleted and JobFailed of every job and every "
                    + "FailoverAccepted, FailoverStepChanged, FailoverCompleted, FailoverFailed and "
                    + "FailoverCleanedUp of every failover as it happens; 'id' "
                    + "is the stream position, data.event_id the event's own id. Authorization header, or "
                    + "?ticket= from POST /api/v1/events/tickets. The last id comes as the Last-Event-ID header "
                    + "or as ?last_event_id=.")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @GetMapping("/api/v1/events")
    @RequiresPermission(Permission.READ)
    @AcceptsStreamTicket
    public SseEmitter events(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @RequestParam(name = "last_event_id", required = false) String lastEventIdParam) {
        return streams.openAll(console, lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
    }
}
