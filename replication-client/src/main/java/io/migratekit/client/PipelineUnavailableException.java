package io.migratekit.client;

/**
 * The pipeline could not take a request: its Kafka broker (or the schema registry the events are
 * written through) did not accept it within the bounded publish timeout. Nothing was published;
 * the caller may retry later. The message names the cause but never a credential.
 */
public class PipelineUnavailableException extends RuntimeException {

    public PipelineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
