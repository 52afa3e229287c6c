package io.migratekit.client;

import java.util.Optional;

/**
 * The pipeline could not take a request: its Kafka broker (or the schema registry the events are
 * written through) did not acknowledge it within the bounded publish timeout. The message names the
 * cause but never a credential.
 *
 * <p>Not acknowledged is not the same as not written: when the record was handed to the producer,
 * the broker may still append it once a leader is back (a produce request can time out on our side
 * after the broker took it). {@link #requestId()} is then present, and the request's outcome, if any,
 * appears under that id; a caller should look for it before sending the request again. When it is
 * empty, nothing left this process (the schema registry refused the event, the client was closed).
 */
public class PipelineUnavailableException extends RuntimeException {

    private final String requestId;

    /** Nothing was handed to the broker. */
    public PipelineUnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** The request was handed to the producer under {@code requestId}; whether it was written is unknown. */
    public PipelineUnavailableException(String message, Throwable cause, String requestId) {
        super(message, cause);
        this.requestId = requestId;
    }

    /** The id of a request that may still be written, empty when nothing was handed to the broker. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }
}
