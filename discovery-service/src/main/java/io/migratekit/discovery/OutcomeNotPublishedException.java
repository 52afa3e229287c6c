package io.migratekit.discovery;

/**
 * The outcome of one request in a batch could not be produced or acknowledged by the broker.
 * Carries the request's position in the batch, so that the offsets before it can be committed
 * and it (and everything after it) can be delivered again.
 */
public class OutcomeNotPublishedException extends RuntimeException {

    private final int index;

    public OutcomeNotPublishedException(int index, String message, Throwable cause) {
        super(message, cause);
        this.index = index;
    }

    /** The position of the first request without a published outcome. */
    public int index() {
        return index;
    }
}
