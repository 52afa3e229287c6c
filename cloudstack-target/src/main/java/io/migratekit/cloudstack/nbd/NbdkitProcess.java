package io.migratekit.cloudstack.nbd;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one nbdkit process that serves every file of the exports directory as an export named after the
 * file (its file plugin in {@code dir=} mode). Owns starting it, adopting the one a previous run left
 * running, and stopping it; the pid file is nbdkit's own ({@code --pidfile}, written once it listens).
 *
 * <p>A process is ours only if the pid file names it and its command line names that pid file; only
 * such a process is adopted (same command line) or stopped (any other). Anything else the pid file
 * names is left alone. Linux only (reads {@code /proc/<pid>/cmdline}). Not thread-safe: its owner
 * serialises the calls.
 */
final class NbdkitProcess {

    private static final Logger log = LoggerFactory.getLogger(NbdkitProcess.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int LOG_TAIL_BYTES = 2_000;

    private final NbdServerSettings settings;
    private final Path exportsDirectory;
    private final Path pidFile;
    private final Path logFile;
    private ProcessHandle server;

    NbdkitProcess(NbdServerSettings settings, Path exportsDirectory) {
        this.settings = settings;
        this.exportsDirectory = exportsDirectory;
        this.pidFile = settings.stateDirectory().resolve("nbdkit.pid");
        this.logFile = settings.stateDirectory().resolve("nbdkit.log");
    }

    /** The server's command line; equal across runs with the same settings, which is what adoption checks. */
    List<String> command() {
        return List.of(settings.serverBinary(), "--foreground", "--ipaddr", settings.bindAddress(),
                "--port", Integer.toString(settings.port()), "--pidfile", pidFile.toString(),
                "file", "dir=" + exportsDirectory);
    }

    /** Leaves a live server as it is; otherwise adopts the previous run's or starts one. */
    void ensureRunning() {
        if (server != null && server.isAlive()) {
            return;
        }
        server = adoptPrevious().orElseGet(this::startNew);
    }

    /** The running server's pid. */
    long pid() {
        ensureRunning();
        return server.pid();
    }

    /** Stops the server (ours, started or adopted) and removes its pid file. */
    void stop() {
        if (server == null || !server.isAlive()) {
            // another process sharing the state directory may have replaced the server this one knew
            server = previous().orElse(null);
        }
        if (server != null) {
            terminate(server);
            server = null;
        }
        deleteQuietly(pidFile);
    }

    private Optional<ProcessHandle> adoptPrevious() {
        Optional<ProcessHandle> previous = previous();
        if (previous.isPresent()) {
            ProcessHandle process = previous.get();
            if (command().equals(commandLine(process.pid()))) {
                log.info("Adopted the NBD server of a previous run, pid {}", process.pid());
                return previous;
            }
            log.info("Stopping the NBD server of a previous run, pid {}: started with other settings", process.pid());
            terminate(process);
        }
        return Optional.empty();
    }

    /** The live process the pid file names, if it is ours; a pid file naming anything else is stale. */
    private Optional<ProcessHandle> previous() {
        Optional<Long> pid = readPid();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isPresent() && isOurs(commandLine(pid.get()))) {
            return process;
        }
        if (process.isPresent()) {
            log.warn("The NBD pid file {} names pid {}, which is not our server; left alone", pidFile, pid.get());
        }
        deleteQuietly(pidFile);
        return Optional.empty();
    }

    private boolean isOurs(List<String> commandLine) {
        int flag = commandLine.indexOf("--pidfile");
        return !commandLine.isEmpty()
                && Path.of(commandLine.get(0)).getFileName().equals(Path.of(settings.serverBinary()).getFileName())
                && flag >= 0 && flag + 1 < commandLine.size()
                && commandLine.get(flag + 1).equals(pidFile.toString());
    }

    private ProcessHandle startNew() {
        deleteQuietly(pidFile);
        long logStart = size(logFile);
        Process process;
        try {
            process = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new NbdExportException("cannot run the NBD server '" + settings.serverBinary()
                    + "' (Debian package nbdkit): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (readPid().filter(pid -> pid == process.pid()).isPresent()) {
                log.info("NBD server listening on {}:{}, pid {}, serving {}", settings.bindAddress(),
                        settings.port(), process.pid(), exportsDirectory);
                return process.toHandle();
            }
            if (!process.isAlive()) {
                throw new NbdExportException("the NBD server on " + settings.bindAddress() + ":" + settings.port()
                        + " exited with status " + process.exitValue() + " at start: " + tail(logFile, logStart));
            }
            sleep(POLL);
        }
        terminate(process.toHandle());
        throw new NbdExportException("the NBD server on " + settings.bindAddress() + ":" + settings.port()
                + " did not listen within " + settings.startTimeout() + ": " + tail(logFile, logStart));
    }

    private Optional<Long> readPid() {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, then SIGKILL after a grace period; returns once the process is gone. */
    private static void terminate(ProcessHandle process) {
        process.destroy();
        if (!awaitExit(process, STOP_GRACE)) {
            process.destroyForcibly();
            if (!awaitExit(process, STOP_GRACE)) {
                throw new NbdExportException("the NBD server, pid " + process.pid() + ", did not stop");
            }
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NbdExportException("interrupted while stopping the NBD server, pid " + process.pid(), e);
        }
    }

    /** The process's arguments as the kernel holds them; empty if it is gone or unreadable. */
    static List<String> commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String tail(Path file, long from) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(from, in.length() - LOG_TAIL_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(no output)" : text;
        } catch (IOException e) {
            return "(its log " + file + " is unreadable: " + e.getMessage() + ")";
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NbdExportException("interrupted", e);
        }
    }
}
