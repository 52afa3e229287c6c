package io.migratekit.jobs.decision;

/**
 * Where the decision's poison records go: the original key and value bytes with their origin and the
 * reason no processing was possible. The Streams exception handlers find the sink in their
 * configuration under {@link #CONFIG}. Implementations send synchronously and throw when the record
 * could not be stored, so a record is never dropped silently.
 */
public interface DeadLetterSink {

    /** The Streams configuration key under which the handlers find the sink instance. */
    String CONFIG = "migratekit.dead-letter-sink";

    void send(DeadLetter deadLetter);

    /**
     * One poison record.
     *
     * @param topic     where it was read
     * @param partition its partition
     * @param offset    its offset
     * @param key       original key bytes (may be null)
     * @param value     original value bytes (may be null)
     * @param reason    why it could not be handled, one line
     * @param exception the exception class that said so
     */
    record DeadLetter(String topic, int partition, long offset, byte[] key, byte[] value, String reason,
            String exception) {
    }
}
