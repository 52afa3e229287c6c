package io.migratekit.vma;

/**
 * A VMA call that did not give a usable answer, classified so callers can map it to a reason:
 * unreachable (connection refused, DNS), timed out, an HTTP error status (with the VMA's plain-text
 * body), or an answer we could not read.
 */
public class VmaException extends RuntimeException {

    public enum Kind { UNREACHABLE, TIMEOUT, HTTP_ERROR, BAD_RESPONSE }

    private final Kind kind;
    private final int status;

    public VmaException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status for {@link Kind#HTTP_ERROR}, else 0. */
    public int status() {
        return status;
    }
}
