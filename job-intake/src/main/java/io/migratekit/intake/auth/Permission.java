package io.migratekit.intake.auth;

/** What an API route needs from the caller's token. */
public enum Permission {
    /** Queries of the read model. */
    READ,
    /** Commands: replication requests. */
    WRITE,
    /** The VMA copy engine's change-id callbacks. */
    CHANGE_ID
}
