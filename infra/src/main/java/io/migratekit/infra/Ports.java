package io.migratekit.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Chooses and checks TCP ports for the servers of this module.
 *
 * <p>Owns the "0 means any free port" rule and the early, clearly worded failure for a taken port.
 * It does not reserve a port: a free port can still be taken by another process before the server binds it.
 */
final class Ports {

    private Ports() {
    }

    /** Returns {@code port} if it is free on {@code host}, a free port if it is 0, else throws {@link PortInUseException}. */
    static int resolve(String server, String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(server + " port out of range: " + port);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
            return socket.getLocalPort();
        } catch (BindException e) {
            throw new PortInUseException(server, host, port, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check " + server + " port " + host + ":" + port, e);
        }
    }
}
