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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Performs the fresh discovery of one replication request: picks the vCenter login from
 * configuration, asks the VMA with the request's VM name as filter under a hard deadline, and
 * turns the answer (or its failure) into the request's one {@link DiscoveryOutcome}. Never blocks
 * the caller. Does not publish, and does not decide anything about contexts or jobs.
 */
public class Discoverer {

    private final VmaClient vma;
    private final VcenterCredentials credentials;
    private final Duration deadline;
    private final Executor executor;
    private final Clock clock;

    /**
     * @param deadline the longest a VMA discovery may take (the seed's 15 s)
     * @param executor where answers are judged and mapped (not the HTTP client's or the timer's thread)
     */
    public Discoverer(VmaClient vma, VcenterCredentials credentials, Duration deadline, Executor executor,
            Clock clock) {
        this.vma = vma;
        this.credentials = credentials;
        this.deadline = deadline;
        this.executor = executor;
        this.clock = clock;
    }

    public Duration deadline() {
        return deadline;
    }

    /**
     * Completes with the outcome of the request, at the latest shortly after the deadline: the VM, or
     * why not (a failure of the VMA by its kind, anything unexpected as {@code UNKNOWN}).
     */
    public CompletableFuture<DiscoveryOutcome> discover(ReplicationRequested request) {
        DiscoveryTarget target = DiscoveryTarget.of(request.getRequest());
        if (target.vcenterHost() == null) {
            return CompletableFuture.completedFuture(
                    failed(request, DiscoveryFailures.noVcenterHost(target), Duration.ZERO));
        }
        Optional<VcenterCredentials.Login> configured = credentials.forHost(target.vcenterHost());
        if (configured.isEmpty()) {
            return CompletableFuture.completedFuture(
                    failed(request, DiscoveryFailures.noCredentials(target), Duration.ZERO));
        }
        // The fallback login carries no host: the VMA must be told the vCenter the request names.
        VcenterCredentials.Login login = new VcenterCredentials.Login(target.vcenterHost(),
                configured.get().username(), configured.get().password());
        long started = System.nanoTime();
        CompletableFuture<VmaDtos.DiscoverResponse> call;
        try {
            call = vma.discover(login, target.datacenter(), target.vmName(), deadline);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS).handleAsync((response, failure) -> {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Verdict verdict;
            try {
                verdict = failure == null ? DiscoveryRules.judge(response, target)
                        : DiscoveryFailures.classify(failure, target, deadline, login);
            } catch (RuntimeException e) {
                verdict = DiscoveryFailures.classify(e, target, deadline, login);
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
        }, executor);
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
