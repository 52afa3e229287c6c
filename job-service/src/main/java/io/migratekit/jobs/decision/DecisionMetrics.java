package io.migratekit.jobs.decision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the decisions by outcome as the Micrometer counter {@value #DECISIONS} (Prometheus
 * {@code migratekit_decisions_total}) tagged {@code event} (the input event's type) and
 * {@code outcome} (the decider's outcome, a rejection with its reason). It counts decisions applied
 * by a stream task: a task whose transaction is aborted and retried counts its records again. Owns the
 * counters only; what the outcomes are is the decider's.
 */
public final class DecisionMetrics implements DecisionOutcomes {

    public static final String DECISIONS = "migratekit.decisions";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public DecisionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void decided(String eventType, String outcome) {
        counters.computeIfAbsent(eventType + '/' + outcome, key -> Counter.builder(DECISIONS)
                .description("Decisions on input events by event type and outcome")
                .tag("event", eventType).tag("outcome", outcome)
                .register(registry)).increment();
    }
}
