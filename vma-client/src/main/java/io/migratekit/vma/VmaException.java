package io.migratekit.vma;

/**
 * A VMA call that did not give a usable answer, classified so callers can map it to a reason:
 * unreachable (connection refused, DNS: the request never reached the VMA), the connection lost
 * after the request was sent (reset, closed before the answer), timed out, an HTTP error status
 * (with the VMA's plain-text body), or an answer we could not read.
 */
public class VmaException extends RuntimeException {

    public enum Kind { UNREACHABLE, CONNECTION_LOST, TIMEOUT, HTTP_ERROR, BAD_RESPONSE }

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

    /**
     * Whether the VMA may have carried the call out although we have no answer saying so: the
     * request may have reached it (connection lost, no answer in time, an unreadable answer). Not for
     * an unreachable VMA or one that answered an error status.
     */
    public boolean mayHaveActed() {
        return kind == Kind.CONNECTION_LOST || kind == Kind.TIMEOUT || kind == Kind.BAD_RESPONSE;
    }

    /** The HTTP status for {@link Kind#HTTP_ERROR}, else 0. */
    public int status() {
        return status;
    }
}
