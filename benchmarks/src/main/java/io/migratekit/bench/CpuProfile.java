package io.migratekit.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the machine's CPU went between two moments, by part of the stack: this JVM's threads grouped
 * by what runs on them (their names tell: the broker's request handlers, each service's listener and
 * stream threads, the simulator, the benchmark's own clients), what the JVM spent besides its live
 * threads (garbage collection, the JIT, threads that ended), and the stack's other processes (schema
 * registry, PostgreSQL). Shares are in cores: 1.0 is one core busy for the whole interval. Owns the
 * thread-name rules; reads {@code /proc} and the JVM's thread CPU clocks.
 */
final class CpuProfile {

    static final String JVM_OTHER = "JVM: GC, JIT, ended threads";
    static final String PROGRESS = "progress-service";
    static final String HTTP_CLIENTS = "JDK HTTP clients (VMA calls, VMA callbacks)";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<Map.Entry<Pattern, String>> rules = new ArrayList<>();
    private final Path dataDir;

    /**
     * @param dataDir    the stack's data directory (to find its other processes)
     * @param intakePort the port of job-intake's web server (its Tomcat threads carry it in their names)
     */
    CpuProfile(Path dataDir, int intakePort) {
        this.dataDir = dataDir;
        rule("^bench-|^main$", "benchmark driver (load, outcome collector)");
        rule("^vmasim-|^HTTP-Dispatcher$|^idle-timeout-task$", "VMA simulator");
        rule("^HttpClient-", HTTP_CLIENTS);
        rule("job-service.*StreamThread|job-service.*StateUpdater|migratekit-job-service", "job-service decision (Streams)");
        rule("^job-workflow", "job-service workflow");
        rule("^job-projector|job-service-projector", "job-service projector");
        rule("^discovery-|discovery-service", "discovery-service");
        rule("^http-nio-[^-]+-" + intakePort + "-|^job-intake|job-intake-", "job-intake (REST API, outcome listener)");
        rule("progress", PROGRESS);
        rule("failover", "failover-service");
        rule("^http-nio-", "other services' web servers");
        rule("^(data-plane-kafka|kafka-\\d|kafka-scheduler|kafka-log-cleaner|broker-|controller-|quorum-controller"
                + "|group-coordinator|share-|transaction-log-manager|TxnMarkerSender|AddPartitionsToTxnSender"
                + "|ExpirationReaper|executor-|raft-|LogDirFailureHandler|persister|PersisterStateManager"
                + "|client-metrics-reaper|ReplicaFetcher|kafka-request-handler)", "Kafka broker");
        rule("^kafka-producer-network-thread|^kafka-coordinator-heartbeat-thread|^kafka-admin-client-thread",
                "Kafka clients (other)");
    }

    private void rule(String regex, String component) {
        rules.add(Map.entry(Pattern.compile(regex), component));
    }

    /** The part a thread belongs to; a Kafka client thread by the client id after its " | ". */
    String componentOf(String threadName) {
        int bar = threadName.indexOf(" | ");
        if (bar > 0) {
            String byClient = match(threadName.substring(bar + 3));
            if (byClient != null) {
                return byClient;
            }
        }
        String component = match(threadName);
        return component == null ? "other JVM threads (Spring, pools, housekeeping)" : component;
    }

    private String match(String name) {
        for (Map.Entry<Pattern, String> rule : rules) {
            if (rule.getKey().matcher(name).find()) {
                return rule.getValue();
            }
        }
        return null;
    }

    Snapshot snapshot() {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long time = threads.getThreadCpuTime(ids[i]);
            if (infos[i] != null && time >= 0) {
                names.put(ids[i], infos[i].getThreadName());
                cpu.put(ids[i], time);
            }
        }
        Map<Long, Long> children = new HashMap<>();
        Map<Long, String> childNames = new HashMap<>();
        for (Processes.Child child : Processes.stackChildren(dataDir)) {
            long time = Processes.cpuNanos(child.pid());
            if (time >= 0) {
                children.put(child.pid(), time);
                childNames.put(child.pid(), child.name());
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long gcMillis = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
        long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), gcMillis, jitMillis, names, cpu, childNames,
                children);
    }

    /** The CPU used from {@code before} to {@code after}, in cores, by part, largest first. */
    Usage between(Snapshot before, Snapshot after) {
        double wall = after.wallNanos() - before.wallNanos();
        Map<String, Double> byPart = new HashMap<>();
        long threadTotal = 0;
        for (Map.Entry<Long, Long> entry : after.threadCpu().entrySet()) {
            long used = entry.getValue() - before.threadCpu().getOrDefault(entry.getKey(), 0L);
            threadTotal += used;
            byPart.merge(componentOf(after.threadNames().get(entry.getKey())), used / wall, Double::sum);
        }
        long processUsed = after.processCpu() - before.processCpu();
        byPart.merge(JVM_OTHER, Math.max(0, processUsed - threadTotal) / wall, Double::sum);
        for (Map.Entry<Long, Long> entry : after.childCpu().entrySet()) {
            long used = entry.getValue() - before.childCpu().getOrDefault(entry.getKey(), 0L);
            byPart.merge(after.childNames().get(entry.getKey()) + " (process)", used / wall, Double::sum);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        byPart.entrySet().stream().filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        double total = byPart.values().stream().mapToDouble(Double::doubleValue).sum();
        return new Usage(wall / 1e9, total, sorted, (after.gcMillis() - before.gcMillis()) / 1000.0,
                (after.jitMillis() - before.jitMillis()) / 1000.0);
    }

    /** CPU clocks of this JVM, its threads and the stack's other processes at one moment. */
    record Snapshot(long wallNanos, long processCpu, long gcMillis, long jitMillis, Map<Long, String> threadNames,
            Map<Long, Long> threadCpu, Map<Long, String> childNames, Map<Long, Long> childCpu) {
    }

    /**
     * CPU used over {@code seconds}: {@code totalCores} in all, and by part; of this JVM's own share, the
     * collectors' pause time and the JIT's compilation time (both in seconds, as the JVM counts them).
     */
    record Usage(double seconds, double totalCores, Map<String, Double> coresByPart, double gcSeconds,
            double jitSeconds) {

        private String jvm() {
            return String.format(Locale.ROOT, "; GC pauses %.1f s, JIT compilation %.1f s in the interval", gcSeconds,
                    jitSeconds);
        }

        /** The usage by part, in cores. */
        String describe() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%.2f cores busy over %.1f s%s (cores, part):",
                    totalCores, seconds, jvm()));
            coresByPart.forEach((part, cores) -> out.append(String.format(Locale.ROOT, "%n      %5.2f  %s", cores, part)));
            return out.toString();
        }

        /** The usage by part, in cores and in CPU milliseconds per unit of work ({@code units} of them were done). */
        String describe(long units, String unit) {
            double perUnit = units > 0 ? totalCores * seconds * 1000 / units : Double.NaN;
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "%.2f cores busy over %.1f s, %.2f ms CPU per %s%s (cores, ms per %s, part):", totalCores, seconds,
                    perUnit, unit, jvm(), unit));
            coresByPart.forEach((part, cores) -> out.append(String.format(Locale.ROOT, "%n      %5.2f  %6.3f  %s", cores,
                    units > 0 ? cores * seconds * 1000 / units : Double.NaN, part)));
            return out.toString();
        }
    }
}
