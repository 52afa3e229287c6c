package io.migratekit.failover;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverType;
import io.migratekit.events.StepStatus;
import java.time.Duration;

/**
 * The failover meters: how failovers ended ({@value #OUTCOMES}, tags {@code type}, {@code outcome}),
 * how long each step took ({@value #STEP_DURATION}, tags {@code step}, {@code status}), and the
 * reaction delay from the final sync's {@code JobCompleted} to the target VM step starting
 * ({@value #FINAL_SYNC_REACTION}, with its median and 99th percentile).
 */
public class FailoverMetrics {

    public static final String OUTCOMES = "migratekit.failover.outcomes";
    public static final String STEP_DURATION = "migratekit.failover.step.duration";
    public static final String FINAL_SYNC_REACTION = "migratekit.failover.final_sync.reaction";

    private final MeterRegistry registry;
    private final Timer reaction;

    public FailoverMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reaction = Timer.builder(FINAL_SYNC_REACTION)
                .description("From the final sync's JobCompleted to the next failover step starting")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    public void outcome(FailoverType type, String outcome) {
        Counter.builder(OUTCOMES).description("Failovers by how they ended")
                .tag("type", type.name()).tag("outcome", outcome).register(registry).increment();
    }

    public void step(FailoverStep step, StepStatus status, Duration duration) {
        Timer.builder(STEP_DURATION).description("How long a failover step took")
                .tag("step", step.name()).tag("status", status.name()).register(registry)
                .record(duration.isNegative() ? Duration.ZERO : duration);
    }

    public void finalSyncReaction(Duration delay) {
        reaction.record(delay.isNegative() ? Duration.ZERO : delay);
    }

    /** The reaction delays recorded so far. */
    public Timer finalSyncReaction() {
        return reaction;
    }
}
