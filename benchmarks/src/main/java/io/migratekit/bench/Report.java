package io.migratekit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's report, in Markdown: lines as they are measured (printed at once, so a long run
 * shows its progress), the summary table of every figure beside its floor and goal, and the
 * correctness failures (a figure whose requests were not each answered exactly once is not a figure).
 * Owns the text; writes it where it is told.
 */
final class Report {

    private final PrintStream out;
    private final StringBuilder text = new StringBuilder();
    private final List<String> rows = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    Report(PrintStream out) {
        this.out = out;
    }

    void heading(String heading) {
        line("");
        line("## " + heading);
    }

    void line(String line) {
        text.append(line).append('\n');
        out.println(line);
        out.flush();
    }

    /** A row of the summary table. */
    void row(String figure, String measured, String floor, String ratio, String goal, String met) {
        rows.add("| " + String.join(" | ", figure, measured, floor, ratio, goal, met) + " |");
    }

    /** A correctness failure: reported, and the benchmark exits non-zero. */
    void failure(String description) {
        failures.add(description);
        line("**FAILED:** " + description);
    }

    boolean correct() {
        return failures.isEmpty();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Prints the summary table and the failures at the end of the report. */
    void summarize() {
        heading("Summary");
        line("| figure | measured (median) | floor, same run | ratio | goal | met |");
        line("|---|---|---|---|---|---|");
        rows.forEach(this::line);
        line("");
        line(failures.isEmpty() ? "Correctness: every request of every run answered exactly once, no second active job."
                : "Correctness FAILED: " + failures);
    }

    void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + file, e);
        }
    }
}
