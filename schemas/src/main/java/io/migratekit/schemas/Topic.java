package io.migratekit.schemas;

import io.apicurio.registry.serde.avro.AvroSerde;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka topic: its name, its key (a string: the VMware VM id, except on the scheduler's
 * definition topics, keyed by the schedule or group id), its Avro value type, and who writes and
 * reads it (for the event catalog, {@link EventCatalog}). Owns the serdes of the
 * topic; does not own where the registry is ({@link RegistrySettings}).
 */
public final class Topic<V extends SpecificRecord> {

    /** The event field most topics are keyed by: the VMware VM id. */
    public static final String VM_KEY = "vmware_vm_id";

    private final String name;
    private final Class<V> valueType;
    private final boolean compacted;
    private final List<String> writers;
    private final List<String> readers;
    private final String keyField;

    Topic(String name, Class<V> valueType, boolean compacted, List<String> writers, List<String> readers) {
        this(name, valueType, compacted, writers, readers, VM_KEY);
    }

    /** A topic keyed by the value's {@code keyField} instead of the VM id. */
    Topic(String name, Class<V> valueType, boolean compacted, List<String> writers, List<String> readers,
            String keyField) {
        this.keyField = keyField;
        this.name = name;
        this.valueType = valueType;
        this.compacted = compacted;
        this.writers = List.copyOf(writers);
        this.readers = List.copyOf(readers);
    }

    /** A topic of no documented writer or reader (tests' own topics). */
    Topic(String name, Class<V> valueType, boolean compacted) {
        this(name, valueType, compacted, List.of(), List.of());
    }

    public String name() {
        return name;
    }

    public Class<V> valueType() {
        return valueType;
    }

    /** A compacted topic keeps the latest record per key (state changelogs). */
    public boolean compacted() {
        return compacted;
    }

    /** The services (or clients) that write the topic. */
    public List<String> writers() {
        return writers;
    }

    /** The services that read the topic. */
    public List<String> readers() {
        return readers;
    }

    /** The event field whose value is every record's key ({@link #VM_KEY} unless the topic says otherwise). */
    public String keyField() {
        return keyField;
    }

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    /** A configured Avro serde in Confluent's wire format against the given registry. */
    public Serde<V> valueSerde(RegistrySettings registry) {
        AvroSerde<V> serde = new AvroSerde<>();
        serde.configure(registry.serdeConfig(), false);
        return serde;
    }

    @Override
    public String toString() {
        return name;
    }
}
