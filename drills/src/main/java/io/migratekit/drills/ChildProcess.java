package io.migratekit.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.migratekit.infra.ChildGuard;

/**
 * One child JVM of a drill (a broker, a simulator or one service instance): its command, its
 * environment, its log file (appended across restarts) and its readiness probe. Owns the process:
 * {@link #kill()} is SIGKILL (no shutdown hook runs, as in a crash), {@link #start()} runs the same
 * command again. A child cannot outlive the drill's JVM ({@link ChildGuard}). Knows nothing of what the process is.
 */
public final class ChildProcess {

    /** Small JVMs: the drills run up to nine of them on two cores. */
    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx320m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xss512k", "-XX:ReservedCodeCacheSize=64m");

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private final BooleanSupplier ready;
    private final String owner;
    private volatile Process process;
    private volatile ChildGuard.Watcher watcher;
    private volatile long startedAt;

    ChildProcess(String name, String classpath, String mainClass, List<String> arguments,
            Map<String, String> environment, Path logFile, BooleanSupplier ready) {
        this.name = name;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTIONS);
        // Marks the process as this drill's, so that it is stopped when the drill's JVM dies first.
        this.owner = "-Dmigratekit.owner=" + name + "-of-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        cmd.add(owner);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(arguments);
        this.command = List.copyOf(cmd);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
        this.ready = ready;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** Starts the process (again); returns at once. */
    public synchronized ChildProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "==== start of " + name + " ====\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            // The standalone logback.xml on the classpath also logs to <MIGRATEKIT_DATA_DIR>/logs: keep it beside this log.
            builder.environment().putIfAbsent("MIGRATEKIT_DATA_DIR", logFile.getParent().resolve(name).toString());
            process = builder.start();
            watcher = ChildGuard.watch(process.pid(), owner, "KILL");
            startedAt = System.nanoTime();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** SIGKILL, then waits for the process to be gone. */
    public synchronized void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroyForcibly();
        waitFor(running, Duration.ofSeconds(30));
        watcher.cancel();
    }

    /** SIGTERM (the JVM's shutdown hooks run), forcibly after 20 s. */
    public synchronized void stop() {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        if (!waitFor(running, Duration.ofSeconds(20))) {
            running.destroyForcibly();
            waitFor(running, Duration.ofSeconds(10));
        }
        watcher.cancel();
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits until the readiness probe answers yes; fails when the process dies first or the limit
     * passes, naming the log to read. Returns the time since the (re)start.
     */
    public Duration awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; "
                        + "see " + logFile);
            }
            if (ready.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - startedAt);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " was not ready within " + limit + "; see " + logFile);
    }

    /** Waits for a process that does one thing and exits (a tool); fails unless it exits with 0 in time. */
    public void awaitExit(Duration limit) {
        if (!waitFor(process, limit)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + limit + "; see " + logFile);
        }
        watcher.cancel();
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logFile);
        }
    }

    private static boolean waitFor(Process process, Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
