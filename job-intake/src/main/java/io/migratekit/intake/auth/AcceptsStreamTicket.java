package io.migratekit.intake.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An API handler (a server-sent event stream) that also accepts a one-time {@link StreamTickets}
 * ticket in the {@code ticket} query parameter instead of the Authorization header.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface AcceptsStreamTicket {

    /** The query parameter that carries the ticket. */
    String PARAMETER = "ticket";
}
