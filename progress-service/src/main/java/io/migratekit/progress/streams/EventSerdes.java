package io.migratekit.progress.streams;

import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Where the topology gets the value serde of each topic it reads or writes. In the service it is
 * the topic's registry serde ({@link #registry(RegistrySettings)}); the topology itself does not
 * know about the registry.
 */
public interface EventSerdes {

    <V extends SpecificRecord> Serde<V> valueSerde(Topic<V> topic);

    /** Avro in Confluent's wire format through the schema registry: the serdes of the pipeline. */
    static EventSerdes registry(RegistrySettings settings) {
        return new EventSerdes() {
            @Override
            public <V extends SpecificRecord> Serde<V> valueSerde(Topic<V> topic) {
                return topic.valueSerde(settings);
            }
        };
    }
}
