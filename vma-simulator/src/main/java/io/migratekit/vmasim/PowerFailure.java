package io.migratekit.vmasim;

/**
 * How an injected power-operation failure shows on the wire. Owns only the choice, not the
 * response (that is the API handler).
 */
public enum PowerFailure {
    /** No failure: the operation succeeds. */
    NONE,
    /** 200 with {@code "success": false}, the state unchanged and an explanatory message. */
    REPORTED,
    /** 500 with a plain-text body, the state unchanged. */
    ERROR,
    /** The operation is carried out, then the connection is closed without an answer (a lost answer). */
    ANSWER_LOST;

    static PowerFailure parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        for (PowerFailure f : values()) {
            if (f.name().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw HttpError.badRequest("power failure must be one of none, reported, error, answer_lost");
    }
}
