package io.migratekit.infra;

/**
 * Thrown when a server of this module is asked to listen on a port that something else already holds.
 *
 * <p>Owns only the message naming the server, host and port; it does not retry or pick another port.
 */
public final class PortInUseException extends IllegalStateException {

    private final int port;

    PortInUseException(String server, String host, int port, Throwable cause) {
        super(server + " cannot listen on " + host + ":" + port + ": the port is already in use", cause);
        this.port = port;
    }

    /** The port that was taken. */
    public int port() {
        return port;
    }
}
