package io.migratekit.discovery;

import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmDiscovered;
import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.support.SendResult;

/**
 * The one outcome of one replication request: either {@link VmDiscovered} or {@link DiscoveryFailed},
 * keyed by the request's VM id, with how long its discovery took. Owns the choice of topic; not the
 * decision (that is {@link DiscoveryRules} / {@link DiscoveryFailures}).
 *
 * @param request    the request answered
 * @param discovered the fact when the VM was found, else null
 * @param failed     the fact when it was not, else null
 * @param vmaTime    time from the start of the request's first VMA call to the answer (or deadline) of the
 *                   call that served it — a shared call, or the call of its own after a failed shared
 *                   call (see {@link Discoverer}) — also its {@code discovery_ms}; zero when the VMA was
 *                   not called
 */
public record DiscoveryOutcome(ReplicationRequested request, VmDiscovered discovered, DiscoveryFailed failed,
        Duration vmaTime) {

    /** The metric and log label of a successful discovery. */
    public static final String DISCOVERED = "DISCOVERED";

    public DiscoveryOutcome {
        if ((discovered == null) == (failed == null)) {
            throw new IllegalArgumentException("an outcome is either discovered or failed");
        }
    }

    public String key() {
        return request.getVmwareVmId();
    }

    public SpecificRecord event() {
        return discovered != null ? discovered : failed;
    }

    /** {@value #DISCOVERED}, or the failure reason's name. */
    public String label() {
        return discovered != null ? DISCOVERED : failed.getReason().name();
    }

    /** Sends the event; the future completes when the broker acknowledged it. */
    public CompletableFuture<SendResult<String, SpecificRecord>> publish(EventPublisher publisher) {
        return discovered != null
                ? publisher.publish(Topics.VM_DISCOVERED, key(), discovered)
                : publisher.publish(Topics.DISCOVERY_FAILED, key(), failed);
    }
}
