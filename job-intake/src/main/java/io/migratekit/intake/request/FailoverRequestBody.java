package io.migratekit.intake.request;

import io.migratekit.events.FailoverType;

/**
 * A validated {@code POST /api/v1/failovers} body: the VM (by context id or name, at least one), the
 * failover type, whether a failed live failover powers the source back on (default true), the test
 * network of a test failover, and the final sync's deadline in minutes (default 30). Owns no rule.
 */
public record FailoverRequestBody(
        String contextId,
        String vmName,
        FailoverType failoverType,
        boolean powerOnSourceOnFailure,
        String testNetwork,
        int finalSyncDeadlineMinutes) {
}
