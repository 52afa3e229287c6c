package io.migratekit.discovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The service's meters: {@value #LATENCY} (time to discover a request, by outcome: from the start
 * of its first VMA call to the answer that served it, so up to two deadlines and the wait for a
 * slot when its shared call failed and it was asked again alone),
 * {@value #OUTCOMES} (requests answered, by outcome: {@code DISCOVERED} or the failure reason) and
 * {@value #IN_FLIGHT} (discoveries running now). Owns the meter names and tags only.
 */
public class DiscoveryMetrics {

    public static final String LATENCY = "migratekit.discovery.latency";
    public static final String OUTCOMES = "migratekit.discovery.outcomes";
    public static final String IN_FLIGHT = "migratekit.discovery.in.flight";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> latencies = new ConcurrentHashMap<>();

    public DiscoveryMetrics(MeterRegistry registry, Supplier<Number> inFlight) {
        this.registry = registry;
        Gauge.builder(IN_FLIGHT, inFlight, s -> s.get().doubleValue())
                .description("VMA discoveries running now")
                .strongReference(true)
                .register(registry);
    }

    /** Counts one answered request and, when the VMA was asked, the time it took. */
    public void record(DiscoveryOutcome outcome) {
        String label = outcome.label();
        outcomes.computeIfAbsent(label, l -> Counter.builder(OUTCOMES)
                .description("Replication requests answered by discovery, by outcome")
                .tag("outcome", l).register(registry)).increment();
        if (!outcome.vmaTime().isZero()) {
            latencies.computeIfAbsent(label, l -> Timer.builder(LATENCY)
                    .description("Time of one fresh VMA discovery, from the request's first VMA call to the"
                            + " answer or deadline of the call that served it")
                    .tag("outcome", l).publishPercentileHistogram().register(registry)).record(outcome.vmaTime());
        }
    }
}
