package io.migratekit.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the command line shows values to a person: tables, byte counts, durations, percentages,
 * progress bars, rates and ETAs. Every text that came from outside (VM names come from vCenter and
 * can contain anything) passes {@link #safe} so it cannot move the cursor or recolour the terminal.
 * Pure.
 */
public final class Formats {

    public static final String NONE = "-";

    private Formats() {
    }

    /** The text with every control character (escape sequences included) shown as '?'; null as "-". */
    public static String safe(String text) {
        if (text == null) {
            return NONE;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                ? '?' : c));
        return out.toString();
    }

    /** Rows under a header, columns padded to their widest cell and separated by two spaces. */
    public static List<String> table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], safe(row.get(i)).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = safe(row.get(i));
                line.append(cell);
                if (i < widths.length - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Bytes in binary units with one decimal: "512 B", "1.5 KiB", "20.0 GiB". */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A duration as "45s", "3m05s" or "2h03m". */
    public static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    /** The time between two ISO-8601 instants, or "-" when either is missing or unreadable. */
    public static String between(String start, String end) {
        Instant from = instant(start);
        Instant to = instant(end);
        return from == null || to == null ? NONE : duration(Duration.between(from, to));
    }

    static Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A percentage with one decimal: "42.5%". */
    public static String percent(double percent) {
        return String.format(Locale.ROOT, "%.1f%%", percent);
    }

    /** A rate in megabytes per second with one decimal: "85.3 MB/s". */
    public static String rate(double megabytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", megabytesPerSecond);
    }

    /** A bar of {@code width} cells, filled in proportion to the percentage (clamped to 0–100). */
    public static String bar(double percent, int width) {
        double clamped = Math.max(0, Math.min(100, percent));
        int filled = (int) Math.round(clamped / 100 * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    /**
     * The time left to copy the remaining bytes at this rate (megabytes of 10^6 bytes per second),
     * or empty when nothing moves or nothing is left.
     */
    public static String eta(long transferred, long total, double megabytesPerSecond) {
        long left = total - transferred;
        if (left <= 0 || megabytesPerSecond <= 0) {
            return NONE;
        }
        return duration(Duration.ofSeconds((long) Math.ceil(left / (megabytesPerSecond * 1_000_000))));
    }
}
