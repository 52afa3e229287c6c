package io.migratekit.intake.api;

import org.springframework.http.HttpStatus;

/**
 * An error answer decided by our own code: its HTTP status, the stable error text and the details.
 * Thrown by validation, authentication and the handlers; rendered as an {@link ApiError}.
 */
public class ApiProblem extends RuntimeException {

    public static final String INVALID_PAYLOAD = "Invalid request payload";
    public static final String SOURCE_VM_REQUIRED = "Source VM information is required";
    public static final String INVALID_REPLICATION_TYPE = "Invalid replication type";
    public static final String UNKNOWN_TARGET = "Unknown CloudStack target";
    public static final String PAYLOAD_TOO_LARGE = "Request body too large";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String PIPELINE_UNAVAILABLE = "Pipeline unavailable";
    public static final String READ_MODEL_UNAVAILABLE = "Read model unavailable";
    public static final String INVALID_QUERY = "Invalid query parameter";

    private final HttpStatus status;
    private final String error;
    private final String details;

    public ApiProblem(HttpStatus status, String error, String details) {
        super(error + ": " + details);
        this.status = status;
        this.error = error;
        this.details = details;
    }

    public static ApiProblem invalidPayload(String details) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, INVALID_PAYLOAD, details);
    }

    public static ApiProblem invalidQuery(String details) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, INVALID_QUERY, details);
    }

    public static ApiProblem unauthorized(String details) {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, UNAUTHORIZED, details);
    }

    public static ApiProblem forbidden(String details) {
        return new ApiProblem(HttpStatus.FORBIDDEN, FORBIDDEN, details);
    }

    public static ApiProblem notFound(String error, String details) {
        return new ApiProblem(HttpStatus.NOT_FOUND, error, details);
    }

    public static ApiProblem pipelineUnavailable() {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, PIPELINE_UNAVAILABLE,
                "The pipeline's broker is unavailable; the request was not accepted, retry later");
    }

    /**
     * The schema registry did not take the request's event (its schema could not be registered or
     * found): nothing reached the broker, so the request can simply be sent again.
     */
    public static ApiProblem schemaRegistryUnavailable() {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, PIPELINE_UNAVAILABLE,
                "The pipeline's schema registry did not take the request's event; nothing was sent to the broker and "
                        + "the request was not accepted, retry later");
    }

    /**
     * The broker did not acknowledge a request in time, but may still write it once it is back: the
     * answer says so and where its outcome will appear, instead of claiming it was not accepted.
     */
    public static ApiProblem pipelineUnacknowledged(String what, String outcomeUrl) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, PIPELINE_UNAVAILABLE,
                "The pipeline's broker did not acknowledge the " + what + " in time; it may still be accepted "
                        + "once the broker is back: look at " + outcomeUrl + " before sending it again");
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String details() {
        return details;
    }
}
