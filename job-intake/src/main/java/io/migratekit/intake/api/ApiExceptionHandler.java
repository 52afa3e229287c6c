package io.migratekit.intake.api;

import io.migratekit.client.PipelineUnavailableException;
import io.migratekit.intake.outcome.OutcomeResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestValueException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Renders every failure of a request as an {@link ApiError} with the right status: our own
 * {@link ApiProblem}s as they are, a broker or schema registry that did not take a request as 503
 * saying which of the two (and, when the broker may still write it, where its outcome will be), an
 * unreachable read model as 503, Spring's routing errors as 404/405/400, a stream client that went
 * away with nothing, and anything unexpected as 500 without details (logged here, once, without
 * request values).
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ErrorResponses errors;

    public ApiExceptionHandler(ErrorResponses errors) {
        this.errors = errors;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> problem(ApiProblem problem) {
        return errors.of(problem);
    }

    @ExceptionHandler(PipelineUnavailableException.class)
    ResponseEntity<Object> pipelineUnavailable(PipelineUnavailableException e) {
        log.warn("Request not taken by the pipeline: {}", e.getMessage());
        return errors.of(e.requestId()
                .map(id -> ApiProblem.pipelineUnacknowledged("replication request " + id,
                        OutcomeResponses.OUTCOME_PATH + id))
                .orElseGet(() -> e.failed() == PipelineUnavailableException.Failed.SCHEMA_REGISTRY
                        ? ApiProblem.schemaRegistryUnavailable() : ApiProblem.pipelineUnavailable()));
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Object> readModelUnavailable(DataAccessException e) {
        log.warn("Read model query failed: {}", e.getMostSpecificCause().toString());
        return errors.of(HttpStatus.SERVICE_UNAVAILABLE, ApiProblem.READ_MODEL_UNAVAILABLE,
                "The read model database did not answer; retry later");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noRoute(NoResourceFoundException e) {
        return errors.of(HttpStatus.NOT_FOUND, "Not found", "No such route: " + e.getHttpMethod() + " /"
                + e.getResourcePath());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return errors.of(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
                "Method " + e.getMethod() + " is not supported here");
    }

    @ExceptionHandler(MissingRequestValueException.class)
    ResponseEntity<Object> missingValue(MissingRequestValueException e) {
        return errors.of(HttpStatus.BAD_REQUEST, ApiProblem.INVALID_QUERY, e.getBody().getDetail());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        return errors.of(HttpStatus.BAD_REQUEST, ApiProblem.INVALID_QUERY, e.getName() + " has the wrong type");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE).build();
    }

    @ExceptionHandler(AsyncRequestTimeoutException.class)
    ResponseEntity<Object> asyncTimeout(AsyncRequestTimeoutException e) {
        return errors.of(HttpStatus.SERVICE_UNAVAILABLE, "Request timed out",
                "The service did not finish the request in time; retry later");
    }

    /** A stream client that went away: there is no one to answer. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e) {
        log.debug("client went away: {}", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("Unexpected failure while handling a request", e);
        return errors.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "The request could not be handled");
    }
}
