package io.migratekit.client;

import java.util.Optional;

/**
 * The pipeline could not take a request: its Kafka broker did not acknowledge it within the bounded
 * publish timeout, or the schema registry the events are written through did not take the event.
 * {@link #failed()} says which of the two; the message names the cause but never a credential.
 *
 * <p>Not acknowledged is not the same as not written: when the record was handed to the producer,
 * the broker may still append it once a leader is back (a produce request can time out on our side
 * after the broker took it). {@link #requestId()} is then present, and the request's outcome, if any,
 * appears under that id; a caller should look for it before sending the request again. When it is
 * empty, nothing left this process (the schema registry refused the event, the client was closed).
 */
public class PipelineUnavailableException extends RuntimeException {

    /** The part of the pipeline that failed. */
    public enum Failed {
        /** The Kafka broker: not reachable, or it did not acknowledge in time. */
        BROKER,
        /** The schema registry: the event's schema could not be registered or looked up. */
        SCHEMA_REGISTRY
    }

    private final Failed failed;
    private final String requestId;

    /** The broker failed and nothing was handed to it. */
    public PipelineUnavailableException(String message, Throwable cause) {
        this(Failed.BROKER, message, cause, null);
    }

    /** The request was handed to the producer under {@code requestId}; whether it was written is unknown. */
    public PipelineUnavailableException(String message, Throwable cause, String requestId) {
        this(Failed.BROKER, message, cause, requestId);
    }

    /** {@code failed} failed; {@code requestId} is null when nothing was handed to the broker. */
    public PipelineUnavailableException(Failed failed, String message, Throwable cause, String requestId) {
        super(message, cause);
        this.failed = failed;
        this.requestId = requestId;
    }

    /** Which part of the pipeline failed. */
    public Failed failed() {
        return failed;
    }

    /** The id of a request that may still be written, empty when nothing was handed to the broker. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }
}
