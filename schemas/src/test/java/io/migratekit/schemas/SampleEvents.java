package io.migratekit.schemas;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Fills any generated event with deterministic pseudo-random values for every field (every
 * union branch taken as non-null, arrays of two), so a round trip exercises the whole schema.
 */
final class SampleEvents {

    private final Random random;

    SampleEvents(long seed) {
        this.random = new Random(seed);
    }

    @SuppressWarnings("unchecked")
    <V extends SpecificRecord> V sample(Class<V> type) {
        Schema schema = SpecificData.get().getSchema(type);
        return (V) record(schema);
    }

    private Object record(Schema schema) {
        SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), value(field.name(), field.schema()));
        }
        return record;
    }

    private Object value(String name, Schema schema) {
        switch (schema.getType()) {
            case UNION:
                return value(name, schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL)
                        .findFirst().orElseThrow());
            case RECORD:
                return record(schema);
            case ENUM:
                String symbol = schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size()));
                return SpecificData.get().createEnum(symbol, schema);
            case ARRAY:
                List<Object> items = new ArrayList<>();
                items.add(value(name, schema.getElementType()));
                items.add(value(name, schema.getElementType()));
                return items;
            case STRING:
                return name + "-" + Integer.toHexString(random.nextInt()) + "-ünïcødé";
            case INT:
                return random.nextInt(1000);
            case LONG:
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return Instant.ofEpochMilli(1_790_000_000_000L + random.nextInt(1_000_000)).truncatedTo(ChronoUnit.MILLIS);
                }
                return random.nextLong();
            case DOUBLE:
                return random.nextDouble() * 100;
            case BOOLEAN:
                return random.nextBoolean();
            default:
                throw new IllegalArgumentException("no sample for " + schema.getType() + " (" + name + ")");
        }
    }
}
