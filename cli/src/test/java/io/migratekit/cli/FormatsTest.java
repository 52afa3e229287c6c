package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void controlCharactersOfOutsideTextCannotReachTheTerminal() {
        assertThat(Formats.safe("vm\u001b[31mred\u0007\nnext\u2028")).isEqualTo("vm?[31mred??next?");
        assertThat(Formats.safe("<b>ünïcode</b>")).isEqualTo("<b>ünïcode</b>");
        assertThat(Formats.safe(null)).isEqualTo("-");
    }

    @Test
    void aTableAlignsEveryColumnToItsWidestCell() {
        List<String> lines = Formats.table(List.of("NAME", "STATUS"),
                List.of(List.of("a-long-name", "ready"), List.of("b", "replicating")));

        assertThat(lines).containsExactly(
                "NAME         STATUS",
                "a-long-name  ready",
                "b            replicating");
    }

    @Test
    void bytesDurationsPercentagesAndRates() {
        assertThat(Formats.bytes(512)).isEqualTo("512 B");
        assertThat(Formats.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Formats.bytes(20L * 1024 * 1024 * 1024)).isEqualTo("20.0 GiB");
        assertThat(Formats.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Formats.duration(Duration.ofSeconds(185))).isEqualTo("3m05s");
        assertThat(Formats.duration(Duration.ofMinutes(123))).isEqualTo("2h03m");
        assertThat(Formats.between("2026-01-01T00:00:00Z", "2026-01-01T00:01:30.500Z")).isEqualTo("1m30s");
        assertThat(Formats.between("2026-01-01T00:00:00Z", null)).isEqualTo("-");
        assertThat(Formats.percent(42.25)).isEqualTo("42.3%");
        assertThat(Formats.rate(85.34)).isEqualTo("85.3 MB/s");
    }

    @Test
    void aBarIsFilledInProportionAndClamped() {
        assertThat(Formats.bar(50, 10)).isEqualTo("[#####-----]");
        assertThat(Formats.bar(0, 4)).isEqualTo("[----]");
        assertThat(Formats.bar(140, 4)).isEqualTo("[####]");
        assertThat(Formats.bar(-3, 4)).isEqualTo("[----]");
    }

    @Test
    void theEtaIsTheBytesLeftAtTheRateAndUnknownWhenNothingMoves() {
        assertThat(Formats.eta(0, 100_000_000, 10)).isEqualTo("10s");
        assertThat(Formats.eta(0, 1_000_000_001, 10)).isEqualTo("1m41s");
        assertThat(Formats.eta(50, 100, 0)).isEqualTo("-");
        assertThat(Formats.eta(100, 100, 5)).isEqualTo("-");
    }
}
