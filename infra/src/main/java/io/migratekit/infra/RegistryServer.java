package io.migratekit.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry 3.0.x server, run as a child process ({@code java -jar <runner jar>}) bound to
 * {@code 127.0.0.1}.
 *
 * <p>Owns finding the unpacked distribution (environment variable {@value #HOME_ENV}, else the directory the build
 * wrote into {@code io/migratekit/infra/infra.properties}), the child's command line and environment (in-memory or
 * PostgreSQL storage), waiting until it answers, and stopping it, also from a JVM shutdown hook unless the caller
 * orders the stop itself. The child runs in a session of its own and cannot outlive this JVM ({@link ChildGuard});
 * with a pid file, a start first stops the registry a killed JVM of an earlier run left. The child's output
 * goes to a log file, never to this JVM's console. It does not register schemas and does not create the PostgreSQL
 * database it is pointed at.
 */
public final class RegistryServer implements AutoCloseable {

    /** Environment variable naming the unpacked Apicurio Registry distribution; overrides the build-time location. */
    public static final String HOME_ENV = "MIGRATEKIT_APICURIO_HOME";

    private static final Logger log = LoggerFactory.getLogger(RegistryServer.class);

    private static final String HOST = "127.0.0.1";
    private static final String SYSTEM_INFO = "/apis/registry/v3/system/info";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Path pidFile;
    private final ChildGuard.Watcher watcher;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RegistryServer(Process process, int port, Path logFile, Path pidFile, ChildGuard.Watcher watcher,
            boolean stopOnJvmExit) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.watcher = watcher;
        this.shutdownHook = stopOnJvmExit ? new Thread(this::stopProcess, "apicurio-registry-" + port + "-shutdown")
                : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:PORT}; the registry API is under {@code /apis/registry/v3}, Confluent's under {@code /apis/ccompat/v7}. */
    public String baseUrl() {
        return "http://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The file that receives the child's standard output and error. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the child, forcibly if it has not exited after a few seconds. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                log.debug("JVM is shutting down; the shutdown hook stops the registry");
            }
        }
        stopProcess();
        watcher.cancel();
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                log.warn("cannot delete the registry's pid file {}: {}", pidFile, e.toString());
            }
        }
        log.info("Apicurio Registry on port {} stopped", port);
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(long startedAt) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + SYSTEM_INFO))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + logFile + ":\n" + logTail());
            }
            if (answers(client, request)) {
                log.info("Apicurio Registry ready at {} in {} ms (log {})", baseUrl(),
                        (System.nanoTime() - startedAt) / 1_000_000, logFile);
                return;
            }
            sleep(POLL_INTERVAL);
        }
        throw new IllegalStateException("Apicurio Registry did not answer " + SYSTEM_INFO + " within "
                + READY_TIMEOUT.toSeconds() + " s; last lines of " + logFile + ":\n" + logTail());
    }

    private static boolean answers(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYetListening) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
        }
    }

    private String logTail() {
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log not readable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
        }
    }

    /** Finds the distribution directory: {@value #HOME_ENV} if set, else the location written at build time. */
    static Path defaultHome() {
        String fromEnvironment = System.getenv(HOME_ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        Properties properties = new Properties();
        try (InputStream in = RegistryServer.class.getResourceAsStream("infra.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/migratekit/infra/infra.properties is missing; set " + HOME_ENV);
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read io/migratekit/infra/infra.properties", e);
        }
        return Path.of(properties.getProperty("apicurio.home"));
    }

    static Path runnerJar(Path home) {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("Apicurio Registry distribution not found at " + home
                    + "; build the infra module (it unpacks it) or set " + HOME_ENV);
        }
        try (Stream<Path> files = Files.walk(home, 3)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No *-runner.jar under " + home));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot search " + home, e);
        }
    }

    /**
     * Settings for one registry; {@link #start()} launches it and waits until it answers.
     *
     * <p>Defaults: a free port, in-memory storage (lost when the process ends), a temporary log file.
     */
    public static final class Builder {

        private int port;
        private Path logFile;
        private Path home;
        private String jdbcUrl;
        private String username;
        private String password;
        private Path pidFile;
        private boolean stopOnJvmExit = true;

        private Builder() {
        }

        /**
         * Keeps the child's pid in this file, so that a start with the same file first stops the registry a killed
         * JVM of an earlier run left running.
         */
        public Builder pidFile(Path pidFile) {
            this.pidFile = pidFile.toAbsolutePath();
            return this;
        }

        /** Leaves the stop to the caller's {@link RegistryServer#close()}: no JVM shutdown hook of its own. */
        public Builder withoutShutdownHook() {
            this.stopOnJvmExit = false;
            return this;
        }

        /** The HTTP port, 0 (the default) for any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where the child's output goes; created or appended to. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** The unpacked distribution to run, instead of {@value RegistryServer#HOME_ENV} or the build's location. */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** Keeps artifacts in PostgreSQL instead of memory; the database must exist. */
        public Builder postgresStorage(String jdbcUrl, String username, String password) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Launches the registry and waits until {@code GET /apis/registry/v3/system/info} answers 200.
         *
         * @throws PortInUseException    if the HTTP port is taken
         * @throws IllegalStateException if the child exits or does not answer in time; the message ends with the
         *                               tail of its log
         */
        public RegistryServer start() {
            long startedAt = System.nanoTime();
            Path distribution = home != null ? home : defaultHome();
            Path jar = runnerJar(distribution);
            String owner = "-Dmigratekit.owner=" + (pidFile != null ? pidFile.toString()
                    : "registry-of-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            if (pidFile != null) {
                stopLeftover(pidFile, owner);
            }
            int httpPort = Ports.resolve("Apicurio Registry", HOST, port);
            int managementPort = Ports.resolve("Apicurio Registry management", HOST, 0);
            Path output = prepareLogFile();

            ProcessBuilder processBuilder = new ProcessBuilder(ChildGuard.inOwnSession(command(jar, httpPort, managementPort, owner)))
                    .directory(distribution.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            configureStorage(processBuilder.environment());

            Process process;
            try {
                process = processBuilder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot launch Apicurio Registry from " + jar, e);
            }
            writePidFile(process.pid());
            RegistryServer server = new RegistryServer(process, httpPort, output, pidFile,
                    ChildGuard.watch(process.pid(), owner, "TERM"), stopOnJvmExit);
            if (server.shutdownHook != null) {
                Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            }
            log.info("Apicurio Registry starting on {} with {} storage (pid {}, log {})", server.baseUrl(),
                    jdbcUrl == null ? "in-memory" : "PostgreSQL " + jdbcUrl + " as " + username, process.pid(), output);
            try {
                server.awaitReady(startedAt);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        }

        private static void stopLeftover(Path pidFile, String owner) {
            try {
                if (Files.exists(pidFile)) {
                    String pid = Files.readString(pidFile, StandardCharsets.UTF_8).strip();
                    if (pid.matches("\\d+")) {
                        ChildGuard.stopLeftover(Long.parseLong(pid), owner, "TERM", "Apicurio Registry");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the registry's pid file " + pidFile, e);
            }
        }

        private void writePidFile(long pid) {
            if (pidFile == null) {
                return;
            }
            try {
                Files.createDirectories(pidFile.getParent());
                Files.writeString(pidFile, pid + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the registry's pid file " + pidFile, e);
            }
        }

        private static List<String> command(Path jar, int httpPort, int managementPort, String owner) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add(owner);
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-XX:+UseSerialGC");
            command.add("-Xmx512m");
            command.add("-Dquarkus.http.host=" + HOST);
            command.add("-Dquarkus.http.port=" + httpPort);
            command.add("-Dquarkus.management.host=" + HOST);
            command.add("-Dquarkus.management.port=" + managementPort);
            command.add("-Dquarkus.banner.enabled=false");
            command.add("-jar");
            command.add(jar.toString());
            return command;
        }

        private void configureStorage(Map<String, String> environment) {
            if (jdbcUrl == null) {
                return;
            }
            environment.put("APICURIO_STORAGE_KIND", "sql");
            environment.put("APICURIO_STORAGE_SQL_KIND", "postgresql");
            environment.put("APICURIO_DATASOURCE_URL", jdbcUrl);
            environment.put("APICURIO_DATASOURCE_USERNAME", username);
            environment.put("APICURIO_DATASOURCE_PASSWORD", password);
        }

        private Path prepareLogFile() {
            try {
                if (logFile == null) {
                    Path temporary = Files.createTempFile("apicurio-registry-", ".log");
                    temporary.toFile().deleteOnExit();
                    return temporary;
                }
                Path parent = logFile.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                return logFile.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the Apicurio Registry log file " + logFile, e);
            }
        }
    }
}
