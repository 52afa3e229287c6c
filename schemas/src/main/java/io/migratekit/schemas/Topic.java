package io.migratekit.schemas;

import io.apicurio.registry.serde.avro.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One Kafka topic: its name, its key (always the VMware VM id, a string) and its Avro value type.
 * Owns the serdes of the topic; does not own where the registry is ({@link RegistrySettings}).
 */
public final class Topic<V extends SpecificRecord> {

    private final String name;
    private final Class<V> valueType;
    private final boolean compacted;

    Topic(String name, Class<V> valueType, boolean compacted) {
        this.name = name;
        this.valueType = valueType;
        this.compacted = compacted;
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
