package io.migratekit.platform.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/**
 * A schedule's cron expression read in the schedule's time zone: 5 fields (minute first, the API's
 * and the original GUI's form; second 0 is prefixed) or 6 fields (second first, Spring's form).
 * Owns the parsing, the validation message naming the bad part, and the due times; shared by
 * job-intake (validation) and scheduler-service (firing) so both read an expression the same way.
 * Daylight saving: due times are computed on the zone's local time line, then placed on the
 * instant line ({@link ZonedDateTime#ofLocal}): a local time that a spring-forward gap skips fires
 * once, shifted by the gap's length (02:30 becomes 03:30 summer time), and a local time a fall-back
 * repeats fires once, on its first occurrence. (Spring's own zoned evaluation drops the first and
 * fires the second twice.)
 */
public final class ScheduleCron {

    private final CronExpression expression;
    private final ZoneId zone;

    private ScheduleCron(CronExpression expression, ZoneId zone) {
        this.expression = expression;
        this.zone = zone;
    }

    /**
     * The expression in the zone.
     *
     * @throws InvalidScheduleException naming {@code cron_expression} or {@code timezone}
     */
    public static ScheduleCron of(String cronExpression, String timezone) {
        return new ScheduleCron(parse(cronExpression), zone(timezone));
    }

    /** The Spring (6-field) form of a 5- or 6-field expression, validated. */
    public static CronExpression parse(String cronExpression) {
        if (cronExpression == null || cronExpression.isBlank()) {
            throw new InvalidScheduleException("cron_expression", "is required");
        }
        String[] fields = cronExpression.trim().split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw new InvalidScheduleException("cron_expression", "has " + fields.length + " fields; expected 5 "
                    + "(minute hour day-of-month month day-of-week) or 6 (second first)");
        }
        String spring = (fields.length == 5 ? "0 " : "") + String.join(" ", fields);
        try {
            return CronExpression.parse(spring);
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("cron_expression", "is invalid: " + e.getMessage());
        }
    }

    /** The IANA zone, validated; null or blank is UTC. */
    public static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("timezone", "is not a known time zone: " + timezone);
        }
    }

    /** The first due time strictly after {@code after}, or empty when the expression never fires again. */
    public Optional<Instant> nextAfter(Instant after) {
        LocalDateTime local = after.atZone(zone).toLocalDateTime();
        // A bounded walk: a local time mapped before 'after' is the repeat of a fall-back hour, already fired.
        for (int i = 0; i < 1000; i++) {
            local = expression.next(local);
            if (local == null) {
                return Optional.empty();
            }
            Instant due = ZonedDateTime.ofLocal(local, zone, null).toInstant();
            if (due.isAfter(after)) {
                return Optional.of(due);
            }
        }
        return Optional.empty();
    }

    /** The due times in {@code (from, to]}, oldest first, at most {@code limit} of them (the newest kept). */
    public List<Instant> dueBetween(Instant from, Instant to, int limit) {
        List<Instant> due = new ArrayList<>();
        Optional<Instant> next = nextAfter(from);
        while (next.isPresent() && !next.get().isAfter(to)) {
            due.add(next.get());
            if (due.size() > limit) {
                due.remove(0);
            }
            next = nextAfter(next.get());
        }
        return due;
    }

    public ZoneId zone() {
        return zone;
    }
}
