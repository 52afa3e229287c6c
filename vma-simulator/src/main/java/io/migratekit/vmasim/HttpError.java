package io.migratekit.vmasim;

/**
 * An error that a handler turns into a plain-text response with the given status, the way the
 * real VMA answers errors. Owns only status and message.
 */
final class HttpError extends RuntimeException {

    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }

    static HttpError internal(String message) {
        return new HttpError(500, message);
    }

    int status() {
        return status;
    }
}
