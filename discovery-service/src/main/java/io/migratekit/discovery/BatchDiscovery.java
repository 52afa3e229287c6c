package io.migratekit.discovery;

import io.migratekit.events.ReplicationRequested;
import io.migratekit.platform.EventLog;
import io.migratekit.platform.EventPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a batch of replication requests: runs their discoveries concurrently (bounded by the
 * shared {@link InFlightLimit} across all batches, so a slow VMA call only ever holds its
 * own slot until its deadline), publishes each outcome as soon as it is ready, and returns only when
 * the broker has acknowledged every outcome — the caller may then commit the batch's offsets
 * (at-least-once). Outcomes of one VM are sent in the order of its requests. Counts and logs each
 * answered request. Does not read Kafka and does not decide (see {@link Discoverer}).
 */
public class BatchDiscovery {

    private static final Logger log = LoggerFactory.getLogger(BatchDiscovery.class);
    private static final CompletableFuture<Void> NOTHING_BEFORE = CompletableFuture.completedFuture(null);

    private final Discoverer discoverer;
    private final EventPublisher publisher;
    private final Executor executor;
    private final InFlightLimit limit;
    private final DiscoveryMetrics metrics;
    private final Duration publishTimeout;

    /**
     * @param executor       where outcomes are sent from (not the HTTP client's threads)
     * @param limit          the bound on discoveries running at once
     * @param publishTimeout how long, after the last discovery's deadline, the broker may take to
     *                       acknowledge the outcomes
     */
    public BatchDiscovery(Discoverer discoverer, EventPublisher publisher, Executor executor, InFlightLimit limit,
            DiscoveryMetrics metrics, Duration publishTimeout) {
        this.discoverer = discoverer;
        this.publisher = publisher;
        this.executor = executor;
        this.limit = limit;
        this.metrics = metrics;
        this.publishTimeout = publishTimeout;
    }

    /**
     * Answers every request with exactly one published and acknowledged outcome.
     *
     * @throws OutcomeNotPublishedException naming the first request whose outcome is not acknowledged
     *                                      (the outcomes of the others may or may not have been sent)
     * @throws InterruptedException         when the thread is interrupted while waiting for a slot or an ack
     */
    public void answer(List<ReplicationRequested> requests) throws InterruptedException {
        List<CompletableFuture<DiscoveryOutcome>> acknowledged = new ArrayList<>(requests.size());
        Map<String, CompletableFuture<?>> lastSendOfVm = new HashMap<>();
        for (ReplicationRequested request : requests) {
            limit.acquire();
            CompletableFuture<DiscoveryOutcome> outcome;
            try {
                outcome = discoverer.discover(request);
            } catch (RuntimeException e) {
                outcome = CompletableFuture.failedFuture(e);
            }
            outcome.whenComplete((o, e) -> limit.release());
            CompletableFuture<?> before = lastSendOfVm.getOrDefault(request.getVmwareVmId(), NOTHING_BEFORE);
            // The send is issued once this outcome is ready and the VM's previous send was issued.
            CompletableFuture<CompletableFuture<DiscoveryOutcome>> sent = before.handle((r, e) -> null)
                    .thenCombineAsync(outcome, (ignored, o) -> o.publish(publisher).thenApply(r -> o), executor);
            lastSendOfVm.put(request.getVmwareVmId(), sent);
            acknowledged.add(sent.thenCompose(ack -> ack));
        }
        awaitAll(requests, acknowledged);
    }

    private void awaitAll(List<ReplicationRequested> requests, List<CompletableFuture<DiscoveryOutcome>> acknowledged)
            throws InterruptedException {
        long waitUntil = System.nanoTime() + discoverer.deadline().plus(publishTimeout).toNanos();
        OutcomeNotPublishedException first = null;
        for (int i = 0; i < acknowledged.size(); i++) {
            try {
                DiscoveryOutcome outcome = acknowledged.get(i).get(
                        Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
                metrics.record(outcome);
                EventLog.handled(log, outcome.request(), outcome.event().getSchema().getName()
                        + (outcome.failed() == null ? "" : "/" + outcome.label()));
            } catch (ExecutionException | TimeoutException e) {
                if (first == null) {
                    ReplicationRequested request = requests.get(i);
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    first = new OutcomeNotPublishedException(i, "no outcome published for request "
                            + request.getCorrelationId() + " of VM " + request.getVmwareVmId() + ": " + cause, cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
