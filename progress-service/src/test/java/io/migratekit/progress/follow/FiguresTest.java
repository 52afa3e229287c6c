package io.migratekit.progress.follow;

import static io.migratekit.progress.testing.Fixtures.GIB;
import static io.migratekit.progress.testing.Fixtures.disk;
import static io.migratekit.progress.testing.Fixtures.progress;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.vma.VmaDtos;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void thePercentIsTheJobsShareOfBytesNotTheVmasPerDiskPercentage() {
        VmaDtos.Progress perDisk = new VmaDtos.Progress("j", "completed", "full", "completed", 100.0, "Completed disk 1",
                10 * GIB, 30 * GIB, null, null, null, null, null);

        Figures figures = Figures.of(perDisk);

        assertThat(figures).isEqualTo(new Figures("completed", "full", "completed", "Completed disk 1", 33.33,
                10 * GIB, 30 * GIB, 0.0, null, List.of()));
    }

    @Test
    void withoutTotalsTheVmasPercentageIsUsedAndMissingNumbersAreZero() {
        VmaDtos.Progress sparse = new VmaDtos.Progress("j", "IN_PROGRESS", null, null, 12.345, null, null, null,
                new VmaDtos.Throughput(null, null, null), new VmaDtos.Timing(null, null, null, null), List.of(), null, null);

        assertThat(Figures.of(sparse)).isEqualTo(new Figures("in_progress", null, null, null, 12.35, 0, 0, 0.0, null,
                List.of()));
    }

    @Test
    void allCopiedNeedsCompletedStatusAllBytesAndEveryDiskCompleted() {
        List<String> twoDisks = List.of("disk-2000", "disk-2001");

        assertThat(Figures.of(progress("j", "completed", 30 * GIB, 30 * GIB,
                disk("disk-2000", 10 * GIB, 10 * GIB, "completed"), disk("2001", 20 * GIB, 20 * GIB, "completed")))
                .reportAllCopied(twoDisks)).isTrue();
        assertThat(Figures.of(progress("j", "completed", 30 * GIB, 30 * GIB,
                disk("disk-2000", 10 * GIB, 10 * GIB, "completed"))).reportAllCopied(twoDisks)).isFalse();
        assertThat(Figures.of(progress("j", "completed", 10 * GIB, 30 * GIB,
                disk("disk-2000", 10 * GIB, 10 * GIB, "completed"), disk("disk-2001", 0, 20 * GIB, "pending")))
                .reportAllCopied(twoDisks)).isFalse();
        assertThat(Figures.of(progress("j", "in_progress", 30 * GIB, 30 * GIB)).reportAllCopied(List.of("disk-2000")))
                .isFalse();
        assertThat(Figures.of(progress("j", "completed", 30 * GIB, 30 * GIB)).reportAllCopied(List.of("disk-2000")))
                .isTrue();
        assertThat(Figures.of(progress("j", "completed", 30 * GIB, 30 * GIB)).reportAllCopied(twoDisks)).isFalse();
    }
}
