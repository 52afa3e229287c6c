package io.migratekit.intake.api;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Builds error answers stamped by the service clock. */
public class ErrorResponses {

    private final Clock clock;

    public ErrorResponses(Clock clock) {
        this.clock = clock;
    }

    public ResponseEntity<Object> of(ApiProblem problem) {
        return of(problem.status(), problem.error(), problem.details());
    }

    public ResponseEntity<Object> of(HttpStatus status, String error, String details) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body(error, details));
    }

    public ApiError body(String error, String details) {
        return new ApiError(error, details, now());
    }

    /** The current time as ISO-8601 UTC with milliseconds. */
    public String now() {
        return DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
