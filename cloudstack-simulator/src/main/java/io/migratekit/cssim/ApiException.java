package io.migratekit.cssim;

import java.util.Locale;

/**
 * A CloudStack error: the {@code errorcode} (also the HTTP status of a synchronous answer), the
 * {@code cserrorcode} and the {@code errortext}. Thrown by the rules and the command handlers;
 * rendered by {@link ApiHandler} or recorded as a failed job's result.
 */
final class ApiException extends RuntimeException {

    /** CloudStack's cserrorcode of a ServerApiException (missing parameter, unknown id, unknown command). */
    static final int CS_SERVER_API = 9999;
    /** CloudStack's cserrorcode of an InvalidParameterValueException (a rule refused the call). */
    static final int CS_INVALID_PARAMETER_VALUE = 4350;
    /** CloudStack's cserrorcode of a CloudRuntimeException. */
    static final int CS_CLOUD_RUNTIME = 4250;

    private final int errorCode;
    private final int csErrorCode;

    ApiException(int errorCode, int csErrorCode, String text) {
        super(text, null, false, false);
        this.errorCode = errorCode;
        this.csErrorCode = csErrorCode;
    }

    /** 431 as an InvalidParameterValueException: a rule of CloudStack's refused the request. */
    static ApiException rule(String text) {
        return new ApiException(431, CS_INVALID_PARAMETER_VALUE, text);
    }

    static ApiException missingParameter(String command, String name) {
        return new ApiException(431, CS_SERVER_API,
                "Unable to execute API command " + command.toLowerCase(Locale.ROOT) + " due to missing parameter " + name);
    }

    static ApiException invalidId(String command, String name, String value) {
        return new ApiException(431, CS_SERVER_API, "Unable to execute API command " + command.toLowerCase(Locale.ROOT)
                + " due to invalid value. Invalid parameter " + name + " value=" + value
                + " due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.");
    }

    int errorCode() {
        return errorCode;
    }

    int csErrorCode() {
        return csErrorCode;
    }
}
