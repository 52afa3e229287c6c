package io.migratekit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's scale figure run once with tiny counts on the real scheduler-service, broker, registry
 * and PostgreSQL, so that its code cannot rot: asserts only what the runs must be — both executions
 * completed with every VM requested and completed once, never more jobs at once than the cap — never
 * how fast anything was.
 */
class SchedulerScaleSmokeTest {

    @Test
    void aSmallGroupRunsToTheEndUnderItsCapTwice() throws Exception {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // when
        int exit = SchedulerScale.run(Map.of("vms", "60", "cap", "5", "min-job-ms", "10", "max-job-ms", "60"), report);

        // then
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report.failures()).isEmpty();
        assertThat(exit).isZero();
        assertThat(text).containsSubsequence(
                "Warm-up execution (cold JVM): execution completed: 60 eligible, 60 jobs created, 60 completed, 0 failed, 0 skipped",
                "Measured execution: execution completed: 60 eligible, 60 jobs created, 60 completed, 0 failed, 0 skipped");
        Matcher running = Pattern.compile("acknowledged\\): (\\d+) \\(cap 5\\)").matcher(text);
        int executions = 0;
        while (running.find()) {
            assertThat(Integer.parseInt(running.group(1))).isBetween(1, 5);
            executions++;
        }
        assertThat(executions).isEqualTo(2);
        assertThat(text).contains("55 pairs: p50 ");
    }
}
