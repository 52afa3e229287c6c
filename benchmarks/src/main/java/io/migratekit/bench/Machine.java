package io.migratekit.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The machine a figure was measured on, as the report prints it beside every figure: cores, memory,
 * CPU model, JVM (version, heap limit, collector, options), operating system and the load average
 * when the benchmark started (other work on the machine shows there). Reads {@code /proc} and the JVM;
 * owns nothing.
 */
record Machine(int cores, long memoryBytes, String cpuModel, String jvm, long maxHeapBytes, String collectors,
        List<String> jvmOptions, String os, String loadAverage) {

    static Machine current() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        return new Machine(Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(), readCpuModel(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory(), collectors,
                ManagementFactory.getRuntimeMXBean().getInputArguments(), operatingSystem(), currentLoadAverage());
    }

    String describe() {
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB memory; %s, max heap %.1f GiB, %s; %s; JVM options %s;"
                + " load average at start %s", cores, cpuModel, memoryBytes / (double) (1L << 30), jvm,
                maxHeapBytes / (double) (1L << 30), collectors, os, jvmOptions.isEmpty() ? "none" : jvmOptions,
                loadAverage);
    }

    /** The 1, 5 and 15 minute load averages now. */
    static String currentLoadAverage() {
        String line = read(Path.of("/proc/loadavg"));
        String[] parts = line.trim().split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
    }

    private static String readCpuModel() {
        for (String line : read(Path.of("/proc/cpuinfo")).split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static String operatingSystem() {
        String pretty = null;
        for (String line : read(Path.of("/etc/os-release")).split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                pretty = line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        return pretty == null ? kernel : pretty + ", " + kernel;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
