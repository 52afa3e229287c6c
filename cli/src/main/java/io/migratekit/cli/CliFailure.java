package io.migratekit.cli;

/**
 * Why a command stops without doing what it was asked: its exit code, the message for the
 * operator and, for an HTTP error answer, the status and the server's {@code error} and
 * {@code details}. Never carries the token.
 */
public final class CliFailure extends RuntimeException {

    private final int exitCode;
    private final Integer httpStatus;
    private final String error;
    private final String details;

    private CliFailure(int exitCode, Integer httpStatus, String error, String details) {
        super(details == null || details.isBlank() ? error : error + ": " + details);
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
        this.error = error;
        this.details = details;
    }

    /** A failure found by the command line itself (no HTTP answer involved). */
    public static CliFailure of(int exitCode, String message) {
        return new CliFailure(exitCode, null, message, null);
    }

    /** An HTTP error answer, with the server's own message. */
    public static CliFailure ofAnswer(int httpStatus, String error, String details) {
        return new CliFailure(ExitCodes.ofHttpStatus(httpStatus), httpStatus, error, details);
    }

    public int exitCode() {
        return exitCode;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    public String error() {
        return error;
    }

    public String details() {
        return details;
    }
}
