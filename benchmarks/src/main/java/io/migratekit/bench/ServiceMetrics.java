package io.migratekit.bench;

import io.migratekit.standalone.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A service's meters as its {@code /actuator/prometheus} endpoint shows them (the services' meter
 * registries live in their own Spring contexts; the endpoint is how an operator reads them too):
 * read with the stack's management token, scraped into samples,
 * and the few questions the figures ask of them — a gauge's value, a counter's total, the cumulative
 * buckets of a histogram. Owns its HTTP client; parses the Prometheus text format.
 */
final class ServiceMetrics {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final Stack stack;
    private final String service;

    ServiceMetrics(Stack stack, String service) {
        this.stack = stack;
        this.service = service;
    }

    /** One sample: the metric's name, its labels, its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** The service's samples now. */
    Scrape scrape() throws InterruptedException {
        String health = stack.endpoints().get(service);
        if (health == null) {
            throw new IllegalStateException("the stack has no endpoint of " + service);
        }
        URI uri = URI.create(health.replace("/actuator/health", "/actuator/prometheus"));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                            .header("Authorization", "Bearer " + stack.managementToken()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            return new Scrape(System.nanoTime(), parse(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + uri + ": " + e, e);
        }
    }

    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int close = line.lastIndexOf('}');
            String name;
            Map<String, String> labels = new TreeMap<>();
            String rest;
            if (brace > 0 && close > brace) {
                name = line.substring(0, brace);
                for (String pair : line.substring(brace + 1, close).split("\",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).replace("\"", "").trim());
                    }
                }
                rest = line.substring(close + 1).trim();
            } else {
                int space = line.indexOf(' ');
                if (space < 0) {
                    continue;
                }
                name = line.substring(0, space);
                rest = line.substring(space + 1).trim();
            }
            String value = rest.split(" ")[0];
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(value)));
            } catch (NumberFormatException e) {
                // A value Prometheus writes that is not a plain number (none of the figures' meters): skipped.
            }
        }
        return samples;
    }

    /** The samples of one scrape, taken at {@code nanos}. */
    record Scrape(long nanos, List<Sample> samples) {

        /** The sum of every sample of this name (over its labels); NaN when there is none. */
        double sum(String name) {
            double sum = 0;
            boolean found = false;
            for (Sample sample : samples) {
                if (sample.name().equals(name)) {
                    sum += sample.value();
                    found = true;
                }
            }
            return found ? sum : Double.NaN;
        }

        /** The sample of this name with this label value; NaN when there is none. */
        double value(String name, String label, String labelValue) {
            for (Sample sample : samples) {
                if (sample.name().equals(name) && labelValue.equals(sample.labels().get(label))) {
                    return sample.value();
                }
            }
            return Double.NaN;
        }

        /** Per value of this label, the sum of the samples of this name. */
        Map<String, Double> byLabel(String name, String label) {
            Map<String, Double> values = new TreeMap<>();
            for (Sample sample : samples) {
                if (sample.name().equals(name)) {
                    values.merge(sample.labels().getOrDefault(label, ""), sample.value(), Double::sum);
                }
            }
            return values;
        }

        /** A histogram's cumulative bucket counts by upper bound ({@code <name>_bucket}, label {@code le}). */
        TreeMap<Double, Double> buckets(String name) {
            TreeMap<Double, Double> buckets = new TreeMap<>();
            for (Sample sample : samples) {
                String le = sample.labels().get("le");
                if (sample.name().equals(name + "_bucket") && le != null) {
                    buckets.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                            sample.value(), Double::sum);
                }
            }
            return buckets;
        }
    }

    /**
     * The upper bound of the bucket holding the {@code quantile} of what a histogram recorded between two
     * scrapes (cumulative buckets, so the difference is the interval's); NaN when nothing was recorded.
     */
    static double quantileBetween(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double quantile) {
        double total = after.lastEntry() == null ? 0
                : after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = Math.ceil(quantile * total);
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= rank) {
                return bucket.getKey();
            }
        }
        return after.lastKey();
    }
}
