package io.migratekit.cloudstack.nbd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the appliance serves its attached volumes over NBD. Owns the values and their checks only.
 *
 * @param deviceDirectory where attached volumes appear as {@code virtio-<first 20 hex digits of the
 *                        volume id>} ({@code /dev/disk/by-id} on the appliance; a directory of plain
 *                        files in tests and the standalone stack)
 * @param stateDirectory  the server's own directory: the export links, its pid file and its log; the
 *                        same directory across restarts so a restart finds the exports and the
 *                        server of the previous run
 * @param bindAddress     the address the server listens on
 * @param port            the port it listens on (10809 by NBD convention)
 * @param advertisedHost  the host the VMA reaches the server at, as written into the export URLs
 * @param serverBinary    the nbdkit executable (a name looked up on PATH, or a path)
 * @param deviceWait      how long {@code export} waits for an attached volume's device to appear
 * @param startTimeout    how long the server may take to listen
 */
public record NbdServerSettings(Path deviceDirectory, Path stateDirectory, String bindAddress, int port,
                                String advertisedHost, String serverBinary, Duration deviceWait,
                                Duration startTimeout) {

    public static final Path DEFAULT_DEVICE_DIRECTORY = Path.of("/dev/disk/by-id");
    public static final int DEFAULT_PORT = 10809;
    public static final String DEFAULT_SERVER_BINARY = "nbdkit";

    public NbdServerSettings {
        Objects.requireNonNull(deviceDirectory, "deviceDirectory");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        Objects.requireNonNull(serverBinary, "serverBinary");
        Objects.requireNonNull(deviceWait, "deviceWait");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("NBD port out of range: " + port);
        }
        if (bindAddress.isBlank() || advertisedHost.isBlank() || serverBinary.isBlank()) {
            throw new IllegalArgumentException("bindAddress, advertisedHost and serverBinary must not be blank");
        }
        if (deviceWait.isNegative() || startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("deviceWait must not be negative and startTimeout must be positive");
        }
    }

    /**
     * The appliance's defaults: devices under {@code /dev/disk/by-id}, every address on port 10809,
     * {@code nbdkit} from PATH, 60 s for a device to appear, 10 s for the server to listen.
     */
    public static NbdServerSettings onAppliance(Path stateDirectory, String advertisedHost) {
        return new NbdServerSettings(DEFAULT_DEVICE_DIRECTORY, stateDirectory, "0.0.0.0", DEFAULT_PORT,
                advertisedHost, DEFAULT_SERVER_BINARY, Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /** These settings with another wait for devices to appear. */
    public NbdServerSettings withDeviceWait(Duration wait) {
        return new NbdServerSettings(deviceDirectory, stateDirectory, bindAddress, port, advertisedHost,
                serverBinary, wait, startTimeout);
    }
}
