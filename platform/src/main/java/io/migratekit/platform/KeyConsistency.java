package io.migratekit.platform;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The rule that every event is filed under its VM: a record's Kafka key must be the event's
 * {@value #FIELD}, since a topic's partitioning, compaction and per-VM ordering all go by the key —
 * or, for an event whose schema names another key field in its {@value #KEY_PROPERTY} property (the
 * scheduler's schedule and group events), that field. A
 * record breaking it is poison in every consumer: the listeners get it from the platform's
 * interceptor and error handler ({@link KeyConsistencyInterceptor}), the Streams apps from their
 * processors and the platform's Streams dead-letter handlers. A plain rule: it reads records, it
 * does not route or dead-letter them. A record without a value (a tombstone, or one that failed to
 * deserialize) or whose value is not an event with a {@value #FIELD} has nothing to compare and passes.
 */
public final class KeyConsistency {

    /** The field of every event that names the VM, and so the record's key. */
    public static final String FIELD = "vmware_vm_id";
    /** The schema property of an event keyed by another field than {@value #FIELD}: that field's name. */
    public static final String KEY_PROPERTY = "key_field";

    private KeyConsistency() {
    }

    /**
     * Why this key does not fit this value, or empty when it does.
     *
     * @param key   the record's key: a string, or its UTF-8 bytes for a listener that reads raw keys
     * @param value the record's deserialized value
     */
    public static Optional<KeyMismatchException> check(Object key, Object value) {
        if (!(value instanceof IndexedRecord event)) {
            return Optional.empty();
        }
        String keyField = event.getSchema().getProp(KEY_PROPERTY) == null ? FIELD
                : event.getSchema().getProp(KEY_PROPERTY);
        Schema.Field field = event.getSchema().getField(keyField);
        if (field == null) {
            return Optional.empty();
        }
        String vmId = String.valueOf(event.get(field.pos()));
        String keyText = key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : key == null ? null : key.toString();
        if (vmId.equals(keyText)) {
            return Optional.empty();
        }
        return Optional.of(new KeyMismatchException("key " + keyText + " differs from the event's " + keyField + " "
                + vmId + " (" + event.getSchema().getName() + ")"));
    }

    /** Throws the {@link KeyMismatchException} of {@link #check} when the key does not fit the value. */
    public static void require(Object key, Object value) {
        Optional<KeyMismatchException> mismatch = check(key, value);
        if (mismatch.isPresent()) {
            throw mismatch.get();
        }
    }
}
