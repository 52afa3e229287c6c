package io.migratekit.cli;

/**
 * The command line's exit codes, the contract scripts rely on: 0 done, 1 failed (the job or
 * failover failed, or the API answered 5xx), 2 refused (409, any other 4xx, a live failover not
 * confirmed, a usage error), 3 unreachable (the API could not be reached).
 */
public final class ExitCodes {

    public static final int DONE = 0;
    public static final int FAILED = 1;
    public static final int REFUSED = 2;
    public static final int UNREACHABLE = 3;

    private ExitCodes() {
    }

    /** The exit code of an HTTP error answer: 4xx is the caller's request refused, anything else failed. */
    public static int ofHttpStatus(int status) {
        return status >= 400 && status < 500 ? REFUSED : FAILED;
    }
}
