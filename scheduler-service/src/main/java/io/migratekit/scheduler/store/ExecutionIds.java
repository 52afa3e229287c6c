package io.migratekit.scheduler.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The deterministic ids of the scheduler: an execution's from its schedule and due time (or from the
 * trigger request), a replication request's from its execution, VM and attempt. Whoever computes
 * them again — another instance, or this one after a restart — gets the same id, so a second claim
 * collides and a second publish is the decision's duplicate.
 */
public final class ExecutionIds {

    /** {@code triggered_by} of a cron execution. */
    public static final String SCHEDULER = "scheduler";

    private ExecutionIds() {
    }

    public static String scheduled(String scheduleId, Instant dueAt) {
        return "exec-" + scheduleId + "-" + dueAt.toEpochMilli();
    }

    public static String manual(String triggerRequestId) {
        return "exec-manual-" + triggerRequestId;
    }

    public static String request(String executionId, String vmwareVmId, int attempt) {
        return UUID.nameUUIDFromBytes((executionId + "|" + vmwareVmId + "|" + attempt).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
