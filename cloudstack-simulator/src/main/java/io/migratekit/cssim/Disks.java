package io.migratekit.cssim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The bytes behind volumes and snapshots: a sparse backing file per volume
 * ({@code <data>/volumes/<id>.img}) and per snapshot ({@code <data>/snapshots/<id>.img}), and the
 * device entries of volumes attached to the appliance: a symbolic link
 * {@code <device dir>/virtio-<first 20 hex of the id>} to the volume's backing file, as
 * {@code /dev/disk/by-id} holds links to the real devices. Detaching removes the link and keeps
 * the backing file, so the content survives detach and attach.
 *
 * <p>Owns file layout and copying only; which volume is attached where belongs to {@link Cloud}.
 */
final class Disks {

    private static final int CHUNK = 4 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();

    private final Path volumesDir;
    private final Path snapshotsDir;
    private final Path deviceDir;

    Disks(Path dataDir, Path deviceDir) {
        this.volumesDir = dataDir.resolve("volumes");
        this.snapshotsDir = dataDir.resolve("snapshots");
        this.deviceDir = deviceDir;
        try {
            Files.createDirectories(volumesDir);
            Files.createDirectories(snapshotsDir);
            Files.createDirectories(deviceDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the simulator's directories", e);
        }
    }

    /** {@code virtio-} and the first 20 hex characters of the volume id without hyphens. */
    static String deviceName(String volumeId) {
        String hex = volumeId.replace("-", "");
        return "virtio-" + hex.substring(0, Math.min(20, hex.length()));
    }

    Path volumeFile(String volumeId) {
        return volumesDir.resolve(volumeId + ".img");
    }

    Path snapshotFile(String snapshotId) {
        return snapshotsDir.resolve(snapshotId + ".img");
    }

    Path deviceLink(String volumeId) {
        return deviceDir.resolve(deviceName(volumeId));
    }

    /** Creates the volume's sparse backing file of the given size (kept if it exists). */
    void createVolume(String volumeId, long sizeBytes) {
        Path file = volumeFile(volumeId);
        if (Files.exists(file)) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(sizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create backing file of volume " + volumeId, e);
        }
    }

    void snapshotVolume(String volumeId, String snapshotId) {
        sparseCopy(volumeFile(volumeId), snapshotFile(snapshotId));
    }

    void volumeFromSnapshot(String snapshotId, String volumeId) {
        sparseCopy(snapshotFile(snapshotId), volumeFile(volumeId));
    }

    void deleteVolume(String volumeId) {
        unlinkDevice(volumeId);
        delete(volumeFile(volumeId));
    }

    void deleteSnapshot(String snapshotId) {
        delete(snapshotFile(snapshotId));
    }

    /** Makes the volume appear under the device directory (a link to its backing file). */
    void linkDevice(String volumeId) {
        Path link = deviceLink(volumeId);
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, volumeFile(volumeId).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create device entry " + link, e);
        }
    }

    void unlinkDevice(String volumeId) {
        delete(deviceLink(volumeId));
    }

    /** After a restart: exactly the given volumes have device entries, stale {@code virtio-*} entries go. */
    void reconcileDevices(Set<String> attachedVolumeIds) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(deviceDir, "virtio-*")) {
            for (Path entry : entries) {
                if (Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list device directory " + deviceDir, e);
        }
        attachedVolumeIds.forEach(this::linkDevice);
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** Copies the bytes, leaving holes where the source reads as zeros, so a large empty volume stays sparse. */
    private static void sparseCopy(Path from, Path to) {
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            throw new UncheckedIOException(new IOException("missing backing file " + from));
        }
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                buf.clear();
                int n = in.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                buf.flip();
                if (buf.mismatch(ZEROS.duplicate().limit(n)) >= 0) {
                    while (buf.hasRemaining()) {
                        out.write(buf, pos + buf.position());
                    }
                }
                pos += n;
            }
            try (RandomAccessFile raf = new RandomAccessFile(to.toFile(), "rw")) {
                raf.setLength(size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
