package io.migratekit.cloudstack.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.cloudstack.NbdExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service processes on one appliance share one NBD state directory: started at the same moment,
 * each exporting and unexporting volumes of its own, they must end with one nbdkit serving exactly the
 * exports both left, and neither may fail. Each process is a JVM of its own ({@link #main}), so the
 * guard proven is the lock between processes, not a Java monitor.
 */
class NbdExportServerRaceTest {

    private static final int VOLUMES_PER_PROCESS = 8;
    private static final int ROUNDS = 6;
    private static final long DEVICE_SIZE = 1 << 20;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<Long> serverPids = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(Process::destroyForcibly);
        serverPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void twoProcessesStartingAndExportingAtOnceShareOneServerAndLoseNoExport() throws Exception {
        // given the devices of each process's volumes, and a gate both processes wait on
        NbdTools.requireInstalled();
        Path devices = Files.createDirectories(dir.resolve("by-id"));
        Path state = dir.resolve("state");
        int port = NbdTools.freePort();
        Path go = dir.resolve("go");
        Path stop = dir.resolve("stop");
        List<List<String>> volumes = List.of(volumes(devices), volumes(devices));

        // when both, at the same time, start, export all their volumes, unexport every third and stop the
        // server, several times over, and then start and export once more
        for (int i = 0; i < 2; i++) {
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), NbdExportServerRaceTest.class.getName(),
                    devices.toString(), state.toString(), String.valueOf(port), go.toString(), stop.toString()));
            command.addAll(volumes.get(i));
            processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("process-" + i + ".log").toFile()).start());
        }
        Files.createFile(go);
        for (int i = 0; i < 2; i++) {
            serverPids.add(awaitServerPid(i));
        }

        // then, while both still run: one server of this state directory, serving exactly what both left exported
        List<Long> running = ourServers(state);
        assertThat(running).hasSize(1);
        serverPids.addAll(running);
        Map<String, Long> expected = new HashMap<>();
        for (List<String> own : volumes) {
            for (int v = 0; v < own.size(); v++) {
                if (v % 3 != 0) {
                    expected.put(NbdExport.exportName(own.get(v)), DEVICE_SIZE);
                }
            }
        }
        assertThat(NbdTools.list(port)).isEqualTo(expected);
        assertThat(Files.list(state).map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".link-")))
                .as("no half-made export is left").isEmpty();
        // and neither failed
        Files.createFile(stop);
        for (int i = 0; i < 2; i++) {
            assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).as("process %d ended", i).isTrue();
            assertThat(processes.get(i).exitValue()).as("process %d: %s", i, log(i)).isZero();
        }
    }

    /** The pid of the server process {@code i} says it exported through; fails if it ends without saying. */
    private long awaitServerPid(int i) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String pid = log(i).lines().filter(line -> line.startsWith("server-pid=")).findFirst().orElse(null);
            if (pid != null) {
                return Long.parseLong(pid.substring("server-pid=".length()));
            }
            assertThat(processes.get(i).isAlive()).as("process %d: %s", i, log(i)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("process " + i + " did not export in time: " + log(i));
    }

    private String log(int i) throws IOException {
        return Files.readString(dir.resolve("process-" + i + ".log"));
    }

    /**
     * One racing service process: args device dir, state dir, port, go file, stop file, volume ids. Waits
     * for the go file; {@link #ROUNDS} times starts the server, exports every volume, unexports every
     * third and stops it; then starts it and exports once more, prints the server's pid, and runs on (as
     * a service does) until the stop file appears.
     */
    public static void main(String[] args) throws Exception {
        Path gate = Path.of(args[3]);
        while (!Files.exists(gate)) {
            Thread.sleep(1);
        }
        NbdServerSettings settings = settings(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]));
        for (int round = 0; round < ROUNDS; round++) {
            exportOwn(NbdExportServer.start(settings), args).close();
        }
        NbdExportServer server = exportOwn(NbdExportServer.start(settings), args);
        System.out.println("server-pid=" + server.serverPid());
        Path stop = Path.of(args[4]);
        while (!Files.exists(stop)) {
            Thread.sleep(10);
        }
    }

    private static NbdExportServer exportOwn(NbdExportServer server, String[] args) {
        for (int i = 5; i < args.length; i++) {
            server.export(args[i]);
        }
        for (int i = 5; i < args.length; i += 3) {
            server.unexport(args[i]);
        }
        return server;
    }

    /** The live nbdkit processes started with this state directory's pid file. */
    private static List<Long> ourServers(Path state) {
        String pidFile = state.resolve("nbdkit.pid").toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(process -> NbdkitProcess.commandLine(process.pid()).contains(pidFile))
                .map(ProcessHandle::pid).toList();
    }

    private static NbdServerSettings settings(Path devices, Path state, int port) {
        return new NbdServerSettings(devices, state, "127.0.0.1", port, "127.0.0.1", "nbdkit", Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    private static List<String> volumes(Path devices) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < VOLUMES_PER_PROCESS; i++) {
            String id = UUID.randomUUID().toString();
            try (var file = new java.io.RandomAccessFile(devices.resolve(VolumeDevices.deviceName(id)).toFile(), "rw")) {
                file.setLength(DEVICE_SIZE);
            }
            ids.add(id);
        }
        return ids;
    }
}
