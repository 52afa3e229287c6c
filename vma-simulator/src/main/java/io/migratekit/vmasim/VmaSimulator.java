package io.migratekit.vmasim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A running VMA simulator: an HTTP server speaking the VMA wire contract ({@code /api/v1}), the
 * simulated copy engine behind it, and admin endpoints ({@code /sim}). Start one with
 * {@link #start(SimulatorConfig)}; stop it with {@link #close()} (afterwards connections are
 * refused, the way an unreachable VMA looks).
 *
 * <p>Owns the lifecycle: the HTTP server and its bounded thread pool, the single engine scheduler
 * thread, the callback threads, the data-copy threads (when data is copied), the disks' content,
 * and request dispatch to {@link ApiHandler} / {@link AdminHandler}.
 * It does not own the contract's details (the handlers), the copy simulation ({@link CopyEngine})
 * or the VM data ({@link Inventory}). All threads are daemon threads named {@code vmasim-*}.
 *
 * <p>Loading this class sets the JDK property {@code sun.net.httpserver.nodelay=true} unless it is
 * already set: without TCP_NODELAY the JDK server's separate header and body writes meet delayed
 * ACKs and every small response costs ~40 ms. The JDK reads the property once, when the first
 * {@code HttpServer} of the JVM is created.
 */
public final class VmaSimulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(VmaSimulator.class.getName());
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private final SimulatorConfig config;
    private final Inventory inventory;
    private final Faults faults = new Faults();
    private final HttpServer server;
    private final ThreadPoolExecutor httpPool;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService callbackPool;
    private final DiskContents contents;
    private final ExecutorService dataPool;
    private final CopyEngine engine;
    private final ApiHandler api;
    private final AdminHandler admin;
    private final AtomicBoolean closed = new AtomicBoolean();

    private VmaSimulator(SimulatorConfig config) throws IOException {
        this.config = config;
        this.inventory = config.inventory();
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("vmasim-engine"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.callbackPool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("vmasim-callback"));
        this.httpPool = new ThreadPoolExecutor(config.httpThreads(), config.httpThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("vmasim-http"));
        this.httpPool.allowCoreThreadTimeOut(true);
        this.contents = new DiskContents(config.contentBytes());
        ThreadPoolExecutor data = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("vmasim-data"));
        data.allowCoreThreadTimeOut(true);
        this.dataPool = data;
        DataCopier dataCopier = config.copyData() ? new DataCopier(contents, dataPool) : null;
        this.engine = new CopyEngine(config, faults, scheduler, new OmaCallbacks(config, callbackPool), dataCopier);
        this.api = new ApiHandler(config, inventory, faults, engine, scheduler);
        this.admin = new AdminHandler(inventory, faults, engine, new DiskAdmin(inventory, contents));
        try {
            this.server = HttpServer.create(new InetSocketAddress(config.bindHost(), config.port()), 1024);
        } catch (IOException e) {
            shutdownPools();
            throw e;
        }
        this.server.setExecutor(httpPool);
        this.server.createContext("/", this::dispatch);
    }

    /** Starts a simulator; returns once it accepts connections. */
    public static VmaSimulator start(SimulatorConfig config) {
        VmaSimulator sim;
        try {
            sim = new VmaSimulator(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind VMA simulator to " + config.bindHost() + ":" + config.port(), e);
        }
        sim.engine.start();
        sim.server.start();
        LOG.log(System.Logger.Level.INFO, "VMA simulator listening on {0} with {1} VMs", sim.baseUrl(), sim.inventory.size());
        return sim;
    }

    /** Starts a simulator with {@link SimulatorConfig#defaults()}: ephemeral port, demo inventory. */
    public static VmaSimulator start() {
        return start(SimulatorConfig.defaults());
    }

    /** Runs a simulator configured from the environment (see {@link SimulatorConfig#fromEnv}) until killed. */
    public static void main(String[] args) throws InterruptedException {
        VmaSimulator sim = start(SimulatorConfig.fromEnv(System.getenv()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "vmasim-shutdown"));
        System.out.println("VMA simulator listening on " + sim.baseUrl() + " (" + sim.inventory.size() + " VMs)");
        stopped.await();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8081} (no trailing slash, no {@code /api/v1}). */
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

    /** The bound port (the actual one when the configuration asked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The configuration this simulator runs with. */
    public SimulatorConfig config() {
        return config;
    }

    /** The live inventory; VMs added or powered on/off here are seen by the API at once. */
    public Inventory inventory() {
        return inventory;
    }

    /** The fault registry. */
    public Faults faults() {
        return faults;
    }

    /** Snapshots of every job, oldest first. */
    public List<JobSnapshot> jobs() {
        List<JobSnapshot> list = new ArrayList<>();
        for (SimJob job : engine.jobs()) {
            list.add(job.snapshot());
        }
        return list;
    }

    /** A snapshot of one job. */
    public Optional<JobSnapshot> job(String jobId) {
        SimJob job = engine.job(jobId);
        return job == null ? Optional.empty() : Optional.of(job.snapshot());
    }

    /** Jobs the engine is still advancing (not finished, failed, stalled or never started). */
    public int activeJobs() {
        return engine.activeCount();
    }

    /** Engine ticks so far; wait for it to grow to know the engine has run, without sleeping. */
    public long engineTicks() {
        return engine.ticks();
    }

    /** Stops the server (connections are refused from now on) and all simulator threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        engine.stop();
        server.stop(0);
        shutdownPools();
        LOG.log(System.Logger.Level.INFO, "VMA simulator on port {0} stopped", String.valueOf(server.getAddress().getPort()));
    }

    private void shutdownPools() {
        scheduler.shutdownNow();
        callbackPool.shutdownNow();
        httpPool.shutdownNow();
        dataPool.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) {
        try {
            SimResponse response;
            try {
                byte[] body = readBody(exchange);
                SimRequest req = SimRequest.of(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), body);
                response = route(req);
            } catch (HttpError e) {
                response = SimResponse.text(e.status(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "simulator request failed: " + exchange.getRequestURI().getPath(), e);
                response = SimResponse.text(500, "internal simulator error");
            }
            write(exchange, response);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away: {0}", e.getMessage());
        } finally {
            exchange.close();
        }
    }

    private SimResponse route(SimRequest req) {
        String root = req.segment(0);
        if ("api".equals(root) && "v1".equals(req.segment(1))) {
            return api.handle(req);
        }
        if ("sim".equals(root)) {
            return admin.handle(req);
        }
        throw HttpError.notFound("404 page not found");
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new HttpError(413, "request body too large");
            }
            return body;
        }
    }

    private static void write(HttpExchange exchange, SimResponse response) throws IOException {
        if (response == SimResponse.CONNECTION_DROPPED) {
            // Closing an exchange whose headers were never sent closes its connection.
            return;
        }
        if (response.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
        }
        if (SimResponse.TEXT.equals(response.contentType())) {
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        }
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
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
