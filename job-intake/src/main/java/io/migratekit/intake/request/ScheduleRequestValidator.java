package io.migratekit.intake.request;

import io.migratekit.intake.api.ApiProblem;
import io.migratekit.intake.request.ScheduleBodies.GroupBody;
import io.migratekit.intake.request.ScheduleBodies.MembersBody;
import io.migratekit.intake.request.ScheduleBodies.ScheduleBody;
import io.migratekit.platform.schedule.InvalidScheduleException;
import io.migratekit.platform.schedule.ScheduleCron;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The rules of the schedule and machine-group bodies, before anything is published: a JSON object
 * whose fields have the right types, lengths and ranges, a cron expression of 5 or 6 fields that
 * parses, a known IANA time zone, a known replication type — else 400 naming the field. Plain Java,
 * no I/O: whether names are free and referenced ids exist is the controller's (it reads the tables).
 */
public final class ScheduleRequestValidator {

    static final int NAME_LENGTH = 255;
    static final int DESCRIPTION_LENGTH = 1000;
    static final int ID_LENGTH = 64;
    static final int MAX_VMS_PER_CALL = 1000;

    /** A schedule's body; {@code create}: name and cron_expression are required. */
    public ScheduleBody schedule(byte[] body, boolean create) {
        JsonFields f = JsonFields.of(JsonBodies.parse(body), "", "the request body");
        String name = f.nonBlankString("name", NAME_LENGTH);
        String description = f.optionalString("description", DESCRIPTION_LENGTH);
        String cron = f.nonBlankString("cron_expression", 255);
        String timezone = f.nonBlankString("timezone", 64);
        String type = f.optionalString("replication_type", 16);
        Integer maxJobs = f.optionalInt("max_concurrent_jobs", 1, 100);
        Integer retries = f.optionalInt("retry_attempts", 0, 10);
        Integer retryDelay = f.optionalInt("retry_delay_minutes", 1, 1440);
        Boolean enabled = f.optionalBoolean("enabled");
        Boolean skipIfRunning = f.optionalBoolean("skip_if_running");
        if (create && name == null) {
            throw ApiProblem.invalidPayload("name is required");
        }
        if (create && cron == null) {
            throw ApiProblem.invalidPayload("cron_expression is required");
        }
        try {
            if (cron != null) {
                ScheduleCron.parse(cron);
            }
            if (timezone != null) {
                ScheduleCron.zone(timezone);
            }
        } catch (InvalidScheduleException e) {
            throw ApiProblem.invalidPayload(e.getMessage());
        }
        if (type != null && !List.of("auto", "initial", "incremental").contains(type)) {
            throw ApiProblem.invalidPayload("replication_type must be one of: auto, initial, incremental");
        }
        return new ScheduleBody(name, description, cron, timezone, type, maxJobs, retries, retryDelay, enabled,
                skipIfRunning);
    }

    /** A group's body; {@code create}: name is required. */
    public GroupBody group(byte[] body, boolean create) {
        JsonNode json = JsonBodies.parse(body);
        JsonFields f = JsonFields.of(json, "", "the request body");
        String name = f.nonBlankString("name", NAME_LENGTH);
        String description = f.optionalString("description", DESCRIPTION_LENGTH);
        String scheduleId = f.nonBlankString("schedule_id", ID_LENGTH);
        boolean clearSchedule = json.has("schedule_id") && json.get("schedule_id").isNull();
        Integer maxVms = f.optionalInt("max_concurrent_vms", 1, 100);
        Integer priority = f.optionalInt("priority", 0, 100);
        if (create && name == null) {
            throw ApiProblem.invalidPayload("name is required");
        }
        return new GroupBody(name, description, scheduleId, clearSchedule, maxVms, priority);
    }

    /** The VMs to add to a group: {@code vm_context_ids} (1 to 1000 distinct ids), optional {@code enabled} and {@code priority}. */
    public MembersBody members(byte[] body) {
        JsonNode json = JsonBodies.parse(body);
        JsonFields f = JsonFields.of(json, "", "the request body");
        JsonNode ids = f.raw("vm_context_ids");
        if (ids == null) {
            throw ApiProblem.invalidPayload("vm_context_ids is required");
        }
        if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_VMS_PER_CALL) {
            throw ApiProblem.invalidPayload("vm_context_ids must be an array of 1 to " + MAX_VMS_PER_CALL + " strings");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isString() || id.asString().isBlank() || id.asString().length() > 160) {
                throw ApiProblem.invalidPayload("vm_context_ids[" + i + "] must be a context id (1 to 160 characters)");
            }
            distinct.add(id.asString());
        }
        Boolean enabled = f.optionalBoolean("enabled");
        Integer priority = f.optionalInt("priority", 0, 100);
        return new MembersBody(new ArrayList<>(distinct), enabled == null || enabled, priority == null ? 50 : priority);
    }

    /** {@code {"enabled": true|false}}. */
    public boolean enabled(byte[] body) {
        Boolean enabled = JsonFields.of(JsonBodies.parse(body), "", "the request body").optionalBoolean("enabled");
        if (enabled == null) {
            throw ApiProblem.invalidPayload("enabled is required");
        }
        return enabled;
    }

    /** {@code {"reason": "..."}}, optional; an empty body is no reason. */
    public String reason(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        return JsonFields.of(JsonBodies.parse(body), "", "the request body").optionalString("reason",
                DESCRIPTION_LENGTH);
    }

    /** {@code {"group_id": "..."|null}}: the group a VM context goes to, null to take it out of its group. */
    public String groupOf(byte[] body) {
        JsonNode json = JsonBodies.parse(body);
        JsonFields f = JsonFields.of(json, "", "the request body");
        if (!json.has("group_id")) {
            throw ApiProblem.invalidPayload("group_id is required (null takes the VM out of its group)");
        }
        return f.nonBlankString("group_id", ID_LENGTH);
    }
}
