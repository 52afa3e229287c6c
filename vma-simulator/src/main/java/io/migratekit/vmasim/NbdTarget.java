package io.migratekit.vmasim;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a disk's bytes go: an NBD server and the export name on it, read from a replicate
 * request's {@code device_path} ({@code nbd://host:port/export}, port 10809 when absent).
 *
 * @param host       the NBD server's host
 * @param port       its port
 * @param exportName the export, e.g. {@code migration-vol-<volume id>}
 */
record NbdTarget(String host, int port, String exportName) {

    static final int DEFAULT_PORT = 10809;

    /** Parses a device path; the message of the exception says what is wrong with it. */
    static NbdTarget parse(String devicePath) {
        URI uri;
        try {
            uri = new URI(devicePath.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("nbd target device_path '" + devicePath + "' is not a URL");
        }
        if (!"nbd".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("nbd target device_path '" + devicePath + "' must be nbd://host:port/export");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String export = path.startsWith("/") ? path.substring(1) : path;
        if (export.isEmpty()) {
            throw new IllegalArgumentException("nbd target device_path '" + devicePath + "' names no export");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new NbdTarget(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), export);
    }

    @Override
    public String toString() {
        return "nbd://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + exportName;
    }
}
