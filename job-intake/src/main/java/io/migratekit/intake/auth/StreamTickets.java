package io.migratekit.intake.auth;

import io.migratekit.intake.api.ApiProblem;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * One-time stream tickets: a browser's {@code EventSource} cannot send an Authorization header, so
 * the console trades its bearer token for a ticket ({@code POST /api/v1/events/tickets}) and opens
 * the stream with the ticket in the query string; the long-lived token never appears in a URL. A
 * ticket carries its issuer's principal, is random (256 bits), lives {@code ttl} and is gone once
 * redeemed. At most {@code limit} tickets wait at once (expired ones are dropped first). Owns the
 * tickets, in memory only; not who may ask for one.
 */
public final class StreamTickets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration ttl;
    private final int limit;
    private final Map<String, Waiting> waiting = new HashMap<>();

    private record Waiting(ApiPrincipal principal, Instant expiresAt) {
    }

    /** A ticket and the instant it stops being accepted. */
    public record Ticket(String ticket, Instant expiresAt) {
    }

    public StreamTickets(Clock clock, Duration ttl, int limit) {
        this.clock = clock;
        this.ttl = ttl;
        this.limit = limit;
    }

    /**
     * A new ticket for that principal.
     *
     * @throws ApiProblem 503 when {@code limit} unexpired tickets wait
     */
    public synchronized Ticket issue(ApiPrincipal principal) {
        Instant now = clock.instant();
        waiting.values().removeIf(ticket -> !ticket.expiresAt().isAfter(now));
        if (waiting.size() >= limit) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Too many stream tickets",
                    limit + " stream tickets wait to be used; retry in " + ttl.toSeconds() + " s");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant expiresAt = now.plus(ttl);
        waiting.put(ticket, new Waiting(principal, expiresAt));
        return new Ticket(ticket, expiresAt);
    }

    /** The principal of a ticket issued and not yet used nor expired; the ticket is used up either way. */
    public synchronized Optional<ApiPrincipal> redeem(String ticket) {
        Waiting found = ticket == null ? null : waiting.remove(ticket);
        return found == null || !found.expiresAt().isAfter(clock.instant()) ? Optional.empty()
                : Optional.of(found.principal());
    }
}
