package io.migratekit.intake.request;

import java.util.List;

/**
 * The validated bodies of the schedule and machine-group routes. A field the client left out is null
 * (the controller fills it from the defaults on create, from the current definition on update).
 */
public final class ScheduleBodies {

    private ScheduleBodies() {
    }

    /** {@code POST /schedules}, {@code PUT /schedules/{id}}. */
    public record ScheduleBody(String name, String description, String cronExpression, String timezone,
            String replicationType, Integer maxConcurrentJobs, Integer retryAttempts, Integer retryDelayMinutes,
            Boolean enabled, Boolean skipIfRunning) {
    }

    /** {@code POST /machine-groups}, {@code PUT /machine-groups/{id}}; {@code clearSchedule}: the body set schedule_id to null. */
    public record GroupBody(String name, String description, String scheduleId, boolean clearSchedule,
            Integer maxConcurrentVms, Integer priority) {
    }

    /** {@code POST /machine-groups/{id}/vms}. */
    public record MembersBody(List<String> vmContextIds, boolean enabled, int priority) {
    }
}
