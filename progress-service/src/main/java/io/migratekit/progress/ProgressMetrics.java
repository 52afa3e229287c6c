package io.migratekit.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The service's meters: jobs followed (gauge over every stream task of this instance), polls by
 * outcome, poll lag (how late a poll started against its due time), polls in flight, and events
 * emitted by type. Owns the meters only; the processors report into it.
 */
public final class ProgressMetrics {

    public static final String JOBS_FOLLOWED = "migratekit.progress.jobs.followed";
    public static final String POLLS = "migratekit.progress.polls";
    public static final String POLL_LAG = "migratekit.progress.poll.lag";
    public static final String POLLS_IN_FLIGHT = "migratekit.progress.polls.in.flight";
    public static final String EVENTS = "migratekit.progress.events";

    private final MeterRegistry registry;
    private final Map<String, IntSupplier> followedByTask = new ConcurrentHashMap<>();
    private final Map<String, Counter> pollCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> eventCounters = new ConcurrentHashMap<>();
    private final Timer pollLag;

    public ProgressMetrics(MeterRegistry registry, IntSupplier pollsInFlight) {
        this.registry = registry;
        Gauge.builder(JOBS_FOLLOWED, this, ProgressMetrics::jobsFollowed)
                .description("Jobs this instance follows on the VMA").register(registry);
        Gauge.builder(POLLS_IN_FLIGHT, pollsInFlight, IntSupplier::getAsInt)
                .description("VMA progress requests in flight").register(registry);
        this.pollLag = Timer.builder(POLL_LAG)
                .description("How late a poll started against its due time")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
    }

    /** A stream task starts reporting how many jobs it follows. */
    public void taskStarted(String taskId, IntSupplier followed) {
        followedByTask.put(taskId, followed);
    }

    public void taskStopped(String taskId) {
        followedByTask.remove(taskId);
    }

    public int jobsFollowed() {
        int sum = 0;
        for (IntSupplier followed : followedByTask.values()) {
            sum += followed.getAsInt();
        }
        return sum;
    }

    public void pollLag(long millis) {
        pollLag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    public void poll(String outcome) {
        pollCounters.computeIfAbsent(outcome, o -> Counter.builder(POLLS).tag("outcome", o)
                .description("VMA progress polls by outcome").register(registry)).increment();
    }

    public void emitted(String eventType) {
        eventCounters.computeIfAbsent(eventType, t -> Counter.builder(EVENTS).tag("type", t)
                .description("Events emitted by type").register(registry)).increment();
    }

    public Timer pollLagTimer() {
        return pollLag;
    }
}
