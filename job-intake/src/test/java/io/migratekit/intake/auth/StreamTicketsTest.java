package io.migratekit.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.intake.api.ApiProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamTicketsTest {

    private static final ApiPrincipal VIEWER = new ApiPrincipal("viewer", Role.READ_ONLY);
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final StreamTickets tickets = new StreamTickets(clock, Duration.ofSeconds(30), 2);

    @Test
    void aTicketGivesItsIssuersPrincipalOnceAndNeverAgain() {
        StreamTickets.Ticket ticket = tickets.issue(VIEWER);

        assertThat(ticket.expiresAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(tickets.redeem(ticket.ticket())).contains(VIEWER);
        assertThat(tickets.redeem(ticket.ticket())).isEmpty();
        assertThat(tickets.redeem("guessed")).isEmpty();
        assertThat(tickets.redeem(null)).isEmpty();
    }

    @Test
    void aTicketExpiresAfterItsTimeToLive() {
        StreamTickets.Ticket late = tickets.issue(VIEWER);
        StreamTickets.Ticket inTime = tickets.issue(VIEWER);

        clock.now = T0.plusSeconds(29);
        assertThat(tickets.redeem(inTime.ticket())).contains(VIEWER);
        clock.now = T0.plusSeconds(30);
        assertThat(tickets.redeem(late.ticket())).isEqualTo(Optional.empty());
    }

    @Test
    void atMostTheLimitOfTicketsWaitAndExpiredOnesMakeRoom() {
        Set<String> issued = new HashSet<>();
        issued.add(tickets.issue(VIEWER).ticket());
        issued.add(tickets.issue(VIEWER).ticket());

        assertThat(issued).hasSize(2).allSatisfy(ticket -> assertThat(ticket).matches("[A-Za-z0-9_-]{43}"));
        assertThatThrownBy(() -> tickets.issue(VIEWER)).isInstanceOfSatisfying(ApiProblem.class,
                problem -> assertThat(problem.getMessage()).isEqualTo(
                        "Too many stream tickets: 2 stream tickets wait to be used; retry in 30 s"));
        clock.now = T0.plusSeconds(31);
        assertThat(tickets.issue(VIEWER).ticket()).isNotIn(issued);
    }
}
