package io.migratekit.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts how replication requests ended at the API ({@code migratekit.intake.replication.outcomes},
 * tag {@code outcome}) and how failover requests did ({@code migratekit.intake.failover.outcomes}).
 * Requests by HTTP status come from Spring's own {@code http.server.requests}.
 */
public class IntakeMetrics {

    public static final String OUTCOMES = "migratekit.intake.replication.outcomes";
    public static final String FAILOVER_OUTCOMES = "migratekit.intake.failover.outcomes";

    private final MeterRegistry registry;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void outcome(String outcome) {
        Counter.builder(OUTCOMES).description("Replication requests by how the API answered them")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void failoverOutcome(String outcome) {
        Counter.builder(FAILOVER_OUTCOMES).description("Failover requests by how the API answered them")
                .tag("outcome", outcome).register(registry).increment();
    }
}
