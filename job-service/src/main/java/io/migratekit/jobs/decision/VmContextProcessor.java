package io.migratekit.jobs.decision;

import io.migratekit.events.ContextCreated;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverRejected;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.JobCreated;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.VmContext;
import io.migratekit.events.VolumesSuperseded;
import io.migratekit.events.VmDiscovered;
import io.migratekit.platform.EventLog;
import io.migratekit.platform.KeyConsistency;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value VmContextTopology#DECIDER} processor: a thin adapter between the stores and
 * {@link VmContextDecider}. Per record it refuses one filed under another VM's key (the platform's
 * {@link KeyConsistency}, dead-lettered by its handler), reads the VM's context and whether the
 * request was decided, asks the decider, stores the new context and the decided request (replication or failover), and
 * forwards the events to their sinks with the new context last, and reports the outcome to
 * {@link DecisionOutcomes}. A wall-clock punctuator forgets decided request ids after their retention.
 * It owns no rule.
 */
final class VmContextProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(VmContextProcessor.class);

    private final DecisionSettings settings;
    private final VmContextDecider decider;
    private final DecisionOutcomes outcomes;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, VmContext> contexts;
    private KeyValueStore<String, Long> decidedRequests;

    VmContextProcessor(DecisionSettings settings, DecisionOutcomes outcomes) {
        this.settings = settings;
        this.outcomes = outcomes;
        this.decider = new VmContextDecider(settings.clock(), settings.ids());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.contexts = context.getStateStore(VmContextTopology.CONTEXT_STORE);
        this.decidedRequests = context.getStateStore(VmContextTopology.DECIDED_REQUESTS_STORE);
        context.schedule(settings.purgeInterval(), PunctuationType.WALL_CLOCK_TIME, at -> purgeDecidedRequests());
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord event = record.value();
        if (event == null) {
            return;
        }
        KeyConsistency.require(record.key(), event);
        String vmId = record.key();
        boolean isRequest = event instanceof VmDiscovered || event instanceof FailoverRequested;
        String requestId = isRequest ? field(event, "correlation_id") : null;
        boolean decided = isRequest && decidedRequests.get(requestId) != null;

        Decision decision = decider.decide(contexts.get(vmId), event, decided);

        long now = settings.clock().millis();
        if (isRequest && !decided) {
            decidedRequests.put(requestId, now);
        }
        if (decision.changesState()) {
            contexts.put(vmId, decision.state());
        }
        List<SpecificRecord> out = new ArrayList<>(decision.events());
        if (decision.changesState()) {
            out.add(decision.state());
        }
        for (SpecificRecord fact : out) {
            context.forward(new Record<>(vmId, fact, now), VmContextTopology.sinkName(topicOf(fact)));
        }
        outcomes.decided(event.getSchema().getName(), decision.outcome());
        EventLog.handled(log, event, decision.outcome());
    }

    private void purgeDecidedRequests() {
        long oldestKept = settings.clock().millis() - settings.decidedRequestRetention().toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = decidedRequests.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < oldestKept) {
                    expired.add(entry.key);
                }
            }
        }
        for (String requestId : expired) {
            decidedRequests.delete(requestId);
        }
        if (!expired.isEmpty()) {
            log.info("forgot {} request id(s) decided before {}", expired.size(), Instant.ofEpochMilli(oldestKept));
        }
    }

    private static Topic<?> topicOf(SpecificRecord fact) {
        if (fact instanceof ContextCreated) {
            return Topics.CONTEXT_CREATED;
        }
        if (fact instanceof JobCreated) {
            return Topics.JOB_CREATED;
        }
        if (fact instanceof ReplicationRejected) {
            return Topics.REPLICATION_REJECTED;
        }
        if (fact instanceof FailoverAccepted) {
            return Topics.FAILOVER_ACCEPTED;
        }
        if (fact instanceof FailoverRejected) {
            return Topics.FAILOVER_REJECTED;
        }
        if (fact instanceof VmContext) {
            return Topics.VM_CONTEXTS;
        }
        if (fact instanceof VolumesSuperseded) {
            return Topics.VOLUMES_SUPERSEDED;
        }
        throw new IllegalStateException("the decision has no sink for " + fact.getSchema().getName());
    }

    private static String field(SpecificRecord event, String name) {
        Schema.Field field = event.getSchema().getField(name);
        if (field == null) {
            throw new IllegalArgumentException(event.getSchema().getName() + " has no " + name);
        }
        return String.valueOf(event.get(field.pos()));
    }
}
