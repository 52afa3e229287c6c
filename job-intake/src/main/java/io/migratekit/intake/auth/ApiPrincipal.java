package io.migratekit.intake.auth;

/**
 * Who called: the name of the token that authenticated the request (it becomes
 * {@code requested_by}) and its role. Never carries the token itself.
 */
public record ApiPrincipal(String name, Role role) {

    /** The request attribute the authenticated principal is stored under. */
    public static final String ATTRIBUTE = "migratekit.intake.principal";
    /** The attribute the callback listener stores the caller it admitted under (no token needed there). */
    public static final String ADMITTED_ATTRIBUTE = "migratekit.intake.callback-caller";
}
