package io.migratekit.bench;

import java.util.Locale;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * A latency distribution summed up: how many, p50, p99 and max in milliseconds. Built from an
 * HdrHistogram of microseconds ({@link #histogram()}: up to 10 minutes, 3 significant digits).
 */
record Latency(long count, double p50Ms, double p99Ms, double maxMs) {

    private static final long HIGHEST_MICROS = 600_000_000L;

    static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /** For values recorded from several threads. */
    static SynchronizedHistogram synchronizedHistogram() {
        return new SynchronizedHistogram(HIGHEST_MICROS, 3);
    }

    static void record(AbstractHistogram histogram, long nanos) {
        histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    static Latency of(AbstractHistogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return new Latency(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latency(histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
    }

    String describe() {
        return String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, max %s ms (n=%d)", Stats.ms(p50Ms), Stats.ms(p99Ms),
                Stats.ms(maxMs), count);
    }
}
