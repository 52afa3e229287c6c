package io.migratekit.schemas;

/**
 * The header names of a dead-letter record: where the record came from and why no consumer could
 * handle it. The value and key are the original bytes, untouched.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static final String ORIGINAL_TOPIC = "mk.dlt.original-topic";
    public static final String ORIGINAL_PARTITION = "mk.dlt.original-partition";
    public static final String ORIGINAL_OFFSET = "mk.dlt.original-offset";
    public static final String CONSUMER = "mk.dlt.consumer";
    public static final String REASON = "mk.dlt.reason";
    public static final String EXCEPTION = "mk.dlt.exception";
}
