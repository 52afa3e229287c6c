package io.migratekit.bench;

import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.util.List;

/**
 * Reads the decision's outcome topics and the context changelog from where they end when it starts
 * (a {@link TopicTail}: no consumer group, {@code read_committed} like the services) and hands every
 * event to the {@link RunLedger} of the run in progress. Owns its reader.
 */
final class OutcomeCollector implements AutoCloseable {

    static final List<Topic<?>> TOPICS = List.of(Topics.CONTEXT_CREATED, Topics.JOB_CREATED,
            Topics.REPLICATION_REJECTED, Topics.DISCOVERY_FAILED, Topics.VM_CONTEXTS);

    private final TopicTail tail;
    private volatile RunLedger ledger;

    OutcomeCollector(PlatformClients clients) {
        this.tail = new TopicTail(clients, "bench-outcome-collector", TOPICS, (key, event) -> {
            RunLedger current = ledger;
            if (current != null) {
                current.onEvent(event, System.nanoTime());
            }
        });
    }

    /** Routes events to this ledger from now on (until the next call). */
    void track(RunLedger next) {
        ledger = next;
    }

    /** Throws what stopped the collector, if anything did. */
    void check() {
        tail.check();
    }

    @Override
    public void close() throws InterruptedException {
        tail.close();
    }
}
