package io.migratekit.vmasim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real NBD server for the tests: one {@code nbdkit} process with the file plugin in {@code dir=}
 * mode, serving every file of a directory under its own name as export, the way the appliance
 * serves {@code migration-vol-<volume id>}. Missing nbdkit is a failure, not a skip (Debian:
 * {@code nbdkit}).
 */
final class NbdkitServer implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final int port;

    private NbdkitServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Starts nbdkit on a free port of 127.0.0.1 serving {@code dir}; returns once it listens. */
    static NbdkitServer serve(Path dir) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Path pidFile = dir.resolveSibling(dir.getFileName() + "-nbdkit-" + port + ".pid");
            Process process;
            try {
                process = new ProcessBuilder(List.of("nbdkit", "--foreground", "--exit-with-parent",
                        "--ipaddr", "127.0.0.1", "--port", String.valueOf(port), "--pidfile", pidFile.toString(),
                        "file", "dir=" + dir))
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolveSibling(dir.getFileName() + "-nbdkit-" + port + ".log").toFile())
                        .start();
            } catch (IOException e) {
                throw new IOException("these tests need nbdkit with its file plugin on the PATH (Debian package nbdkit)", e);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (process.isAlive() && !Files.exists(pidFile) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (process.isAlive() && Files.exists(pidFile)) {
                return new NbdkitServer(dir, process, port);
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            last = new IOException("nbdkit did not start on port " + port);
        }
        throw last;
    }

    /** A new export: a sparse, all-zero file {@code migration-vol-<uuid>} of the given size. */
    String newVolume(long size) throws IOException {
        String name = "migration-vol-" + UUID.randomUUID();
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
            file.setLength(size);
        }
        return name;
    }

    String devicePath(String export) {
        return "nbd://127.0.0.1:" + port + "/" + export;
    }

    /** SHA-256 (hex) of an export's file, what a checksum of the target volume gives. */
    String sha256(String export) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve(export))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] bytes(String export) throws IOException {
        return Files.readAllBytes(dir.resolve(export));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
