package io.migratekit.vma;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in VMA for the client's contract tests: an HTTP server on a free loopback port that answers
 * every request with one scripted status, content type and body, and records what it was sent; or a
 * raw socket server that misbehaves below HTTP (never answers, stalls a body, resets the
 * connection). Knows nothing of the VMA's logic: the tests script each answer as the wire contract
 * describes it.
 */
final class LocalVma implements AutoCloseable {

    /** A request as the server received it. */
    record Received(String method, String rawPath, String rawQuery, String contentType, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String contentType = "application/json";
    private volatile String body = "{}";
    private volatile String location;

    private LocalVma() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static LocalVma start() throws IOException {
        return new LocalVma();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every later request is answered with this status and JSON body. */
    LocalVma answerJson(int status, String json) {
        this.status = status;
        this.contentType = "application/json";
        this.body = json;
        return this;
    }

    /** Every later request is answered with this status and plain-text body (how the VMA reports errors). */
    LocalVma answerText(int status, String text) {
        this.status = status;
        this.contentType = "text/plain; charset=utf-8";
        this.body = text;
        return this;
    }

    /** Every later request is answered with a redirect to the given location. */
    LocalVma redirectTo(int status, String location) {
        this.location = location;
        return answerText(status, "");
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    requestBody));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** What a {@link RawServer} does with each connection once it has read the request's headers. */
    enum Misbehaviour {
        /** Reads the request and never answers. */
        NEVER_ANSWER,
        /** Sends a 200 with a Content-Length of 100 and 2 bytes of body, then stalls. */
        STALL_BODY,
        /** Resets the connection (TCP RST) without answering. */
        RESET,
        /** Closes the connection cleanly without answering. */
        CLOSE
    }

    /** A socket server below HTTP, for failures an HTTP server cannot produce. */
    static final class RawServer implements AutoCloseable {

        private final ServerSocket socket;
        private final Misbehaviour misbehaviour;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final Thread acceptor;
        private volatile int connections;

        RawServer(Misbehaviour misbehaviour) throws IOException {
            this.misbehaviour = misbehaviour;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.acceptor = new Thread(this::accept, "raw-vma");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        /** How many connections the client opened. */
        int connections() {
            return connections;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections++;
                    open.add(connection);
                    serve(connection);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket connection) throws IOException {
            readHeaders(connection.getInputStream());
            switch (misbehaviour) {
                case NEVER_ANSWER -> {
                    // keeps the connection open until close()
                }
                case STALL_BODY -> {
                    connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"").getBytes(StandardCharsets.US_ASCII));
                    connection.getOutputStream().flush();
                }
                case RESET -> {
                    connection.setSoLinger(true, 0);
                    connection.close();
                }
                case CLOSE -> connection.close();
            }
        }

        private static void readHeaders(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : open) {
                connection.close();
            }
            try {
                acceptor.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
