package io.migratekit.jobs.decision;

import io.migratekit.events.VmContext;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the decision topology: one source per input topic, the single processor
 * {@value #DECIDER} with its stores {@value #CONTEXT_STORE} (VMware VM id → {@link VmContext}) and
 * {@value #DECIDED_REQUESTS_STORE} (request correlation id → when it was decided), and one sink per output
 * topic; the processor reports every decision's outcome to the given {@link DecisionOutcomes}. A pure
 * factory: it starts nothing and reads no configuration.
 */
public final class VmContextTopology {

    public static final String DECIDER = "vm-context-decider";
    public static final String CONTEXT_STORE = "vm-context-store";
    public static final String DECIDED_REQUESTS_STORE = "decided-requests-store";

    /** The input topics, in the order their sources are added. */
    public static final List<Topic<?>> INPUTS = List.of(
            Topics.VM_DISCOVERED, Topics.JOB_STARTED, Topics.CHANGE_ID_RECORDED, Topics.JOB_COMPLETED, Topics.JOB_FAILED,
            Topics.FAILOVER_REQUESTED, Topics.FAILOVER_COMPLETED, Topics.FAILOVER_FAILED, Topics.FAILOVER_CLEANED_UP);

    /** The output topics; each has a sink named {@code sink-<topic>}. */
    public static final List<Topic<?>> OUTPUTS = List.of(
            Topics.CONTEXT_CREATED, Topics.JOB_CREATED, Topics.REPLICATION_REJECTED, Topics.FAILOVER_ACCEPTED,
            Topics.FAILOVER_REJECTED, Topics.VM_CONTEXTS, Topics.VOLUMES_SUPERSEDED);

    private VmContextTopology() {
    }

    public static Topology build(RegistrySettings registry, DecisionSettings settings, DecisionOutcomes outcomes) {
        Topology topology = new Topology();
        String[] sources = new String[INPUTS.size()];
        for (int i = 0; i < INPUTS.size(); i++) {
            Topic<?> topic = INPUTS.get(i);
            sources[i] = "source-" + topic.name();
            topology.addSource(sources[i], topic.keySerde().deserializer(), topic.valueSerde(registry).deserializer(),
                    topic.name());
        }
        topology.addProcessor(DECIDER, () -> new VmContextProcessor(settings, outcomes), sources);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONTEXT_STORE),
                Serdes.String(), Topics.VM_CONTEXTS.valueSerde(registry)), DECIDER);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECIDED_REQUESTS_STORE),
                Serdes.String(), Serdes.Long()), DECIDER);
        for (Topic<?> topic : OUTPUTS) {
            addSink(topology, topic, registry);
        }
        return topology;
    }

    static String sinkName(Topic<?> topic) {
        return "sink-" + topic.name();
    }

    private static <V extends SpecificRecord> void addSink(Topology topology, Topic<V> topic,
            RegistrySettings registry) {
        topology.addSink(sinkName(topic), topic.name(), topic.keySerde().serializer(),
                topic.valueSerde(registry).serializer(), DECIDER);
    }
}
