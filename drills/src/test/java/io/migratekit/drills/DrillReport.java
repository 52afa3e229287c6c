package io.migratekit.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Where a drill writes its figures: standard output and {@code target/drill-results.md} (appended),
 * with the machine's core count, so a run can be written down in the reliability document. Owns
 * nothing else.
 */
final class DrillReport {

    private DrillReport() {
    }

    static void record(String drill, String... lines) {
        StringBuilder text = new StringBuilder("### " + drill + " — " + Instant.now() + " ("
                + Runtime.getRuntime().availableProcessors() + " cores)\n");
        for (String line : lines) {
            text.append("- ").append(line).append('\n');
        }
        System.out.println(text);
        Path file = Path.of(System.getProperty("drills.work", "target/drill-runs")).resolveSibling("drill-results.md");
        try {
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
