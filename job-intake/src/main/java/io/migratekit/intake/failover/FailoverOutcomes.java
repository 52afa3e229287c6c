package io.migratekit.intake.failover;

import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverRejected;
import io.migratekit.intake.events.TopicListener;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;

/**
 * The answers to failover requests: a {@link TopicListener} of {@code FailoverAccepted} and
 * {@code FailoverRejected}, handing each to the request waiting for its correlation id (the
 * failover id). Like the replication client's outcome listener: positioned before {@link #start}
 * returns, so no answer to a request sent afterwards is missed. Owns the map of waiting requests.
 */
public final class FailoverOutcomes extends TopicListener {

    static final List<Topic<?>> TOPICS = List.of(Topics.FAILOVER_ACCEPTED, Topics.FAILOVER_REJECTED);

    private final ConcurrentMap<String, CompletableFuture<Optional<SpecificRecord>>> waiting = new ConcurrentHashMap<>();

    private FailoverOutcomes(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration startTimeout) {
        super(kafkaProperties, bootstrapServers, clientId, registry, startTimeout, TOPICS,
                "the failover outcome topics");
    }

    /**
     * Starts listening and returns once every partition is positioned at its end.
     *
     * @param kafkaProperties extra client settings (security); group and offsets are the listener's own
     */
    public static FailoverOutcomes start(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration startTimeout) {
        FailoverOutcomes outcomes = new FailoverOutcomes(kafkaProperties, bootstrapServers, clientId, registry,
                startTimeout);
        outcomes.startListening();
        return outcomes;
    }

    /**
     * Starts waiting for the answer to {@code failoverId} (before its request is published); the
     * future completes empty after {@code wait}.
     */
    public CompletableFuture<Optional<SpecificRecord>> await(String failoverId, Duration wait) {
        CompletableFuture<Optional<SpecificRecord>> future = new CompletableFuture<>();
        if (waiting.putIfAbsent(failoverId, future) != null) {
            throw new IllegalArgumentException("failover " + failoverId + " is already waiting for its answer");
        }
        future.whenComplete((answer, error) -> waiting.remove(failoverId, future));
        future.completeOnTimeout(Optional.empty(), Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        return future;
    }

    /** Stops waiting for a request that was not published. */
    public void forget(String failoverId) {
        CompletableFuture<Optional<SpecificRecord>> future = waiting.remove(failoverId);
        if (future != null) {
            future.complete(Optional.empty());
        }
    }

    public int waitingCount() {
        return waiting.size();
    }

    @Override
    protected void handle(Object event) {
        String failoverId = event instanceof FailoverAccepted accepted ? accepted.getFailoverId()
                : event instanceof FailoverRejected rejected ? rejected.getFailoverId() : null;
        CompletableFuture<Optional<SpecificRecord>> future = failoverId == null ? null : waiting.get(failoverId);
        if (future != null) {
            future.complete(Optional.of((SpecificRecord) event));
        }
    }

    /** Stops the thread and ends every wait with "no answer yet". Idempotent. */
    @Override
    public void close() {
        super.close();
        waiting.keySet().forEach(this::forget);
    }
}
