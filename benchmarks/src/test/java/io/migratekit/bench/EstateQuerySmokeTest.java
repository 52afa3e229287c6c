package io.migratekit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The estate query figure run once with a small estate on a real PostgreSQL, so that its code cannot rot:
 * every query's page must equal the answer computed in plain Java from the seeded rows (names in order,
 * each with its current and last successful job, and the total), never how fast it came.
 */
class EstateQuerySmokeTest {

    @Test
    void aSmallEstateAnswersEveryConsoleQueryWithTheRightPagesInOrderAndTheRightTotals() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // when: 320 VMs, so the name filter "VM-0001" matches estate-vm-000100..000199
        int exit = EstateQuery.run(Map.of("vms", "320", "runs", "3", "warmup", "1", "seed", "7"), report);

        // then
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report.failures()).isEmpty();
        assertThat(exit).isZero();
        assertThat(text).containsSubsequence(
                "- Seeded 320 contexts and ",
                "- first page by name: 50 rows of 320; median ",
                "- deep page by name (offset 270): 50 rows of 320; median ",
                "- first page by status: 50 rows of 320; median ",
                "- first page by last update, newest first: 50 rows of 320; median ",
                "- name filter \"VM-0001\": 50 rows of 100; median ",
                "- status filter \"replicating\": ");
        assertThat(text.lines().filter(line -> line.contains(" ms, p99 ")).count()).isEqualTo(6);
    }
}
