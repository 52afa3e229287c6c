package io.migratekit.schemas;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's default datum provider with its writers and readers remembered per schema <em>instance</em>.
 * The default looks its cached writer or reader up by the schema's parsing fingerprint, which it computes
 * (the whole schema normalized to text, then hashed) for every record written or read: a third of the
 * pipeline's Avro time. The serdes hand it the same instance every time — a generated class's schema to
 * the serializer, the registry id's parsed schema (cached by the resolver) to the deserializer — so a
 * lookup by identity finds the same writer or reader without the fingerprint. A schema instance not seen
 * before goes to the default (which builds or finds the writer or reader by fingerprint, as before).
 * Owns only these two identity caches (bounded: emptied when they pass {@value #MAX_SCHEMAS} schemas);
 * which datum class is used, and everything else, is the default's.
 *
 * <p>Chosen by {@code apicurio.registry.avro-datum-provider} in {@link RegistrySettings#serdeConfig()}
 * and in the platform's Kafka defaults.
 */
public class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    static final int MAX_SCHEMAS = 1_000;

    private final Map<WriterKey, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final Map<SameInstance, DatumReader<T>> readers = new ConcurrentHashMap<>();

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        WriterKey key = new WriterKey(new SameInstance(schema), data instanceof SpecificRecord);
        DatumWriter<T> writer = writers.get(key);
        if (writer == null) {
            writer = super.createDatumWriter(data, schema);
            remember(writers, key, writer);
        }
        return writer;
    }

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        SameInstance key = new SameInstance(schema);
        DatumReader<T> reader = readers.get(key);
        if (reader == null) {
            reader = super.createDatumReader(schema);
            remember(readers, key, reader);
        }
        return reader;
    }

    private static <K, V> void remember(Map<K, V> cache, K key, V value) {
        // Schemas parsed anew on every call would otherwise grow the cache without end.
        if (cache.size() >= MAX_SCHEMAS) {
            cache.clear();
        }
        cache.put(key, value);
    }

    /** A schema compared by identity: equal only to itself, hashed without walking the schema. */
    private record SameInstance(Schema schema) {

        @Override
        public boolean equals(Object other) {
            return other instanceof SameInstance that && that.schema == schema;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(schema);
        }
    }

    private record WriterKey(SameInstance schema, boolean specific) {
    }
}
