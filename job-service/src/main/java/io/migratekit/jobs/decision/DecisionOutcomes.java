package io.migratekit.jobs.decision;

/**
 * Told of every decision the {@value VmContextTopology#DECIDER} processor applied: which input event
 * it was and the decider's one-word outcome ({@code context_and_job_created}, {@code context_created},
 * {@code job_created}, {@code rejected_<reason>}, {@code duplicate_request}, {@code volumes_recorded},
 * ...). The processor reports, the implementation counts; the decider itself knows nothing of it.
 */
@FunctionalInterface
public interface DecisionOutcomes {

    /** Reports nothing, for tests that do not look at outcomes. */
    DecisionOutcomes NONE = (eventType, outcome) -> { };

    void decided(String eventType, String outcome);
}
