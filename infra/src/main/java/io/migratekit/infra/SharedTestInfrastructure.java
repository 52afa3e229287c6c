package io.migratekit.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka broker, one Apicurio Registry (in-memory storage) and one PostgreSQL per JVM, for test classes of any
 * module: call {@link #get()} from {@code @BeforeAll} or a static initialiser.
 *
 * <p>Owns starting the three lazily on the first {@link #get()} (in parallel), handing out fresh databases, and
 * stopping everything from a JVM shutdown hook. It does not create topics, register schemas or isolate tests from
 * each other beyond {@link #newDatabase(String)}: tests should use unique topic names and consumer groups. A failed
 * start is tried again twice; if all three fail, every later {@link #get()} fails with the same cause.
 */
public final class SharedTestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(SharedTestInfrastructure.class);

    private static final int START_ATTEMPTS = 3;

    private static SharedTestInfrastructure instance;
    private static RuntimeException startFailure;

    private final KafkaBroker broker;
    private final RegistryServer registry;
    private final PostgresServer postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private SharedTestInfrastructure(KafkaBroker broker, RegistryServer registry, PostgresServer postgres) {
        this.broker = broker;
        this.registry = registry;
        this.postgres = postgres;
    }

    /** The JVM's shared infrastructure, started on the first call (about ten seconds), shared by all later calls. */
    public static synchronized SharedTestInfrastructure get() {
        if (instance == null && startFailure == null) {
            instance = startWithRetries();
            if (instance != null) {
                Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "migratekit-test-infrastructure-shutdown"));
            }
        }
        if (startFailure != null) {
            throw new IllegalStateException("The shared test infrastructure failed to start: " + startFailure, startFailure);
        }
        return instance;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** {@code http://127.0.0.1:PORT} of the registry. */
    public String registryBaseUrl() {
        return registry.baseUrl();
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /**
     * Creates a database no one else uses and returns its JDBC URL (credentials: {@link PostgresServer#username()},
     * {@link PostgresServer#password()}).
     *
     * @param prefix a readable start of the name; anything but letters, digits and underscores is replaced
     */
    public String newDatabase(String prefix) {
        String readable = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String suffix = "_" + databases.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
        String name = "db_" + readable.substring(0, Math.min(readable.length(), 63 - 3 - suffix.length())) + suffix;
        return postgres.createDatabase(name);
    }

    /**
     * Starts the three, again with fresh ports and directories when an attempt fails: a free port chosen for one
     * server can be taken by another process (or by one of the other two servers) before it binds it.
     */
    private static SharedTestInfrastructure startWithRetries() {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return start();
            } catch (RuntimeException e) {
                log.warn("Shared test infrastructure: attempt {} of {} failed", attempt, START_ATTEMPTS, e);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        startFailure = failure;
        return null;
    }

    private static SharedTestInfrastructure start() {
        long startedAt = System.nanoTime();
        Path logFile = registryLogFile();
        CompletableFuture<RegistryServer> registry =
                CompletableFuture.supplyAsync(() -> RegistryServer.builder().logFile(logFile).start());
        CompletableFuture<PostgresServer> postgres =
                CompletableFuture.supplyAsync(() -> PostgresServer.start(null, 0));
        KafkaBroker broker;
        try {
            broker = KafkaBroker.startTemporary();
        } catch (RuntimeException e) {
            closeWhenStarted(registry);
            closeWhenStarted(postgres);
            throw e;
        }
        try {
            SharedTestInfrastructure started = new SharedTestInfrastructure(broker, registry.join(), postgres.join());
            log.info("Shared test infrastructure ready in {} ms: Kafka {}, registry {}, PostgreSQL port {}",
                    (System.nanoTime() - startedAt) / 1_000_000, started.bootstrapServers(),
                    started.registryBaseUrl(), started.postgres.port());
            return started;
        } catch (CompletionException e) {
            closeQuietly(broker);
            closeWhenStarted(registry);
            closeWhenStarted(postgres);
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static void closeWhenStarted(CompletableFuture<? extends AutoCloseable> server) {
        server.thenAccept(SharedTestInfrastructure::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            log.warn("Could not stop {}: {}", server.getClass().getSimpleName(), e.toString());
        }
    }

    private static Path registryLogFile() {
        Path target = Path.of("target");
        Path directory = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
        return directory.resolve("migratekit-infra").resolve("apicurio-registry-" + ProcessHandle.current().pid() + ".log");
    }

    private void stop() {
        closeQuietly(registry);
        closeQuietly(broker);
        closeQuietly(postgres);
    }
}
