package io.migratekit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Memory and CPU time of the stack's processes, from {@code /proc}: this JVM (Kafka broker, services,
 * simulator — its resident set from {@code /proc/self/status}) and the processes it started, found as
 * descendants of this JVM (the schema registry's JVM) or of a process started on the stack's data
 * directory (PostgreSQL, which detaches), measured by proportional set size so that pages they share
 * are counted once. Linux only; a value that cannot be read is -1. Owns nothing.
 */
final class Processes {

    private static final long TICKS_PER_SECOND = clockTicks();

    private Processes() {
    }

    static long selfPid() {
        return ProcessHandle.current().pid();
    }

    /** VmRSS of the process, in bytes. */
    static long rss(long pid) {
        return kilobytes(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /** Pss of the process (its private pages plus its share of shared ones), in bytes. */
    static long pss(long pid) {
        return kilobytes(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
    }

    /** User plus system CPU time of the process, in nanoseconds. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // Fields after the command name (which may hold spaces) start with the state, field 3.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The stack's processes besides this JVM, each with a short name. */
    static List<Child> stackChildren(Path dataDir) {
        String marker = dataDir.toAbsolutePath().toString();
        Set<ProcessHandle> found = new LinkedHashSet<>();
        ProcessHandle.current().descendants().forEach(found::add);
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != selfPid() && p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(p -> {
                    found.add(p);
                    p.descendants().forEach(found::add);
                });
        List<Child> children = new ArrayList<>();
        for (ProcessHandle process : found) {
            String command = process.info().command().orElse("");
            String line = process.info().commandLine().orElse(command);
            String name = line.contains("apicurio") || line.contains("quarkus") ? "schema registry (JVM)"
                    : command.endsWith("postgres") || line.contains("postgres") ? "PostgreSQL"
                    : command.endsWith("java") ? "other JVM" : "other";
            children.add(new Child(process.pid(), name));
        }
        return children;
    }

    /** A process of the stack and what it is. */
    record Child(long pid, String name) {
    }

    private static long kilobytes(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
