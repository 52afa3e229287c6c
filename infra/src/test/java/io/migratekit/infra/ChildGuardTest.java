package io.migratekit.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real parent JVM ({@link CrashedParentMain}) with PostgreSQL and the registry as its children is killed with
 * SIGKILL, as an OOM kill or a power cut would: its children must not outlive it, and the next start on the same
 * data directory must work and still have the data.
 */
class ChildGuardTest {

    private static final String PASSWORD = "crash-test-password";

    @Test
    void childrenOfAKilledParentStopAndTheNextStartKeepsTheData(@TempDir Path dataDir) throws Exception {
        // given a parent JVM running PostgreSQL and the registry, with a row stored
        Process parent = startParent(dataDir);
        long[] children = awaitReady(parent);

        // when the parent is killed with SIGKILL
        parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        // then neither child outlives it for long
        awaitGone(children[0], Duration.ofSeconds(30));
        awaitGone(children[1], Duration.ofSeconds(30));
        // and the next start on the same data directory works, with the password, and has the row
        assertThat(rowsAfterRestart(dataDir)).containsExactly(42);
        // and a login with another password is refused
        try (PostgresServer postgres = PostgresServer.builder().dataDir(dataDir.resolve("postgres")).password(PASSWORD)
                .start()) {
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("kept"), postgres.username(),
                    "not-the-password").close()).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void aStartStopsTheLeftoversOfAKilledParentWhoseWatchersDiedToo(@TempDir Path dataDir) throws Exception {
        // given a parent JVM running PostgreSQL and the registry, whose watchers are killed before it is
        Process parent = startParent(dataDir);
        long[] children = awaitReady(parent);
        for (ProcessHandle watcher : watchersOf(parent.pid())) {
            watcher.destroyForcibly();
        }
        parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(2_000);
        assertThat(alive(children[0])).as("orphaned postmaster").isTrue();
        assertThat(alive(children[1])).as("orphaned registry").isTrue();

        // when PostgreSQL and the registry start again on the same data directory and pid file
        List<Integer> rows = rowsAfterRestart(dataDir);
        try (PostgresServer postgres = PostgresServer.builder().dataDir(dataDir.resolve("postgres"))
                .password(PASSWORD).start();
                RegistryServer registry = RegistryServer.builder().pidFile(dataDir.resolve("registry.pid"))
                        .logFile(dataDir.resolve("registry.log")).postgresStorage(postgres.createDatabase("registry"),
                                postgres.username(), postgres.password()).start()) {
            // then the leftovers were stopped, and the new ones run
            assertThat(alive(children[0])).as("the leftover postmaster").isFalse();
            assertThat(alive(children[1])).as("the leftover registry").isFalse();
            assertThat(registry.port()).isPositive();
        }
        assertThat(rows).containsExactly(42);
    }

    @Test
    void aProcessWithoutTheMarkerIsNeverTouched() throws Exception {
        // given a process that is not ours
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            // when a start believes it is a leftover of its own
            boolean stopped = ChildGuard.stopLeftover(stranger.pid(), "-Dmigratekit.owner=not-this-one", "TERM", "test");

            // then it is left alone
            assertThat(stopped).isFalse();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }

    private static Process startParent(Path dataDir) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CrashedParentMain.class.getName(), dataDir.toString(),
                PASSWORD);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the parent's output until its READY line: the postmaster's and the registry's pids. */
    private static long[] awaitReady(Process parent) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                String[] parts = line.split(" ");
                Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }));
                drain.setDaemon(true);
                drain.start();
                return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
            }
            seen.add(line);
        }
        throw new AssertionError("the parent JVM ended before it was ready:\n" + String.join("\n", seen));
    }

    private static List<ProcessHandle> watchersOf(long parentPid) {
        return ProcessHandle.allProcesses().filter(process -> process.info().arguments()
                .map(arguments -> List.of(arguments).contains("child-guard")
                        && List.of(arguments).contains(Long.toString(parentPid)))
                .orElse(false)).toList();
    }

    private static void awaitGone(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (alive(pid)) {
            assertThat(System.nanoTime()).as("process %d still alive after %s", pid, limit).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static List<Integer> rowsAfterRestart(Path dataDir) throws Exception {
        try (PostgresServer postgres = PostgresServer.builder().dataDir(dataDir.resolve("postgres")).password(PASSWORD)
                .start();
                Connection connection = postgres.dataSource("kept").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM job ORDER BY id")) {
            List<Integer> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
            return ids;
        }
    }
}
