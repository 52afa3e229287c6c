package io.migratekit.cloudstack.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.NbdExport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real nbdkit serving files that stand in for the attached volumes' devices, and Debian's nbdinfo
 * and nbdcopy as its clients.
 */
class NbdExportServerTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path devices;
    private Path state;
    private int port;
    private final List<NbdExportServer> servers = new ArrayList<>();
    private final List<Process> strangers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        NbdTools.requireInstalled();
        devices = Files.createDirectories(dir.resolve("by-id"));
        state = dir.resolve("state");
        port = NbdTools.freePort();
    }

    @AfterEach
    void tearDown() {
        servers.forEach(NbdExportServer::close);
        // A test that failed half-way may leave a server of its state directory; nothing else is touched.
        ourServers().forEach(ProcessHandle::destroyForcibly);
        strangers.forEach(Process::destroyForcibly);
    }

    @Test
    void exportsAnAttachedVolumeThatNbdClientsListWriteAndReadBack() throws IOException {
        // given
        String volumeId = UUID.randomUUID().toString();
        Path device = attach(volumeId, bytes(4 * MIB, 1));
        Path source = dir.resolve("source.img");
        Files.write(source, bytes(4 * MIB, 2));
        NbdExportServer server = start(settings(port));

        // when
        NbdExport export = server.export(volumeId);

        // then
        assertThat(export).isEqualTo(new NbdExport(volumeId, "migration-vol-" + volumeId,
                "nbd://127.0.0.1:" + port + "/migration-vol-" + volumeId));
        assertThat(NbdTools.list(port)).isEqualTo(Map.of("migration-vol-" + volumeId, 4L * MIB));
        assertThat(server.exports()).containsExactly(export);

        // when the VMA writes the disk into the export
        NbdTools.copy(source.toString(), export.devicePath());

        // then the device holds it, and reading the export back gives it
        assertThat(Files.readAllBytes(device)).isEqualTo(Files.readAllBytes(source));
        Path readBack = dir.resolve("read-back.img");
        NbdTools.copy(export.devicePath(), readBack.toString());
        assertThat(Files.readAllBytes(readBack)).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    void exportingAnExportedVolumeReturnsTheSameExport() {
        // given
        String volumeId = UUID.randomUUID().toString();
        attach(volumeId, bytes(MIB, 1));
        NbdExportServer server = start(settings(port));
        NbdExport first = server.export(volumeId);

        // when
        NbdExport again = server.export(volumeId);

        // then
        assertThat(again).isEqualTo(first);
        assertThat(NbdTools.list(port)).isEqualTo(Map.of(first.exportName(), (long) MIB));
    }

    @Test
    void racingExportsOfOneVolumeMakeOneExport() throws Exception {
        // given
        String volumeId = UUID.randomUUID().toString();
        attach(volumeId, bytes(MIB, 1));
        NbdExportServer server = start(settings(port));
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<NbdExport>> results = new ArrayList<>();

        // when
        for (int i = 0; i < racers; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return server.export(volumeId);
            }));
        }
        go.countDown();
        List<NbdExport> exports = new ArrayList<>();
        for (Future<NbdExport> result : results) {
            exports.add(result.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        // then
        NbdExport expected = new NbdExport(volumeId, "migration-vol-" + volumeId,
                "nbd://127.0.0.1:" + port + "/migration-vol-" + volumeId);
        assertThat(exports).hasSize(racers).containsOnly(expected);
        assertThat(server.exports()).containsExactly(expected);
        assertThat(NbdTools.list(port)).isEqualTo(Map.of(expected.exportName(), (long) MIB));
        assertThat(ourServers()).hasSize(1);
        try (var leftovers = Files.list(state)) {
            assertThat(leftovers.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("exports", ".lock", "nbdkit.pid", "nbdkit.log");
        }
    }

    @Test
    void unexportRemovesTheExportFromTheLiveListWithoutRestartingTheServer() {
        // given
        String kept = UUID.randomUUID().toString();
        String removed = UUID.randomUUID().toString();
        attach(kept, bytes(MIB, 1));
        attach(removed, bytes(2 * MIB, 2));
        NbdExportServer server = start(settings(port));
        NbdExport keptExport = server.export(kept);
        server.export(removed);
        long pid = server.serverPid();
        assertThat(NbdTools.list(port)).containsOnlyKeys("migration-vol-" + kept, "migration-vol-" + removed);

        // when
        server.unexport(removed);
        server.unexport(removed);
        server.unexport(UUID.randomUUID().toString());

        // then
        assertThat(NbdTools.list(port)).isEqualTo(Map.of("migration-vol-" + kept, (long) MIB));
        assertThat(server.exports()).containsExactly(keptExport);
        assertThat(server.serverPid()).isEqualTo(pid);
        assertThat(ourServers()).extracting(ProcessHandle::pid).containsExactly(pid);
    }

    @Test
    void exportsTwoVolumesConcurrentlyEachWithItsOwnBytes() throws Exception {
        // given one device present and one that appears while its export waits
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        Path firstDevice = attach(first, bytes(2 * MIB, 1));
        Path firstSource = Files.write(dir.resolve("first.img"), bytes(2 * MIB, 3));
        Path secondSource = Files.write(dir.resolve("second.img"), bytes(3 * MIB, 4));
        NbdExportServer server = start(settings(port));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);

        // when
        Future<NbdExport> firstExport = pool.submit(() -> {
            go.await();
            return server.export(first);
        });
        Future<NbdExport> secondExport = pool.submit(() -> {
            go.await();
            return server.export(second);
        });
        go.countDown();
        Path secondDevice = attach(second, bytes(3 * MIB, 2));
        NbdExport a = firstExport.get(30, TimeUnit.SECONDS);
        NbdExport b = secondExport.get(30, TimeUnit.SECONDS);
        Future<?> writeA = pool.submit(() -> NbdTools.copy(firstSource.toString(), a.devicePath()));
        Future<?> writeB = pool.submit(() -> NbdTools.copy(secondSource.toString(), b.devicePath()));
        writeA.get(60, TimeUnit.SECONDS);
        writeB.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        // then
        assertThat(NbdTools.list(port)).isEqualTo(Map.of(
                "migration-vol-" + first, 2L * MIB, "migration-vol-" + second, 3L * MIB));
        assertThat(Files.readAllBytes(firstDevice)).isEqualTo(Files.readAllBytes(firstSource));
        assertThat(Files.readAllBytes(secondDevice)).isEqualTo(Files.readAllBytes(secondSource));
        assertThat(ourServers()).hasSize(1);
    }

    @Test
    void aRestartAfterACrashAdoptsTheRunningServerAndKeepsServing() throws IOException {
        // given a run that exported a volume and died without closing anything
        String volumeId = UUID.randomUUID().toString();
        Path device = attach(volumeId, bytes(MIB, 1));
        NbdExportServer crashed = NbdExportServer.start(settings(port));
        NbdExport export = crashed.export(volumeId);
        long pid = crashed.serverPid();

        // when
        NbdExportServer restarted = start(settings(port));

        // then the same server still serves the export, and it is the only one
        assertThat(restarted.serverPid()).isEqualTo(pid);
        assertThat(ourServers()).extracting(ProcessHandle::pid).containsExactly(pid);
        assertThat(restarted.exports()).containsExactly(export);
        Path source = Files.write(dir.resolve("source.img"), bytes(MIB, 5));
        NbdTools.copy(source.toString(), export.devicePath());
        assertThat(Files.readAllBytes(device)).isEqualTo(Files.readAllBytes(source));

        // when
        restarted.close();

        // then
        assertThat(ourServers()).isEmpty();
        assertThat(reachable(port)).isFalse();
    }

    @Test
    void aRestartAfterCloseServesTheRecordedExportsAgain() {
        // given
        String volumeId = UUID.randomUUID().toString();
        attach(volumeId, bytes(MIB, 1));
        NbdExportServer first = NbdExportServer.start(settings(port));
        NbdExport export = first.export(volumeId);
        long firstPid = first.serverPid();
        first.close();
        assertThat(ourServers()).isEmpty();

        // when
        NbdExportServer second = start(settings(port));

        // then
        assertThat(second.serverPid()).isNotEqualTo(firstPid);
        assertThat(ourServers()).extracting(ProcessHandle::pid).containsExactly(second.serverPid());
        assertThat(second.exports()).containsExactly(export);
        assertThat(NbdTools.list(port)).isEqualTo(Map.of(export.exportName(), (long) MIB));
    }

    @Test
    void aServerThatDiedIsStartedAgainByTheNextExportWithEveryExport() {
        // given
        String before = UUID.randomUUID().toString();
        String after = UUID.randomUUID().toString();
        attach(before, bytes(MIB, 1));
        attach(after, bytes(2 * MIB, 2));
        NbdExportServer server = start(settings(port));
        server.export(before);
        ProcessHandle died = ProcessHandle.of(server.serverPid()).orElseThrow();
        died.destroyForcibly();
        died.onExit().join();

        // when
        server.export(after);

        // then
        assertThat(server.serverPid()).isNotEqualTo(died.pid());
        assertThat(ourServers()).extracting(ProcessHandle::pid).containsExactly(server.serverPid());
        assertThat(NbdTools.list(port)).isEqualTo(Map.of(
                "migration-vol-" + before, (long) MIB, "migration-vol-" + after, 2L * MIB));
    }

    @Test
    void aRestartWithAnotherPortStopsThePreviousServerAndServesOnTheNewOne() {
        // given
        String volumeId = UUID.randomUUID().toString();
        attach(volumeId, bytes(MIB, 1));
        NbdExportServer crashed = NbdExportServer.start(settings(port));
        crashed.export(volumeId);
        long oldPid = crashed.serverPid();
        int newPort = NbdTools.freePort();

        // when
        NbdExportServer restarted = start(settings(newPort));

        // then
        assertThat(ProcessHandle.of(oldPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ourServers()).extracting(ProcessHandle::pid).containsExactly(restarted.serverPid());
        assertThat(reachable(port)).isFalse();
        assertThat(NbdTools.list(newPort)).isEqualTo(Map.of("migration-vol-" + volumeId, (long) MIB));
    }

    @Test
    void leavesAProcessThatThePidFileNamesButIsNotOurServerAlone() throws IOException {
        // given a stale pid file naming a live process that is not nbdkit
        Process stranger = new ProcessBuilder("sleep", "120").start();
        strangers.add(stranger);
        Files.createDirectories(state);
        Files.writeString(state.resolve("nbdkit.pid"), stranger.pid() + "\n");

        // when
        NbdExportServer server = start(settings(port));

        // then
        assertThat(stranger.isAlive()).isTrue();
        assertThat(server.serverPid()).isNotEqualTo(stranger.pid());
        assertThat(ourServers()).extracting(ProcessHandle::pid).containsExactly(server.serverPid());
        assertThat(NbdTools.list(port)).isEmpty();
    }

    @Test
    void aDeviceThatDoesNotAppearFailsClearlyWithinTheBoundAndExportsNothing() {
        // given
        String volumeId = "0b4f7c1e-9d2a-4e6b-8f3c-5a1d2e3f4a5b";
        NbdExportServer server = start(settings(port).withDeviceWait(Duration.ofMillis(500)));
        long started = System.nanoTime();

        // when / then
        assertThatThrownBy(() -> server.export(volumeId))
                .isInstanceOf(NbdExportException.class)
                .hasMessage("the device of volume " + volumeId + " did not appear at "
                        + devices.toAbsolutePath().resolve("virtio-0b4f7c1e9d2a4e6b8f3c") + " within PT0.5S;"
                        + " is the volume attached to this appliance?");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(10));
        assertThat(server.exports()).isEmpty();
        assertThat(NbdTools.list(port)).isEmpty();
    }

    @Test
    void aPortInUseFailsTheStartWithTheServersOwnReason() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            // given
            taken.bind(new InetSocketAddress("127.0.0.1", port));

            // when / then
            assertThatThrownBy(() -> start(settings(port)))
                    .isInstanceOf(NbdExportException.class)
                    .hasMessageStartingWith("the NBD server on 127.0.0.1:" + port + " exited with status 1 at start: ")
                    .hasMessageContaining("Address already in use");
            assertThat(ourServers()).isEmpty();
        }
    }

    @Test
    void aMissingServerBinaryFailsTheStartWithWhatToInstall() {
        // given
        NbdServerSettings settings = new NbdServerSettings(devices, state, "127.0.0.1", port, "127.0.0.1",
                "nbdkit-that-is-not-installed", Duration.ofSeconds(1), Duration.ofSeconds(10));

        // when / then
        assertThatThrownBy(() -> start(settings))
                .isInstanceOf(NbdExportException.class)
                .hasMessageStartingWith("cannot run the NBD server 'nbdkit-that-is-not-installed' (Debian package nbdkit): ");
    }

    private NbdExportServer start(NbdServerSettings settings) {
        NbdExportServer server = NbdExportServer.start(settings);
        servers.add(server);
        return server;
    }

    private NbdServerSettings settings(int serverPort) {
        return new NbdServerSettings(devices, state, "127.0.0.1", serverPort, "127.0.0.1", "nbdkit",
                Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    /** What the hypervisor and udev do on attach: the device appears under its by-id name. */
    private Path attach(String volumeId, byte[] content) {
        try {
            return Files.write(devices.resolve(VolumeDevices.deviceName(volumeId)), content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every live nbdkit started with this test's pid file. */
    private List<ProcessHandle> ourServers() {
        String pidFile = state.resolve("nbdkit.pid").toString();
        return ProcessHandle.allProcesses()
                .filter(process -> NbdkitProcess.commandLine(process.pid()).contains(pidFile))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
