package io.migratekit.cloudstack.client;

/**
 * A CloudStack call that did not succeed. {@link Kind#API_ERROR} and {@link Kind#JOB_FAILED} carry
 * CloudStack's own {@code errorcode} (431 parameter error, 401 authentication, 530 internal error),
 * {@code cserrorcode} and {@code errortext}; the message quotes the error text as CloudStack wrote it
 * and never carries a key or signature.
 */
public class CloudStackException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** CloudStack answered an error (HTTP 4xx/5xx with errorcode and errortext). */
        API_ERROR,
        /** An async job ended with jobstatus 2. */
        JOB_FAILED,
        /** An async job was still pending when the bounded wait ended; the job may still finish. */
        JOB_TIMEOUT,
        /** No answer within the call's timeout. */
        TIMEOUT,
        /** CloudStack could not be reached. */
        UNREACHABLE,
        /** The answer was not the JSON the API documents. */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final String command;
    private final int errorCode;
    private final int csErrorCode;
    private final String errorText;
    private final String jobId;

    public CloudStackException(Kind kind, String command, int errorCode, int csErrorCode, String errorText,
            String jobId, Throwable cause) {
        super(message(kind, command, errorCode, csErrorCode, errorText, jobId), cause);
        this.kind = kind;
        this.command = command;
        this.errorCode = errorCode;
        this.csErrorCode = csErrorCode;
        this.errorText = errorText;
        this.jobId = jobId;
    }

    public Kind kind() {
        return kind;
    }

    public String command() {
        return command;
    }

    /** CloudStack's errorcode (0 when CloudStack gave none). */
    public int errorCode() {
        return errorCode;
    }

    /** CloudStack's cserrorcode (0 when CloudStack gave none). */
    public int csErrorCode() {
        return csErrorCode;
    }

    /** CloudStack's errortext, or what happened instead. */
    public String errorText() {
        return errorText;
    }

    /** The async job concerned, or null. */
    public String jobId() {
        return jobId;
    }

    private static String message(Kind kind, String command, int errorCode, int csErrorCode, String errorText,
            String jobId) {
        String job = jobId == null ? "" : " (job " + jobId + ")";
        return switch (kind) {
            case API_ERROR, JOB_FAILED -> "CloudStack " + command + job + " failed: " + errorText + " (errorcode "
                    + errorCode + ", cserrorcode " + csErrorCode + ")";
            default -> "CloudStack " + command + job + ": " + errorText;
        };
    }
}
