package io.migratekit.intake.schedule;

import io.migratekit.db.tables.records.SchedulesRecord;
import io.migratekit.events.ScheduleDefined;
import io.migratekit.events.ScheduleTriggerRequested;
import io.migratekit.intake.IntakeProperties;
import io.migratekit.intake.api.ApiProblem;
import io.migratekit.intake.api.Paging;
import io.migratekit.intake.auth.ApiPrincipal;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.request.RequestBodyReader;
import io.migratekit.intake.request.ScheduleBodies.ScheduleBody;
import io.migratekit.intake.request.ScheduleRequestValidator;
import io.migratekit.intake.schedule.ScheduleViews.ExecutionView;
import io.migratekit.intake.schedule.ScheduleViews.Page;
import io.migratekit.intake.schedule.ScheduleViews.ScheduleView;
import io.migratekit.schemas.EventIds;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/schedules}: validates a schedule change, checks it against the current definitions
 * (unknown id 404, name taken 409) and publishes it as a {@code ScheduleDefined} for scheduler-service
 * to apply; a trigger becomes a {@code ScheduleTriggerRequested}. Writes answer 202: the change is
 * durable and shows in the GETs (scheduler-service's tables) within moments. Thin.
 */
@RestController
public class ScheduleController {

    static final String DEFAULT_TIMEZONE = "UTC";

    private final RequestBodyReader bodyReader;
    private final ScheduleRequestValidator validator;
    private final ScheduleCommands commands;
    private final SchedulerReadModel readModel;
    private final IntakeProperties properties;
    private final Clock clock;

    public ScheduleController(RequestBodyReader bodyReader, ScheduleRequestValidator validator, ScheduleCommands commands,
            SchedulerReadModel readModel, IntakeProperties properties, Clock clock) {
        this.bodyReader = bodyReader;
        this.validator = validator;
        this.commands = commands;
        this.readModel = readModel;
        this.properties = properties;
        this.clock = clock;
    }

    @Operation(summary = "Create a schedule (cron of 5 or 6 fields, read in its time zone)")
    @PostMapping("/api/v1/schedules")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<ScheduleView> create(HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        ScheduleBody body = validator.schedule(read(http), true);
        nameFree(body.name(), null);
        ScheduleDefined defined = event(UUID.randomUUID().toString(), body, null, principal, false);
        commands.define(defined);
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", ScheduleCommands.SCHEDULES_PATH
                + defined.getScheduleId()).body(view(defined));
    }

    @Operation(summary = "Schedules, by name")
    @GetMapping("/api/v1/schedules")
    @RequiresPermission(Permission.READ)
    public Page<ScheduleView> list(@RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "offset", required = false) Integer offset) {
        Paging page = Paging.of(limit, offset, properties.getDefaultPageSize(), properties.getMaxPageSize());
        List<ScheduleView> items = readModel.schedules(page.limit(), page.offset());
        return new Page<>(items, items.size(), page.limit(), page.offset());
    }

    @Operation(summary = "One schedule")
    @GetMapping("/api/v1/schedules/{id}")
    @RequiresPermission(Permission.READ)
    public ScheduleView get(@PathVariable("id") String id) {
        return readModel.schedule(id).orElseThrow(() -> notFound(id));
    }

    @Operation(summary = "Change a schedule: the fields given replace the current ones")
    @PutMapping("/api/v1/schedules/{id}")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<ScheduleView> update(@PathVariable("id") String id, HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        SchedulesRecord current = current(id);
        ScheduleBody body = validator.schedule(read(http), false);
        if (body.name() != null) {
            nameFree(body.name(), id);
        }
        ScheduleDefined defined = event(id, body, current, principal, false);
        commands.define(defined);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(defined));
    }

    @Operation(summary = "Enable or disable a schedule: {\"enabled\": true|false}")
    @PostMapping("/api/v1/schedules/{id}/enable")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<ScheduleView> enable(@PathVariable("id") String id, HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        SchedulesRecord current = current(id);
        boolean enabled = validator.enabled(read(http));
        ScheduleDefined defined = event(id, new ScheduleBody(null, null, null, null, null, null, null, null, enabled,
                null), current, principal, false);
        commands.define(defined);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(defined));
    }

    @Operation(summary = "Delete a schedule; its groups stay, without a schedule; a running execution ends normally")
    @DeleteMapping("/api/v1/schedules/{id}")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<Void> delete(@PathVariable("id") String id,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) {
        SchedulesRecord current = current(id);
        commands.define(event(id, new ScheduleBody(null, null, null, null, null, null, null, null, null, null), current,
                principal, true));
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @Operation(summary = "Run a schedule now, as its own execution: {\"reason\": \"...\"} (optional)")
    @PostMapping("/api/v1/schedules/{id}/trigger")
    @RequiresPermission(Permission.WRITE)
    public ResponseEntity<Map<String, String>> trigger(@PathVariable("id") String id, HttpServletRequest http,
            @RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) throws IOException {
        current(id);
        String reason = validator.reason(read(http));
        String requestId = UUID.randomUUID().toString();
        commands.trigger(ScheduleTriggerRequested.newBuilder().setEventId(EventIds.newEventId()).setOccurredAt(now())
                .setCorrelationId(requestId).setScheduleId(id).setReason(reason).setRequestedBy(principal.name())
                .build());
        // The execution's id is derived from the trigger request's (scheduler-service, ExecutionIds.manual).
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("schedule_id", id, "execution_id",
                "exec-manual-" + requestId, "status", "triggered"));
    }

    @Operation(summary = "A schedule's executions, newest first, each with its VMs")
    @GetMapping("/api/v1/schedules/{id}/executions")
    @RequiresPermission(Permission.READ)
    public Page<ExecutionView> executions(@PathVariable("id") String id,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "offset", required = false) Integer offset) {
        Paging page = Paging.of(limit, offset, properties.getDefaultPageSize(), properties.getMaxPageSize());
        List<ExecutionView> items = readModel.executions(id, page.limit(), page.offset());
        if (items.isEmpty() && readModel.scheduleRecord(id).isEmpty()) {
            throw notFound(id);
        }
        return new Page<>(items, items.size(), page.limit(), page.offset());
    }

    private byte[] read(HttpServletRequest http) throws IOException {
        return bodyReader.read(http.getContentLengthLong(), http.getInputStream());
    }

    private SchedulesRecord current(String id) {
        return readModel.scheduleRecord(id).orElseThrow(() -> notFound(id));
    }

    private void nameFree(String name, String self) {
        readModel.scheduleNamed(name).filter(owner -> !owner.equals(self)).ifPresent(owner -> {
            throw new ApiProblem(HttpStatus.CONFLICT, "Schedule name taken", "name " + name
                    + " is the name of schedule " + owner);
        });
    }

    static ApiProblem notFound(String id) {
        return ApiProblem.notFound("Schedule not found", "No schedule " + id);
    }

    /** The definition: the body's fields over the current ones (or the defaults when there are none). */
    private ScheduleDefined event(String id, ScheduleBody b, SchedulesRecord c, ApiPrincipal principal, boolean deleted) {
        return ScheduleDefined.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(now())
                .setCorrelationId(UUID.randomUUID().toString())
                .setScheduleId(id)
                .setName(pick(b.name(), c == null ? null : c.getName(), null))
                .setDescription(pick(b.description(), c == null ? null : c.getDescription(), null))
                .setCronExpression(pick(b.cronExpression(), c == null ? null : c.getCronExpression(), null))
                .setTimezone(pick(b.timezone(), c == null ? null : c.getTimezone(), DEFAULT_TIMEZONE))
                .setReplicationType(type(pick(b.replicationType(), c == null ? null : c.getReplicationType(), "auto")))
                .setMaxConcurrentJobs(pick(b.maxConcurrentJobs(), c == null ? null : c.getMaxConcurrentJobs(), 1))
                .setRetryAttempts(pick(b.retryAttempts(), c == null ? null : c.getRetryAttempts(), 3))
                .setRetryDelayMinutes(pick(b.retryDelayMinutes(), c == null ? null : c.getRetryDelayMinutes(), 30))
                .setEnabled(pick(b.enabled(), c == null ? null : c.getEnabled(), true))
                .setSkipIfRunning(pick(b.skipIfRunning(), c == null ? null : c.getSkipIfRunning(), true))
                .setDeleted(deleted)
                .setChangedBy(principal.name())
                .build();
    }

    private static String type(String type) {
        return "auto".equals(type) ? null : type;
    }

    static <T> T pick(T given, T current, T fallback) {
        return given != null ? given : current != null ? current : fallback;
    }

    private static ScheduleView view(ScheduleDefined d) {
        return new ScheduleView(d.getScheduleId(), d.getName(), d.getDescription(), d.getCronExpression(),
                d.getTimezone(), d.getReplicationType() == null ? "auto" : d.getReplicationType(), d.getMaxConcurrentJobs(),
                d.getRetryAttempts(), d.getRetryDelayMinutes(), d.getEnabled(), d.getSkipIfRunning(), d.getChangedBy(),
                null, d.getOccurredAt().toString());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
