package io.migratekit.discovery;

import io.migratekit.events.ReplicationRequested;
import io.migratekit.platform.EventLog;
import io.migratekit.platform.EventPublisher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 * Answers a batch of replication requests: discovers requests with the same target in shared VMA
 * calls ({@link DiscoveryCall#plan}, at most {@code maxNamesPerCall} VM names each), runs the calls
 * concurrently (bounded by the shared {@link InFlightLimit} across all batches, one slot per call,
 * so a slow VMA call only ever holds its own slot until its deadline), publishes each outcome as
 * soon as it is ready, and returns only when the broker has acknowledged every outcome — the caller
 * may then commit the batch's offsets (at-least-once). A request no call can serve (no vCenter, no
 * login) is answered at once, without a slot. Outcomes of one VM are sent in the order of its
 * requests. Counts and logs each answered request. Does not read Kafka and does not decide (see
 * {@link Discoverer}).
 *
 * <p>When a shared call fails in a way one of its VMs may have caused, the {@link Discoverer}
 * hands back a retry per name: each is a call of its own with a slot of its own, taken on the
 * listener thread like every other slot (before the calls of the batch not yet made), after the
 * shared call gave its slot back — no slot is ever held while waiting for another. Such a request
 * is answered after up to two deadlines (its shared call's, then its own), plus the wait for a
 * slot.
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
    private final int maxNamesPerCall;

    /**
     * @param executor        where outcomes are sent from (not the HTTP client's threads)
     * @param limit           the bound on VMA calls running at once
     * @param publishTimeout  how long, after the last call's deadline, the broker may take to
     *                        acknowledge the outcomes
     * @param maxNamesPerCall the most VM names one VMA call asks for
     */
    public BatchDiscovery(Discoverer discoverer, EventPublisher publisher, Executor executor, InFlightLimit limit,
            DiscoveryMetrics metrics, Duration publishTimeout, int maxNamesPerCall) {
        if (maxNamesPerCall < 1) {
            throw new IllegalArgumentException("a VMA call must ask for at least 1 name, not " + maxNamesPerCall);
        }
        this.discoverer = discoverer;
        this.publisher = publisher;
        this.executor = executor;
        this.limit = limit;
        this.metrics = metrics;
        this.publishTimeout = publishTimeout;
        this.maxNamesPerCall = maxNamesPerCall;
    }

    /**
     * Answers every request with exactly one published and acknowledged outcome.
     *
     * @throws OutcomeNotPublishedException naming the first request whose outcome is not acknowledged
     *                                      (the outcomes of the others may or may not have been sent)
     * @throws InterruptedException         when the thread is interrupted while waiting for a slot or an ack
     */
    public void answer(List<ReplicationRequested> requests) throws InterruptedException {
        List<CompletableFuture<DiscoveryOutcome>> outcomes = new ArrayList<>(requests.size());
        List<DiscoveryCall.Member> toAsk = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            CompletableFuture<DiscoveryOutcome> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            try {
                Discoverer.Prepared prepared = discoverer.prepare(i, requests.get(i));
                if (prepared instanceof Discoverer.Ready ready) {
                    toAsk.add(ready.member());
                } else {
                    outcome.complete(((Discoverer.Refused) prepared).outcome());
                }
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }
        // Every send is chained before the first call, so no outcome waits for a later call's slot.
        List<CompletableFuture<DiscoveryOutcome>> acknowledged = sendInOrder(requests, outcomes);
        CallsToMake calls = new CallsToMake();
        for (DiscoveryCall call : DiscoveryCall.plan(toAsk, maxNamesPerCall)) {
            calls.plan(() -> answerShared(call, outcomes, calls));
        }
        // The call is picked once its slot is taken: a retry queued meanwhile goes first.
        while (calls.awaitAny()) {
            limit.acquire();
            calls.next().run();
        }
        awaitAll(requests, acknowledged);
    }

    /** Makes the shared call (its slot taken); on its answer gives the slot back, answers or retries its members. */
    private void answerShared(DiscoveryCall call, List<CompletableFuture<DiscoveryOutcome>> outcomes,
            CallsToMake calls) {
        calls.made();
        CompletableFuture<Discoverer.Answer> answered;
        try {
            answered = discoverer.discover(call);
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        answered.whenComplete((answer, failure) -> {
            limit.release();
            List<Runnable> retries = List.of();
            try {
                if (answer instanceof Discoverer.Isolated isolated) {
                    retries = isolated.retries().stream()
                            .map(retry -> (Runnable) () -> answerAlone(retry, outcomes)).toList();
                } else {
                    complete(call, failure == null ? ((Discoverer.Answered) answer).outcomes() : null, failure,
                            outcomes);
                }
            } finally {
                // The listener thread waits for this before it can know that no call is left to make.
                calls.answered(retries);
            }
        });
    }

    /** Makes the retry's call of one name (its slot taken); gives the slot back on its answer. */
    private void answerAlone(Discoverer.Retry retry, List<CompletableFuture<DiscoveryOutcome>> outcomes) {
        CompletableFuture<List<DiscoveryOutcome>> answered;
        try {
            answered = discoverer.retry(retry);
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        answered.whenComplete((answers, failure) -> {
            limit.release();
            complete(retry.call(), answers, failure, outcomes);
        });
    }

    private static void complete(DiscoveryCall call, List<DiscoveryOutcome> answers, Throwable failure,
            List<CompletableFuture<DiscoveryOutcome>> outcomes) {
        for (int k = 0; k < call.members().size(); k++) {
            CompletableFuture<DiscoveryOutcome> outcome = outcomes.get(call.members().get(k).index());
            if (failure != null) {
                outcome.completeExceptionally(failure);
            } else {
                outcome.complete(answers.get(k));
            }
        }
    }

    /** Sends each outcome once it is ready and its VM's previous send was issued; completes on the ack. */
    private List<CompletableFuture<DiscoveryOutcome>> sendInOrder(List<ReplicationRequested> requests,
            List<CompletableFuture<DiscoveryOutcome>> outcomes) {
        List<CompletableFuture<DiscoveryOutcome>> acknowledged = new ArrayList<>(requests.size());
        Map<String, CompletableFuture<?>> lastSendOfVm = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            String vm = requests.get(i).getVmwareVmId();
            CompletableFuture<?> before = lastSendOfVm.getOrDefault(vm, NOTHING_BEFORE);
            CompletableFuture<CompletableFuture<DiscoveryOutcome>> sent = before.handle((r, e) -> null)
                    .thenCombineAsync(outcomes.get(i), (ignored, o) -> o.publish(publisher).thenApply(r -> o),
                            executor);
            lastSendOfVm.put(vm, sent);
            acknowledged.add(sent.thenCompose(ack -> ack));
        }
        return acknowledged;
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

    /**
     * The VMA calls of one batch still to be made, each as the action that makes it once its slot
     * is taken, handed to the listener thread one by one: the retries of failed shared calls first,
     * then the planned calls. Knows when none can come any more: every planned call made and
     * answered, every retry handed out.
     */
    private static final class CallsToMake {
        private final Deque<Runnable> planned = new ArrayDeque<>();
        private final Deque<Runnable> retries = new ArrayDeque<>();
        private int unanswered;

        synchronized void plan(Runnable call) {
            planned.addLast(call);
        }

        /** Whether a call is left to make, waiting while none is queued but a call made may still add retries. */
        synchronized boolean awaitAny() throws InterruptedException {
            while (retries.isEmpty() && planned.isEmpty() && unanswered > 0) {
                wait();
            }
            return !retries.isEmpty() || !planned.isEmpty();
        }

        /** The next call to make (only after {@link #awaitAny} said there is one: only the listener thread takes). */
        synchronized Runnable next() {
            return retries.isEmpty() ? planned.removeFirst() : retries.removeFirst();
        }

        /** A call that may add retries was made. */
        synchronized void made() {
            unanswered++;
        }

        /** A call made was answered, with these retries to make. */
        synchronized void answered(List<Runnable> toRetry) {
            retries.addAll(toRetry);
            unanswered--;
            notifyAll();
        }
    }
}
