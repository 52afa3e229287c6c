package io.migratekit.cloudstack.nbd;

import io.migratekit.cloudstack.NbdExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's NBD exports of its attached volumes: one nbdkit on one port serves the directory
 * {@code <state>/exports}, in which each export is a symbolic link {@code migration-vol-<volume id>}
 * to the volume's device {@code <device directory>/virtio-<serial>}. Exporting or unexporting is
 * adding or removing a link; the server reads the directory on every connection and list request, so
 * it is never restarted for it.
 *
 * <p>The links are the state: they outlive {@link #close()} and a crash, and {@link #start} serves
 * them again — adopting the previous run's server if it still runs with the same settings, stopping it
 * if it runs with others, never touching a process that is not ours (see {@link NbdkitProcess}).
 *
 * <p>It owns no volume: attaching and detaching are CloudStack's ({@code TargetPlatform}); the caller
 * exports after attach and unexports before detach, once the VMA has finished writing (removing a
 * link ends no open connection).
 *
 * <p>Thread- and process-safe: several service processes on one appliance (job-service and
 * failover-service) share the state directory, so every change of it and of the server (start or
 * adopt, export, unexport, stop) runs under an exclusive lock on {@code <state>/.lock}
 * ({@link FileChannel#lock()}, between processes) and a lock per state directory within this JVM
 * (a file lock is held by the whole process, so two servers of one JVM must not both take it).
 */
public final class NbdExportServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NbdExportServer.class);
    private static final String EXPORT_PREFIX = NbdExport.exportName("");
    private static final String PENDING_LINK_PREFIX = ".link-";
    private static final Duration DEVICE_POLL = Duration.ofMillis(100);
    private static final String LOCK_FILE = ".lock";
    private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final NbdServerSettings settings;
    private final Path exportsDirectory;
    private final NbdkitProcess server;
    private final Path lockFile;

    private NbdExportServer(NbdServerSettings settings) {
        this.settings = settings;
        this.exportsDirectory = settings.stateDirectory().toAbsolutePath().resolve("exports");
        this.server = new NbdkitProcess(settings, exportsDirectory);
        this.lockFile = settings.stateDirectory().toAbsolutePath().normalize().resolve(LOCK_FILE);
    }

    /** Creates the state directory if needed and serves the exports found there (those of a previous run). */
    public static NbdExportServer start(NbdServerSettings settings) {
        NbdExportServer exports = new NbdExportServer(settings);
        exports.open();
        return exports;
    }

    private void open() {
        try {
            Files.createDirectories(exportsDirectory);
        } catch (IOException e) {
            throw new NbdExportException("cannot create the NBD state directory " + settings.stateDirectory()
                    + ": " + e.getMessage(), e);
        }
        locked(() -> {
            removePendingLinks();
            server.ensureRunning();
            return null;
        });
        log.info("NBD exports at start: {}", exports());
    }

    /** Links a crashed export left half-made (safe under the lock: no export of another process is under way). */
    private void removePendingLinks() {
        try {
            try (DirectoryStream<Path> pending = Files.newDirectoryStream(settings.stateDirectory(),
                    PENDING_LINK_PREFIX + "*")) {
                for (Path link : pending) {
                    Files.deleteIfExists(link);
                }
            }
        } catch (IOException e) {
            throw new NbdExportException("cannot prepare the NBD state directory " + settings.stateDirectory()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Exports the attached volume as {@code migration-vol-<volume id>}, once its device has appeared
     * (waiting up to {@link NbdServerSettings#deviceWait()}); exporting an exported volume returns the
     * same export.
     *
     * @throws NbdExportException if the device does not appear in time or the server cannot run
     */
    public NbdExport export(String volumeId) {
        Path device = awaitDevice(volumeId);
        return locked(() -> {
            Path link = exportsDirectory.resolve(NbdExport.exportName(volumeId));
            try {
                if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(device)) {
                    // Made aside, then renamed in: the server never sees a half-made export.
                    Path pending = settings.stateDirectory().resolve(PENDING_LINK_PREFIX + UUID.randomUUID());
                    Files.createSymbolicLink(pending, device);
                    Files.move(pending, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    log.info("Exported volume {} ({}) as {}", volumeId, device, link.getFileName());
                }
            } catch (IOException e) {
                throw new NbdExportException("cannot export volume " + volumeId + ": " + e.getMessage(), e);
            }
            server.ensureRunning();
            return export(volumeId, settings);
        });
    }

    /** Ends the export of the volume; a volume that is not exported is already unexported. */
    public void unexport(String volumeId) {
        Path link = exportsDirectory.resolve(NbdExport.exportName(VolumeDevices.requireVolumeId(volumeId)));
        locked(() -> {
            try {
                if (Files.deleteIfExists(link)) {
                    log.info("Unexported volume {}", volumeId);
                }
            } catch (IOException e) {
                throw new NbdExportException("cannot unexport volume " + volumeId + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    /** The current exports, by volume id. */
    public List<NbdExport> exports() {
        List<NbdExport> exports = new ArrayList<>();
        try (DirectoryStream<Path> links = Files.newDirectoryStream(exportsDirectory, EXPORT_PREFIX + "*")) {
            for (Path link : links) {
                String volumeId = link.getFileName().toString().substring(EXPORT_PREFIX.length());
                if (VolumeDevices.isVolumeId(volumeId)) {
                    exports.add(export(volumeId, settings));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the NBD exports in " + exportsDirectory, e);
        }
        exports.sort(Comparator.comparing(NbdExport::volumeId));
        return exports;
    }

    /** The pid of the server process (started now or adopted); restarts a server that has died. */
    public long serverPid() {
        return locked(server::pid);
    }

    /** Stops the server; the exports stay recorded and are served again by the next {@link #start}. */
    @Override
    public void close() {
        locked(() -> {
            server.stop();
            return null;
        });
    }

    /** Runs {@code action} holding this state directory's lock: within this JVM, then between processes. */
    private <T> T locked(Supplier<T> action) {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, file -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return action.get();
        } catch (IOException e) {
            throw new NbdExportException("cannot lock the NBD state directory " + settings.stateDirectory() + ": "
                    + e.getMessage(), e);
        } finally {
            jvmLock.unlock();
        }
    }

    private Path awaitDevice(String volumeId) {
        Path device = settings.deviceDirectory().toAbsolutePath().resolve(VolumeDevices.deviceName(volumeId));
        long deadline = System.nanoTime() + settings.deviceWait().toNanos();
        while (!Files.exists(device) || Files.isDirectory(device)) {
            if (System.nanoTime() >= deadline) {
                throw new NbdExportException("the device of volume " + volumeId + " did not appear at " + device
                        + " within " + settings.deviceWait() + "; is the volume attached to this appliance?");
            }
            NbdkitProcess.sleep(DEVICE_POLL);
        }
        return device;
    }

    private static NbdExport export(String volumeId, NbdServerSettings settings) {
        return NbdExport.of(volumeId, settings.advertisedHost(), settings.port());
    }
}
