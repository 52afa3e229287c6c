package io.migratekit.cssim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;

/**
 * A running CloudStack simulator: CloudStack's API on {@code /client/api} and admin routes on
 * {@code /sim}. Start one with {@link #start(SimulatorConfig)}; {@link #close()} stops it (then
 * connections are refused, as with an unreachable cloud). Starting again on the same data
 * directory continues with the saved state.
 *
 * <p>Owns the lifecycle: the HTTP server and its thread pool, the job scheduler thread and the
 * routing to {@link ApiHandler} and {@link AdminHandler}. It does not own the commands
 * ({@link Cloud}) or the faults' semantics ({@link Faults}). Threads are daemon threads named
 * {@code cssim-*}.
 */
public final class CloudStackSimulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CloudStackSimulator.class.getName());
    private static final int MAX_BODY = 1024 * 1024;
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs (~40 ms per answer).
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private final SimulatorConfig config;
    private final Faults faults = new Faults();
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor httpPool;
    private final Cloud cloud;
    private final ApiHandler api;
    private final AdminHandler admin;
    private final HttpServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CloudStackSimulator(SimulatorConfig config, Clock clock) throws IOException {
        this.config = config;
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("cssim-jobs"));
        this.httpPool = new ThreadPoolExecutor(config.httpThreads(), config.httpThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("cssim-http"));
        this.httpPool.allowCoreThreadTimeOut(true);
        try {
            this.cloud = new Cloud(config, faults, scheduler, clock);
            this.api = new ApiHandler(config, cloud, faults, clock);
            this.admin = new AdminHandler(faults, cloud);
            this.server = HttpServer.create(new InetSocketAddress(config.bindHost(), config.port()), 256);
        } catch (IOException | RuntimeException e) {
            scheduler.shutdownNow();
            httpPool.shutdownNow();
            throw e;
        }
        this.server.setExecutor(httpPool);
        this.server.createContext("/", this::dispatch);
    }

    /** Starts a simulator (loading the data directory's state if there is one); returns once it accepts connections. */
    public static CloudStackSimulator start(SimulatorConfig config) {
        CloudStackSimulator sim;
        try {
            sim = new CloudStackSimulator(config, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind CloudStack simulator to " + config.bindHost() + ":" + config.port(), e);
        }
        sim.cloud.resume();
        sim.server.start();
        LOG.log(System.Logger.Level.INFO, "CloudStack simulator listening on {0}, data in {1}", sim.endpoint(), config.dataDir());
        return sim;
    }

    /** Runs a simulator configured from the environment ({@link SimulatorConfig#fromEnv}) until killed. */
    public static void main(String[] args) throws InterruptedException {
        CloudStackSimulator sim = start(SimulatorConfig.fromEnv(System.getenv()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "cssim-shutdown"));
        System.out.println("CloudStack simulator listening on " + sim.endpoint());
        stopped.await();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8088} (no trailing slash). */
    public String baseUrl() {
        String host = config.bindHost();
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            host = "127.0.0.1";
        }
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    /** The API endpoint a client is configured with: {@code <base URL>/client/api}. */
    public String endpoint() {
        return baseUrl() + "/client/api";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public SimulatorConfig config() {
        return config;
    }

    /** The fault registry (also reachable as {@code /sim/faults}). */
    public Faults faults() {
        return faults;
    }

    /** The device entry a volume attached to the appliance has: {@code <device dir>/virtio-<20 hex>}. */
    public Path deviceEntry(String volumeId) {
        return cloud.disks().deviceLink(volumeId);
    }

    /** The backing file holding a volume's bytes ({@code <data>/volumes/<id>.img}), wherever the volume is attached. */
    public Path volumeFile(String volumeId) {
        return cloud.disks().volumeFile(volumeId);
    }

    /** The ids of the volumes attached to the appliance now. */
    public List<String> applianceVolumeIds() {
        return cloud.applianceVolumeIds();
    }

    /** The whole state as JSON (as {@code GET /sim/state}). */
    public JsonNode state() {
        return cloud.dump();
    }

    /** Stops the server and the job scheduler; pending jobs stay pending in the data directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        scheduler.shutdownNow();
        httpPool.shutdownNow();
        cloud.stop();
        LOG.log(System.Logger.Level.INFO, "CloudStack simulator on port {0} stopped", String.valueOf(server.getAddress().getPort()));
    }

    private void dispatch(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getPath();
            int status;
            JsonNode body;
            try {
                byte[] request = readBody(exchange);
                if ("/client/api".equals(path) || "/client/api/".equals(path)) {
                    ApiHandler.Answer a = api.handle(exchange.getRequestURI().getRawQuery(),
                            exchange.getRequestHeaders().getFirst("Content-Type"), request);
                    status = a.status();
                    body = a.body();
                } else if (path.startsWith("/sim/")) {
                    AdminHandler.Answer a = admin.handle(exchange.getRequestMethod(), path, request);
                    status = a.status();
                    body = a.body();
                } else {
                    status = 404;
                    body = Json.object().put("error", "not found: " + path);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "CloudStack simulator request failed", e);
                status = 530;
                body = Json.object().put("error", "internal simulator error: " + e.getMessage());
            }
            byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away: {0}", e.getMessage());
        } finally {
            exchange.close();
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IllegalArgumentException("request body too large");
            }
            return body;
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
