package io.migratekit.intake.failover;

import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverRejected;
import io.migratekit.intake.events.TopicListener;
import io.migratekit.intake.events.WatchedVms;
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
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The answers to failover requests: a {@link TopicListener} of {@code FailoverAccepted} and
 * {@code FailoverRejected}, handing each to the request waiting for its correlation id (the
 * failover id). Like the replication client's outcome listener: positioned before {@link #start}
 * returns, so no answer to a request sent afterwards is missed, and only the records keyed by the
 * VM of a waiting request are decoded. Owns the map of waiting requests and their VMs.
 */
public final class FailoverOutcomes extends TopicListener {

    static final List<Topic<?>> TOPICS = List.of(Topics.FAILOVER_ACCEPTED, Topics.FAILOVER_REJECTED);

    private final ConcurrentMap<String, CompletableFuture<Optional<SpecificRecord>>> waiting = new ConcurrentHashMap<>();
    private final WatchedVms awaitedVms = new WatchedVms();

    private FailoverOutcomes(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration startTimeout) {
        super(kafkaProperties, bootstrapServers, clientId, registry, startTimeout, TOPICS,
                "the failover outcome topics");
    }

    /** Not started: tests hand records to it themselves. */
    FailoverOutcomes(Consumer<String, byte[]> consumer, Deserializer<Object> deserializer) {
        super(consumer, deserializer, "failover-outcomes", Duration.ofSeconds(1), TOPICS,
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
     * Starts waiting for the answer to {@code failoverId}, a failover of the VM {@code vmwareVmId}
     * (the key of its answer); the future completes empty after {@code wait}. Must be called before
     * the request is published: only the answers of VMs waited for at the time they are read are
     * decoded, and the answer cannot be written before its request.
     */
    public CompletableFuture<Optional<SpecificRecord>> await(String failoverId, String vmwareVmId, Duration wait) {
        CompletableFuture<Optional<SpecificRecord>> future = new CompletableFuture<>();
        // The VM is watched before the wait can be completed, and until the wait has ended however it ends.
        awaitedVms.watch(vmwareVmId);
        if (waiting.putIfAbsent(failoverId, future) != null) {
            awaitedVms.unwatch(vmwareVmId);
            throw new IllegalArgumentException("failover " + failoverId + " is already waiting for its answer");
        }
        future.whenComplete((answer, error) -> {
            waiting.remove(failoverId, future);
            awaitedVms.unwatch(vmwareVmId);
        });
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

    /** VMs with at least one waiting request. */
    int awaitedVmCount() {
        return awaitedVms.size();
    }

    /** Only the answers keyed by a VM a request waits for (a record without a key cannot be placed, so it is read). */
    @Override
    protected boolean wanted(String topic, String key) {
        return key == null || awaitedVms.watched(key);
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
