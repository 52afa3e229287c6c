package io.migratekit.platform.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleCronTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aFiveFieldExpressionFiresAtSecondZeroOfTheMinute() {
        ScheduleCron cron = ScheduleCron.of("30 2 * * *", "UTC");

        assertThat(cron.nextAfter(Instant.parse("2026-03-01T00:00:00Z")))
                .contains(Instant.parse("2026-03-01T02:30:00Z"));
    }

    @Test
    void aSixFieldExpressionKeepsItsSeconds() {
        ScheduleCron cron = ScheduleCron.of("15 30 2 * * *", "UTC");

        assertThat(cron.nextAfter(Instant.parse("2026-03-01T00:00:00Z")))
                .contains(Instant.parse("2026-03-01T02:30:15Z"));
    }

    @Test
    void theTimeZoneIsApplied() {
        ScheduleCron cron = ScheduleCron.of("0 9 * * *", "Europe/Berlin");

        assertThat(cron.nextAfter(Instant.parse("2026-07-01T00:00:00Z")))
                .contains(Instant.parse("2026-07-01T07:00:00Z"));
    }

    @Test
    void onTheSpringForwardDayA0230ScheduleFiresOnceShiftedByTheGap() {
        // 2026-03-08: New York clocks jump from 02:00 EST to 03:00 EDT, 02:30 does not exist
        ScheduleCron cron = ScheduleCron.of("30 2 * * *", "America/New_York");

        List<Instant> due = cron.dueBetween(dayStart(2026, 3, 8), dayStart(2026, 3, 9), 100);

        assertThat(due).containsExactly(ZonedDateTime.of(2026, 3, 8, 3, 30, 0, 0, NEW_YORK).toInstant());
        assertThat(cron.dueBetween(dayStart(2026, 3, 7), dayStart(2026, 3, 10), 100)).as("and daily around it")
                .containsExactly(Instant.parse("2026-03-07T07:30:00Z"), Instant.parse("2026-03-08T07:30:00Z"),
                        Instant.parse("2026-03-09T06:30:00Z"));
    }

    @Test
    void onTheFallBackDayA0230ScheduleFiresOnce() {
        // 2026-11-01: New York clocks fall back from 02:00 EDT to 01:00 EST
        ScheduleCron cron = ScheduleCron.of("30 2 * * *", "America/New_York");

        List<Instant> due = cron.dueBetween(dayStart(2026, 11, 1), dayStart(2026, 11, 2), 100);

        assertThat(due).containsExactly(Instant.parse("2026-11-01T07:30:00Z"));
    }

    @Test
    void onTheFallBackDayA0130ScheduleWhoseTimeHappensTwiceFiresOnce() {
        ScheduleCron cron = ScheduleCron.of("30 1 * * *", "America/New_York");

        List<Instant> due = cron.dueBetween(dayStart(2026, 11, 1), dayStart(2026, 11, 2), 100);

        assertThat(due).containsExactly(Instant.parse("2026-11-01T05:30:00Z"));
        assertThat(cron.nextAfter(Instant.parse("2026-11-01T06:10:00Z"))).as("from inside the repeated hour")
                .contains(Instant.parse("2026-11-02T06:30:00Z"));
    }

    @Test
    void dueBetweenKeepsTheNewestWhenThereAreMoreThanTheLimit() {
        ScheduleCron cron = ScheduleCron.of("0 * * * *", "UTC");

        assertThat(cron.dueBetween(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-01T05:00:00Z"), 2))
                .containsExactly(Instant.parse("2026-03-01T04:00:00Z"), Instant.parse("2026-03-01T05:00:00Z"));
    }

    @Test
    void badExpressionsAndZonesNameTheField() {
        assertThatThrownBy(() -> ScheduleCron.of("0 0 2 * * * 2026", "UTC"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage("cron_expression has 7 fields; expected 5 (minute hour day-of-month month day-of-week) "
                        + "or 6 (second first)");
        assertThatThrownBy(() -> ScheduleCron.of("* * *", "UTC"))
                .hasMessageStartingWith("cron_expression has 3 fields");
        assertThatThrownBy(() -> ScheduleCron.of("61 2 * * *", "UTC"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageStartingWith("cron_expression is invalid: ");
        assertThatThrownBy(() -> ScheduleCron.of(" ", "UTC")).hasMessage("cron_expression is required");
        assertThatThrownBy(() -> ScheduleCron.of("30 2 * * *", "Mars/Olympus"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage("timezone is not a known time zone: Mars/Olympus")
                .extracting(e -> ((InvalidScheduleException) e).field()).isEqualTo("timezone");
    }

    private static Instant dayStart(int year, int month, int day) {
        return LocalDate.of(year, month, day).atStartOfDay(NEW_YORK).toInstant();
    }
}
