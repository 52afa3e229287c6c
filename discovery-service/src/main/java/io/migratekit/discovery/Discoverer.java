package io.migratekit.discovery;

import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmDiscovered;
import io.migratekit.schemas.EventIds;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import io.migratekit.vma.VmaDtos;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Performs the fresh discoveries of replication requests: picks each request's vCenter login from
 * configuration ({@link #prepare}), asks the VMA once per {@link DiscoveryCall} under a hard
 * deadline with the call's VM names as filter, and turns the shared answer (or its failure) into
 * each member's one {@link DiscoveryOutcome}, judged as if the request had been asked alone.
 *
 * <p>A fault of one VM (the VMA answering 500 or half a JSON body because of that VM's data, or
 * being slow on it) must not fail the other requests of its call: when a call of more than one
 * name fails, its members are not judged by that failure but handed back as one {@link Retry} per
 * name ({@link Isolated}), each to be asked again in a call of its own ({@link #retry}) under the
 * normal deadline and judged by that call alone. Only a failure that cannot depend on the names
 * ({@link DiscoveryFailures#sameForEveryName}: the VMA not reached, the login refused) fails every
 * member at once. A request can so take up to two deadlines (its shared call's and its own), plus
 * the wait for its own call's slot; its outcome's time (and {@code discovery_ms}) is the whole
 * time from the start of its first call to the answer that served it.
 *
 * <p>Never blocks the caller. Does not group requests into calls, does not hold in-flight slots
 * (see {@link BatchDiscovery}), does not publish, and does not decide anything about contexts or
 * jobs.
 */
public class Discoverer {

    /** What {@link #prepare} made of a request. */
    public sealed interface Prepared permits Ready, Refused {
    }

    /** The request needs a VMA call: its place in one. */
    public record Ready(DiscoveryCall.Member member) implements Prepared {
    }

    /** No call can be made for the request (no vCenter host, no login): its outcome, at once. */
    public record Refused(DiscoveryOutcome outcome) implements Prepared {
    }

    /** What a call ({@link #discover}) gave its members. */
    public sealed interface Answer permits Answered, Isolated {
    }

    /** The outcome of every member of the call, in the call's order. */
    public record Answered(List<DiscoveryOutcome> outcomes) implements Answer {
    }

    /** The shared call failed in a way one of its VMs may have caused: each name is to be asked again alone. */
    public record Isolated(List<Retry> retries) implements Answer {
    }

    /**
     * A call of one name whose members' shared call failed, to be made again ({@link #retry}).
     *
     * @param call         the members asking for the name, in the shared call's order
     * @param firstStarted when their shared call started, on this discoverer's ticker
     */
    public record Retry(DiscoveryCall call, long firstStarted) {
    }

    private final VmaClient vma;
    private final VcenterCredentials credentials;
    private final Duration deadline;
    private final Executor executor;
    private final Clock clock;
    private final LongSupplier ticker;

    /**
     * @param deadline the longest a VMA discovery call may take (the seed's 15 s)
     * @param executor where answers are judged and mapped (not the HTTP client's or the timer's thread)
     */
    public Discoverer(VmaClient vma, VcenterCredentials credentials, Duration deadline, Executor executor,
            Clock clock) {
        this(vma, credentials, deadline, executor, clock, System::nanoTime);
    }

    /** @param ticker nanoseconds of a monotonic clock, for the time a discovery took */
    Discoverer(VmaClient vma, VcenterCredentials credentials, Duration deadline, Executor executor, Clock clock,
            LongSupplier ticker) {
        this.vma = vma;
        this.credentials = credentials;
        this.deadline = deadline;
        this.executor = executor;
        this.clock = clock;
        this.ticker = ticker;
    }

    public Duration deadline() {
        return deadline;
    }

    /**
     * Where and with which login the request is to be discovered, or its failure when the request
     * names no vCenter or no login is configured for it.
     *
     * @param index the request's position in its batch
     */
    public Prepared prepare(int index, ReplicationRequested request) {
        DiscoveryTarget target = DiscoveryTarget.of(request.getRequest());
        if (target.vcenterHost() == null) {
            return new Refused(failed(request, DiscoveryFailures.noVcenterHost(target), Duration.ZERO));
        }
        Optional<VcenterCredentials.Login> configured = credentials.forHost(target.vcenterHost());
        if (configured.isEmpty()) {
            return new Refused(failed(request, DiscoveryFailures.noCredentials(target), Duration.ZERO));
        }
        // The fallback login carries no host: the VMA must be told the vCenter the request names.
        VcenterCredentials.Login login = new VcenterCredentials.Login(target.vcenterHost(),
                configured.get().username(), configured.get().password());
        return new Ready(new DiscoveryCall.Member(index, request, target, login));
    }

    /**
     * Completes, at the latest shortly after the deadline, with the outcome of every member of the
     * call, in the call's order: each its VM, or why not (a failure of the call classified for each
     * member by its kind; anything unexpected as {@code UNKNOWN}); every outcome carries the time of
     * the call. Except when a call of more than one name fails in a way one VM may have caused (an
     * HTTP error, an unreadable answer, no answer within the deadline, anything unexpected): then
     * it completes with one {@link Retry} per name instead, and judges no member.
     */
    public CompletableFuture<Answer> discover(DiscoveryCall call) {
        long started = ticker.getAsLong();
        return ask(call).handleAsync((response, failure) -> {
            if (failure != null && call.names().size() > 1 && !DiscoveryFailures.sameForEveryName(failure)) {
                return new Isolated(call.perName().stream().map(alone -> new Retry(alone, started)).toList());
            }
            return new Answered(outcomes(call, response, failure, started));
        }, executor);
    }

    /**
     * Asks the retry's one name again and completes, at the latest shortly after the deadline, with
     * the outcome of each of its members, judged by this call alone; each outcome carries the time
     * since the members' first (shared) call started.
     */
    public CompletableFuture<List<DiscoveryOutcome>> retry(Retry retry) {
        return ask(retry.call()).handleAsync(
                (response, failure) -> outcomes(retry.call(), response, failure, retry.firstStarted()), executor);
    }

    /** The VMA's answer to the call, failed with a {@code TimeoutException} when it is not there by the deadline. */
    private CompletableFuture<VmaDtos.DiscoverResponse> ask(DiscoveryCall call) {
        CompletableFuture<VmaDtos.DiscoverResponse> answer;
        try {
            answer = vma.discover(call.login(), call.datacenter(), call.filter(), deadline);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<DiscoveryOutcome> outcomes(DiscoveryCall call, VmaDtos.DiscoverResponse response, Throwable failure,
            long firstStarted) {
        Duration took = Duration.ofNanos(ticker.getAsLong() - firstStarted);
        List<DiscoveryOutcome> outcomes = new ArrayList<>(call.members().size());
        for (DiscoveryCall.Member member : call.members()) {
            outcomes.add(outcome(call, member, response, failure, took));
        }
        return outcomes;
    }

    private DiscoveryOutcome outcome(DiscoveryCall call, DiscoveryCall.Member member,
            VmaDtos.DiscoverResponse response, Throwable failure, Duration took) {
        ReplicationRequested request = member.request();
        DiscoveryTarget target = member.target();
        Verdict verdict;
        try {
            verdict = failure == null ? DiscoveryRules.judge(call.answerFor(response, target), target)
                    : DiscoveryFailures.classify(failure, target, deadline, call.login());
        } catch (RuntimeException e) {
            verdict = DiscoveryFailures.classify(e, target, deadline, call.login());
        }
        if (verdict instanceof Verdict.Found found) {
            return new DiscoveryOutcome(request, VmDiscovered.newBuilder()
                    .setEventId(EventIds.newEventId())
                    .setOccurredAt(now())
                    .setCorrelationId(request.getCorrelationId())
                    .setVmwareVmId(request.getVmwareVmId())
                    .setRequest(request.getRequest())
                    .setVm(found.vm())
                    .setDiscoveryMs(took.toMillis())
                    .build(), null, took);
        }
        return failed(request, (Verdict.Failed) verdict, took);
    }

    private DiscoveryOutcome failed(ReplicationRequested request, Verdict.Failed failure, Duration took) {
        return new DiscoveryOutcome(request, null, DiscoveryFailed.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(now())
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(request.getVmwareVmId())
                .setVmName(request.getRequest().getSourceVm().getName())
                .setReason(failure.reason())
                .setMessage(failure.message())
                .setFailoverId(request.getRequest().getFailoverId())
                .build(), took);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
