package io.migratekit.intake.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.intake.console.DowntimeEstimate.Estimate;
import io.migratekit.intake.console.DowntimeEstimate.Part;
import io.migratekit.intake.console.DowntimeEstimate.Span;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DowntimeEstimateTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    private static Span lasting(long seconds) {
        return new Span(T0, T0.plusSeconds(seconds));
    }

    @Test
    void eachPartIsTheMedianOfThisVmsLatestFiveAndTheDowntimeTheirSum() {
        // given: seven incremental syncs (the two oldest, far longer, fall out), two power-offs, one target VM
        List<Span> syncs = List.of(lasting(40), lasting(30), lasting(50), lasting(20), lasting(45), lasting(900),
                lasting(800));
        // when
        Estimate estimate = DowntimeEstimate.of(syncs, List.of(lasting(10), lasting(21)), List.of(lasting(95)));
        // then: median of 20,30,40,45,50; of 10,21 (rounded up); the one target VM
        assertThat(estimate).isEqualTo(new Estimate(
                new Part(16L, "median of this VM's last 2 power-offs"),
                new Part(40L, "median of this VM's last 5 incremental syncs"),
                new Part(95L, "median of this VM's last 1 target VM creation"),
                151, true));
    }

    @Test
    void withoutHistoryPowerOffAndTargetVmTakeTheirDefaultsAndTheFinalSyncIsUnknown() {
        // given: a VM whose only incremental sync never ended, and no failover yet
        Estimate estimate = DowntimeEstimate.of(List.of(new Span(T0, null)), List.of(), List.of());
        // then
        assertThat(estimate).isEqualTo(new Estimate(
                new Part(60L, "default: this VM has had no power-off yet"),
                new Part(null, "unknown: this VM has had no incremental sync yet"),
                new Part(120L, "default: this VM has had no target VM creation yet"),
                180, false));
    }
}
