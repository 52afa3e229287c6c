package io.migratekit.bench;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The benchmark's settings, from {@code --name=value} arguments, every one optional ({@link #USAGE}
 * lists them with their defaults). Owns parsing and defaults only.
 *
 * @param figures          which figures to measure (1 to 7)
 * @param repeats          runs of figures 1, 2 and 3; the report gives every run and their median (the
 *                         diagnostics, figure 6 and the cold starts in fresh JVMs have their own counts)
 * @param partitions       partitions of every pipeline topic (the standalone default is 6)
 * @param dataDir          where the stack keeps its data; null: a new temporary directory, deleted at the end
 * @param reportFile       where the report is written besides standard output
 * @param floorRate        figure 1: records per second of the latency run
 * @param floorSeconds     figure 1: length of the latency run
 * @param floorBurst       figure 1: records of the throughput burst
 * @param jobRate          figure 2: requests per second
 * @param jobWarmupSeconds figure 2: warm-up at that rate before measuring
 * @param jobSeconds       figure 2: measured seconds
 * @param jobLightRate     figure 2: requests per second of one more run at a light load (0: none)
 * @param decisionVms      figure 3: VMs of one run
 * @param jobShare         figure 3: share of the VMs whose first request starts a job
 * @param failovers        figure 4: live failovers, each on a VM replicated for it
 * @param failoverParallel figure 4: failovers run at once
 * @param followedJobs     figure 5: jobs started and followed at once
 * @param followWarmupSeconds figure 5: polling before measuring, once every job is followed
 * @param followSeconds    figure 5: measured seconds
 * @param stateContexts    figure 6: VM contexts materialized before measuring at size
 * @param coldStarts       figure 7: cold starts measured in fresh JVMs (besides the benchmark's own start)
 * @param drainSeconds     the longest wait for the pipeline to go idle between runs
 * @param serviceSettings  settings given to every service of the stack ({@code --set key=value}), for tuning
 */
public record BenchmarkOptions(Set<Integer> figures, int repeats, int partitions, Path dataDir, Path reportFile,
        int floorRate, int floorSeconds, int floorBurst, int jobRate, int jobWarmupSeconds, int jobSeconds,
        int jobLightRate, int decisionVms, double jobShare, int failovers, int failoverParallel, int followedJobs,
        int followWarmupSeconds, int followSeconds, int stateContexts, int coldStarts, int drainSeconds,
        Map<String, String> serviceSettings) {

    public static final String USAGE = """
            Options (all optional, --name=value):
              --figures=1,2,3,4,5,6,7 figures to measure
              --repeats=3             runs of figures 1, 2 and 3; the median is reported
              --partitions=6          partitions of every pipeline topic
              --data-dir=DIR          keep the stack's data there (default: a temporary directory, deleted at the end)
              --report=FILE           also write the report there (default: benchmark-report.md)
              --floor-rate=1000       figure 1: records/s of the latency run
              --floor-seconds=5       figure 1: measured seconds of the latency run
              --floor-burst=50000     figure 1: records of the throughput burst
              --job-rate=100          figure 2: POST /api/v1/replications per second
              --job-warmup-seconds=5  figure 2: warm-up seconds
              --job-seconds=10        figure 2: measured seconds
              --job-light-rate=20     figure 2: one more run at this light rate (0: none)
              --decision-vms=10000    figure 3: VMs per run
              --job-share=0.2         figure 3: share of new requests that start a job
              --failovers=20          figure 4: live failovers, each on a VM replicated for it
              --failover-parallel=5   figure 4: failovers run at once
              --followed-jobs=1000    figure 5: jobs started and followed at once by progress-service
              --follow-warmup-seconds=10 figure 5: polling before measuring, once every job is followed
              --follow-seconds=30     figure 5: measured seconds
              --state-contexts=100000 figure 6: VM contexts materialized before measuring at size
              --cold-starts=1         figure 7: cold starts in fresh JVMs (besides this JVM's own)
              --drain-seconds=90      longest wait for the pipeline to go idle between runs
              --set=KEY=VALUE         a setting for every service (repeatable), e.g. --set=migratekit.streams.threads=2
            """;

    public BenchmarkOptions {
        figures = Collections.unmodifiableSet(new TreeSet<>(figures));
        serviceSettings = Collections.unmodifiableMap(new LinkedHashMap<>(serviceSettings));
        if (repeats < 1 || partitions < 1 || floorRate < 1 || floorSeconds < 1 || floorBurst < 1 || jobRate < 1
                || jobSeconds < 1 || jobWarmupSeconds < 0 || jobLightRate < 0 || decisionVms < 10 || stateContexts < 10 || coldStarts < 0
                || failovers < 1 || failoverParallel < 1 || followedJobs < 1 || followWarmupSeconds < 0
                || followSeconds < 1 || drainSeconds < 1) {
            throw new IllegalArgumentException("counts, rates and durations must be positive (decision-vms and "
                    + "state-contexts at least 10)");
        }
        if (jobShare < 0 || jobShare > 1) {
            throw new IllegalArgumentException("job-share must be between 0 and 1");
        }
    }

    public static BenchmarkOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            String name = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            if (name.equals("set")) {
                int at = value.indexOf('=');
                if (at <= 0) {
                    throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + value + "'");
                }
                settings.put(value.substring(0, at), value.substring(at + 1));
            } else {
                values.put(name, value);
            }
        }
        Options o = new Options(values);
        BenchmarkOptions options = new BenchmarkOptions(o.figures("figures", "1,2,3,4,5,6,7"), o.integer("repeats", 3),
                o.integer("partitions", 6), o.path("data-dir", null), o.path("report", "benchmark-report.md"),
                o.integer("floor-rate", 1000), o.integer("floor-seconds", 5), o.integer("floor-burst", 50_000),
                o.integer("job-rate", 100), o.integer("job-warmup-seconds", 5), o.integer("job-seconds", 10),
                o.integer("job-light-rate", 20), o.integer("decision-vms", 10_000), o.decimal("job-share", 0.2),
                o.integer("failovers", 20), o.integer("failover-parallel", 5), o.integer("followed-jobs", 1000),
                o.integer("follow-warmup-seconds", 10), o.integer("follow-seconds", 30), o.integer("state-contexts", 100_000),
                o.integer("cold-starts", 1), o.integer("drain-seconds", 90), settings);
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + values.keySet() + "\n" + USAGE);
        }
        return options;
    }

    public boolean measures(int figure) {
        return figures.contains(figure);
    }

    /** The settings as the report prints them. */
    public String describe() {
        return "repeats=" + repeats + ", partitions=" + partitions + ", floor " + floorRate + " rec/s for "
                + floorSeconds + " s + burst " + floorBurst + ", job creation " + jobRate + " req/s for " + jobSeconds
                + " s (warm-up " + jobWarmupSeconds + " s; light run at " + jobLightRate + "/s), decisions over " + decisionVms + " VMs (job share "
                + jobShare + "), " + failovers + " failovers (" + failoverParallel + " at once), " + followedJobs
                + " followed jobs (" + followWarmupSeconds + " s warm-up, " + followSeconds + " s measured), " + stateContexts + " contexts at scale, " + coldStarts + " cold start(s) in fresh JVMs"
                + (serviceSettings.isEmpty() ? "" : ", service settings " + serviceSettings);
    }

    /** Takes each option out of the map as it is read, so that what is left over is unknown. */
    private record Options(Map<String, String> values) {

        int integer(String name, int fallback) {
            String value = values.remove(name);
            try {
                return value == null ? fallback : Integer.parseInt(value.replace("_", "").trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + value + "'");
            }
        }

        double decimal(String name, double fallback) {
            String value = values.remove(name);
            try {
                return value == null ? fallback : Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, not '" + value + "'");
            }
        }

        Path path(String name, String fallback) {
            String value = values.remove(name);
            String chosen = value == null ? fallback : value;
            return chosen == null ? null : Path.of(chosen);
        }

        Set<Integer> figures(String name, String fallback) {
            String value = values.remove(name);
            Set<Integer> figures = new TreeSet<>();
            for (String part : (value == null ? fallback : value).split(",")) {
                int figure;
                try {
                    figure = Integer.parseInt(part.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--figures takes numbers, not '" + part + "'");
                }
                if (figure < 1 || figure > 7) {
                    throw new IllegalArgumentException("there is no figure " + figure + " (1 to 7)");
                }
                figures.add(figure);
            }
            return figures;
        }
    }
}
