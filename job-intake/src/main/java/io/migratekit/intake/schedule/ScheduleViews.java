package io.migratekit.intake.schedule;

import java.util.List;

/**
 * Schedules, machine groups, memberships and executions as the API shows them (snake_case on the
 * wire, timestamps ISO-8601 UTC), from scheduler-service's tables. Mirrors the columns.
 */
public final class ScheduleViews {

    private ScheduleViews() {
    }

    public record ScheduleView(String id, String name, String description, String cronExpression, String timezone,
            String replicationType, int maxConcurrentJobs, int retryAttempts, int retryDelayMinutes, boolean enabled,
            boolean skipIfRunning, String changedBy, String createdAt, String updatedAt) {
    }

    public record GroupView(String id, String name, String description, String scheduleId, int maxConcurrentVms,
            int priority, int memberCount, String changedBy, String createdAt, String updatedAt) {
    }

    public record MemberView(String vmContextId, String vmwareVmId, String vmName, String groupId, boolean enabled,
            int priority, String addedBy, String addedAt) {
    }

    public record ContextView(String vmContextId, String vmwareVmId, String vmName, String currentStatus) {
    }

    public record ExecutionView(String id, String scheduleId, String status, String skipReason, String triggeredBy,
            String reason, String dueAt, String scheduledAt, String startedAt, String completedAt, int vmsEligible,
            int jobsCreated, int jobsCompleted, int jobsFailed, int jobsSkipped, int queued, List<ExecutionVmView> vms) {
    }

    public record ExecutionVmView(String vmwareVmId, String vmContextId, String groupId, String status, String reason,
            int attempt, String jobId) {
    }

    /** A page of any of them. */
    public record Page<T>(List<T> items, int count, int limit, int offset) {
    }
}
