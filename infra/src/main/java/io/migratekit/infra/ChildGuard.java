package io.migratekit.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the processes this JVM starts (PostgreSQL, the registry, a drill's child JVMs) from outliving it, and stops
 * the ones a killed JVM of an earlier run left behind.
 *
 * <p>A process is recognised as ours by a <em>marker</em>: one whole argument of its command line that only we put
 * there (PostgreSQL's data directory after {@code -D}, an {@code -Dmigratekit.owner=…} property of a child JVM).
 * Nothing is ever signalled whose command line does not carry the marker, so a recycled pid is safe.
 *
 * <p>{@link #watch} starts a small {@code sh} watcher in a session of its own: it polls this JVM's pid and, once the
 * JVM is gone without having cancelled it (a {@code kill -9}, an OOM kill), stops the child with the given signal,
 * and with SIGKILL if it is still there after {@link #LEFTOVER_GRACE}. A clean stop cancels the watcher. It does not
 * decide the order in which children stop: their owners do.
 */
public final class ChildGuard {

    private static final Logger log = LoggerFactory.getLogger(ChildGuard.class);

    /** How long a leftover gets to stop after its signal before SIGKILL. */
    public static final Duration LEFTOVER_GRACE = Duration.ofSeconds(15);

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** Arguments: parent pid, child pid, marker, signal, grace in half seconds. */
    private static final String WATCHER = String.join("\n",
            "parent=$1; child=$2; marker=$3; signal=$4; grace=$5",
            "ours() { [ -r /proc/$child/cmdline ] && tr '\\000' '\\n' < /proc/$child/cmdline | grep -qxF -- \"$marker\"; }",
            "while kill -0 \"$parent\" 2>/dev/null; do sleep 1; done",
            "ours || exit 0",
            "kill -s \"$signal\" \"$child\"",
            "n=0; while ours && [ $n -lt \"$grace\" ]; do sleep 0.5; n=$((n+1)); done",
            "ours && kill -s KILL \"$child\"",
            "exit 0");

    private ChildGuard() {
    }

    /**
     * The command to run in a session of its own (through {@code setsid} where the machine has it), so that a
     * terminal's Ctrl-C, sent to the whole foreground process group, reaches only the JVM, which then stops its
     * children in order.
     */
    public static List<String> inOwnSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * Starts a watcher that stops {@code pid} with {@code signal} once this JVM is gone, if its command line still
     * carries {@code marker}. Cancel the returned watcher when the child is stopped cleanly.
     */
    public static Watcher watch(long pid, String marker, String signal) {
        List<String> command = inOwnSession(List.of("sh", "-c", WATCHER, "child-guard",
                Long.toString(ProcessHandle.current().pid()), Long.toString(pid), marker, signal,
                Long.toString(LEFTOVER_GRACE.toMillis() / 500)));
        try {
            Process watcher = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new Watcher(watcher);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watcher of process " + pid, e);
        }
    }

    /**
     * Stops a process a previous run left behind: if {@code pid} is alive and its command line carries
     * {@code marker}, sends it {@code signal}, waits up to {@link #LEFTOVER_GRACE}, then SIGKILL. Returns whether
     * there was one.
     */
    public static boolean stopLeftover(long pid, String marker, String signal, String what) {
        if (!isOurs(pid, marker)) {
            return false;
        }
        log.warn("{} of an earlier run is still running (pid {}): stopping it with SIG{}", what, pid, signal);
        signal(pid, signal);
        long deadline = System.nanoTime() + LEFTOVER_GRACE.toNanos();
        while (isOurs(pid, marker) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
        }
        if (isOurs(pid, marker)) {
            log.warn("{} (pid {}) did not stop within {} s: SIGKILL", what, pid, LEFTOVER_GRACE.toSeconds());
            signal(pid, "KILL");
            long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (isOurs(pid, marker) && System.nanoTime() < killDeadline) {
                sleep(Duration.ofMillis(100));
            }
        }
        return true;
    }

    /** Whether {@code pid} is a live process with {@code marker} as one whole argument of its command line. */
    static boolean isOurs(long pid, String marker) {
        return commandLine(pid).contains(marker);
    }

    /** The arguments of a live process, its program first; empty when there is no such process. */
    static List<String> commandLine(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -s \"$1\" \"$2\"", "kill", signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal process " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a process to stop", e);
        }
    }

    /** A running watcher; {@link #cancel()} ends it without touching the child. */
    public static final class Watcher {
        private final Process process;

        private Watcher(Process process) {
            this.process = process;
        }

        public void cancel() {
            process.destroy();
        }
    }
}
