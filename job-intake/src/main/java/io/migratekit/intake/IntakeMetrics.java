package io.migratekit.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts how replication requests ended at the API ({@code migratekit.intake.replication.outcomes},
 * tag {@code outcome}). Requests by HTTP status come from Spring's own {@code http.server.requests}.
 */
public class IntakeMetrics {

    public static final String OUTCOMES = "migratekit.intake.replication.outcomes";

    private final MeterRegistry registry;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void outcome(String outcome) {
        Counter.builder(OUTCOMES).description("Replication requests by how the API answered them")
                .tag("outcome", outcome).register(registry).increment();
    }
}
