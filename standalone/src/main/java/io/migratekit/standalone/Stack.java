package io.migratekit.standalone;

import io.migratekit.cloudstack.nbd.NbdExportServer;
import io.migratekit.cloudstack.nbd.NbdServerSettings;
import io.migratekit.cloudstack.nbd.NbdkitApplianceServer;
import io.migratekit.cssim.CloudStackSimulator;
import io.migratekit.discovery.DiscoveryServiceApplication;
import io.migratekit.failover.FailoverServiceApplication;
import io.migratekit.infra.ChildGuard;
import io.migratekit.infra.KafkaBroker;
import io.migratekit.infra.PostgresServer;
import io.migratekit.infra.RegistryServer;
import io.migratekit.intake.JobIntakeApplication;
import io.migratekit.jobs.JobServiceApplication;
import io.migratekit.progress.ProgressServiceApplication;
import io.migratekit.scheduler.SchedulerServiceApplication;
import io.migratekit.vmasim.SimulatorConfig;
import io.migratekit.vmasim.VmaSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole pipeline on one machine: PostgreSQL, a KRaft Kafka broker, the schema registry (kept
 * in PostgreSQL), the VMA simulator (copying each disk's real bytes over NBD into the target volumes), the CloudStack API simulator (state in {@code <data>/cloudstack})
 * with the appliance's NBD server over its device directory, and the services, each in its own
 * Spring context, all on loopback. job-service and failover-service reach the CloudStack simulator
 * only through the real client ({@code migratekit.cloudstack.target=cloudstack}), as they would a
 * real CloudStack. Owns their start order and their stop in reverse; owns no service's configuration
 * beyond telling it where its dependencies are.
 */
public final class Stack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Stack.class);
    private static final String DATABASE = "migratekit";
    private static final String REGISTRY_DATABASE = "registry";
    private static final String VCENTER_USER = "administrator@vsphere.local";
    /**
     * Services without a database share the JVM's classpath with those that have one: keep
     * Spring from configuring one for them.
     */
    private static final Map<String, Object> WITHOUT_DATABASE = Map.of("spring.autoconfigure.exclude", String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration"));

    private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> endpoints = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private final LocalSecrets secrets;
    private final long startupMillis;
    private volatile VmaSimulator simulator;
    private volatile CloudStackSimulator cloudStack;
    private volatile String bootstrapServers;
    private volatile String registryUrl;
    private volatile String jdbcUrl;

    private Stack(StandaloneConfig config) {
        long begin = System.nanoTime();
        secrets = new LocalSecrets(config.dataDir());
        try {
            startAll(config);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        startupMillis = (System.nanoTime() - begin) / 1_000_000;
    }

    public static Stack start(StandaloneConfig config) {
        return new Stack(config);
    }

    private void startAll(StandaloneConfig config) {
        var dataDir = config.dataDir().toAbsolutePath();
        CompletableFuture<PostgresServer> postgres = CompletableFuture.supplyAsync(
                () -> keep(PostgresServer.builder().dataDir(dataDir.resolve("postgres")).port(config.postgresPort())
                        .password(secrets.postgresPassword()).withoutShutdownHook().start()));
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> keep(KafkaBroker.start(
                dataDir.resolve("kafka"), StandaloneConfig.HOST, config.kafkaPort(), config.kafkaControllerPort())));
        PostgresServer db = postgres.join();
        String registryJdbc = db.createDatabase(REGISTRY_DATABASE);
        jdbcUrl = db.createDatabase(DATABASE);
        endpoints.put("PostgreSQL", jdbcUrl);
        RegistryServer registry = keep(RegistryServer.builder().port(config.registryPort())
                .logFile(dataDir.resolve("logs/registry.log")).pidFile(dataDir.resolve("registry/registry.pid"))
                .withoutShutdownHook()
                .postgresStorage(registryJdbc, db.username(), db.password()).start());
        endpoints.put("Schema registry", registry.baseUrl() + " (Confluent API: /apis/ccompat/v7)");
        String bootstrap = kafka.join().bootstrapServers();
        bootstrapServers = bootstrap;
        registryUrl = registry.baseUrl();
        endpoints.put("Kafka", bootstrap);

        // The simulator must know where to call us back before job-intake listens. It calls back as the
        // deployed copy engine does, without a token, so on job-intake's callback listener.
        int intakePort = config.intakePort() == 0 ? freePort() : config.intakePort();
        int callbackPort = freePort();
        String omaUrl = "http://" + StandaloneConfig.HOST + ":" + callbackPort;
        // The copy engine writes each disk's real bytes over NBD into the target volumes nbdkit serves.
        simulator = keep(VmaSimulator.start(SimulatorConfig.builder()
                .bindHost(StandaloneConfig.HOST).port(config.vmaPort())
                .omaUrl(omaUrl).copyData(true).build()));
        endpoints.put("VMA simulator", simulator.baseUrl());

        Map<String, Object> common = new LinkedHashMap<>();
        common.put("spring.kafka.bootstrap-servers", bootstrap);
        common.put("migratekit.registry.url", registry.baseUrl());
        common.put("migratekit.topics.partitions", config.partitions());
        common.put("server.address", StandaloneConfig.HOST);
        common.put("migratekit.management.token-sha256", LocalSecrets.sha256(secrets.managementToken()));
        common.put("migratekit.vma.url", simulator.baseUrl());
        common.put("migratekit.vma.oma-url", omaUrl);
        common.put("migratekit.vma.default-username", VCENTER_USER);
        common.put("migratekit.vma.default-password", secrets.vcenterPassword());
        Map<String, Object> database = Map.of("spring.datasource.url", jdbcUrl,
                "spring.datasource.username", db.username(), "spring.datasource.password", db.password());

        Map<String, Object> intake = new LinkedHashMap<>(database);
        intake.put("migratekit.security.tokens[0].name", "operator");
        intake.put("migratekit.security.tokens[0].sha256", LocalSecrets.sha256(secrets.apiToken()));
        intake.put("migratekit.security.tokens[0].role", "operator");
        intake.put("migratekit.security.tokens[1].name", "vma");
        intake.put("migratekit.security.tokens[1].sha256", LocalSecrets.sha256(secrets.vmaToken()));
        intake.put("migratekit.security.tokens[1].role", "vma");
        intake.put("migratekit.intake.callback-listener.port", callbackPort);
        intake.put("migratekit.intake.callback-listener.address", StandaloneConfig.HOST);
        intake.put("migratekit.intake.callback-listener.allowed-sources[0]", StandaloneConfig.HOST);
        Map<String, Object> jobs = new LinkedHashMap<>(database);
        jobs.put("migratekit.streams.state-dir", dataDir.resolve("streams/job-service").toString());
        Map<String, Object> failover = new LinkedHashMap<>(database);
        Map<String, Object> sharedTarget = startCloudStack(config, dataDir, jobs, failover);
        Map<String, Object> progress = new LinkedHashMap<>(WITHOUT_DATABASE);
        progress.put("migratekit.streams.state-dir", dataDir.resolve("streams/progress-service").toString());

        // Topics are created by the first service up; the others find them.
        startService("job-service", JobServiceApplication.class, config.jobServicePort(), common, jobs, sharedTarget);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> startService("job-intake", JobIntakeApplication.class,
                            intakePort, common, intake), pool),
                    CompletableFuture.runAsync(() -> startService("discovery-service",
                            DiscoveryServiceApplication.class, config.discoveryPort(), common, WITHOUT_DATABASE), pool),
                    CompletableFuture.runAsync(() -> startService("progress-service",
                            ProgressServiceApplication.class, config.progressPort(), common, progress), pool),
                    CompletableFuture.runAsync(() -> startService("failover-service",
                            FailoverServiceApplication.class, config.failoverPort(), common, failover, sharedTarget),
                            pool),
                    CompletableFuture.runAsync(() -> startService("scheduler-service",
                            SchedulerServiceApplication.class, config.schedulerPort(), common, database), pool)).join();
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Starts the CloudStack API simulator and the NBD server over its device directory, and points job-service
     * and failover-service at them; answers the beans they share (the one NBD server in this JVM).
     */
    private Map<String, Object> startCloudStack(StandaloneConfig config, Path dataDir, Map<String, Object> jobs,
            Map<String, Object> failover) {
        String secretKey = secrets.cloudStackSecretKey();
        cloudStack = keep(CloudStackSimulator.start(io.migratekit.cssim.SimulatorConfig.builder()
                .bindHost(StandaloneConfig.HOST).port(config.cloudStackPort()).dataDir(dataDir.resolve("cloudstack"))
                .apiKey(secrets.cloudStackApiKey()).secretKey(secretKey).jobDelay(Duration.ofMillis(100)).build()));
        endpoints.put("CloudStack simulator", cloudStack.endpoint());
        int nbdPort = config.nbdPort() == 0 ? freePort() : config.nbdPort();
        NbdExportServer nbd = keep(NbdExportServer.start(new NbdServerSettings(cloudStack.config().deviceDir(),
                dataDir.resolve("nbd"), StandaloneConfig.HOST, nbdPort, StandaloneConfig.HOST,
                NbdServerSettings.DEFAULT_SERVER_BINARY, Duration.ofSeconds(10), Duration.ofSeconds(10))));
        endpoints.put("NBD exports", "nbd://" + StandaloneConfig.HOST + ":" + nbdPort);
        // On an appliance nbdkit outlives a service restart; here it must not outlive the stack's JVM.
        ChildGuard.Watcher nbdWatcher = ChildGuard.watch(nbd.serverPid(),
                dataDir.resolve("nbd").resolve("nbdkit.pid").toString(), "TERM");
        keep(nbdWatcher::cancel);

        var world = cloudStack.config();
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("migratekit.cloudstack.target", "cloudstack");
        target.put("migratekit.cloudstack.nbd-host", StandaloneConfig.HOST);
        target.put("migratekit.cloudstack.nbd-port", nbdPort);
        String t = "migratekit.cloudstack.targets[0].";
        target.put(t + "id", 1);
        target.put(t + "api-url", cloudStack.endpoint());
        target.put(t + "api-key", world.apiKey());
        target.put(t + "secret-file", secrets.cloudStackSecretKeyFile().toAbsolutePath().toString());
        target.put(t + "zone-id", world.zone().id());
        target.put(t + "disk-offering-id", world.diskOffering().id());
        target.put(t + "service-offering-id", world.serviceOffering().id());
        target.put(t + "template-id", world.template().id());
        target.put(t + "appliance-vm-id", world.applianceVm().id());
        target.put(t + "test-networks.defaults[0]", world.networks().get(0).id());
        target.put(t + "live-networks.defaults[0]", world.networks().get(1).id());
        // every simulated network also by its name, for test_network / target_network
        for (var network : world.networks()) {
            target.put(t + "test-networks.by-name." + network.name() + "[0]", network.id());
            target.put(t + "live-networks.by-name." + network.name() + "[0]", network.id());
        }
        jobs.putAll(target);
        failover.putAll(target);
        return Map.of("applianceNbdServer", new NbdkitApplianceServer(nbd));
    }

    private void startService(String name, Class<?> application, int port, Map<String, Object> common,
            Map<String, Object> own) {
        startService(name, application, port, common, own, Map.of());
    }

    /** Starts a service with these beans of the stack's own in its context (given to every restart too). */
    private void startService(String name, Class<?> application, int port, Map<String, Object> common,
            Map<String, Object> own, Map<String, Object> beans) {
        Map<String, Object> properties = new LinkedHashMap<>(common);
        properties.putAll(own);
        properties.put("server.port", port);
        // Command-line arguments outrank the service's own files (builder properties would not).
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        Object stateDir = own.get("migratekit.streams.state-dir");
        Service service = new Service(application, arguments, stateDir == null ? null : Path.of(stateDir.toString()),
                beans);
        services.put(name, service);
        run(name, service);
    }

    private void run(String name, Service service) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(service.application)
                .initializers(created -> service.beans.forEach(
                        (beanName, bean) -> created.getBeanFactory().registerSingleton(beanName, bean)))
                .registerShutdownHook(false).run(service.arguments);
        service.context = context;
        int actualPort = ((WebServerApplicationContext) context).getWebServer().getPort();
        String base = "http://" + StandaloneConfig.HOST + ":" + actualPort;
        service.health = URI.create(base + "/actuator/health");
        endpoints.put(name, base + (name.equals("job-intake") ? "/api/v1" : "/actuator/health"));
    }

    /**
     * Waits until every service's health probe answers 200 (a Streams app that is still rebalancing,
     * e.g. after a crash until the dead member's session times out, answers 503), polling at most
     * {@code limit}. Returns the services that were still not healthy, in name order.
     */
    public List<String> awaitHealthy(Duration limit) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> unhealthy;
        do {
            unhealthy = services.entrySet().stream().filter(entry -> !healthy(client, entry.getValue()))
                    .map(Map.Entry::getKey).sorted().toList();
            if (unhealthy.isEmpty()) {
                return unhealthy;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return unhealthy;
            }
        } while (System.nanoTime() < deadline);
        return unhealthy;
    }

    private static boolean healthy(HttpClient client, Service service) {
        URI health = service.health;
        if (health == null) {
            return false;
        }
        try {
            HttpRequest probe = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build();
            return client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops one service's Spring context and starts it again with the settings it first started with
     * (on a new free port when its port was 0). With {@code wipeLocalState} its local Kafka Streams state
     * directory is deleted in between, so the new context restores its stores from their changelogs.
     * Returns once the new context has started; a restore may still be running then.
     */
    public void restartService(String name, boolean wipeLocalState) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("the stack has no service " + name + "; it has " + services.keySet());
        }
        service.stop();
        if (wipeLocalState && service.stateDir != null) {
            deleteRecursively(service.stateDir);
        }
        run(name, service);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** How a service was started, so that it can be started again the same way. */
    private static final class Service {
        final Class<?> application;
        final String[] arguments;
        final Path stateDir;
        final Map<String, Object> beans;
        volatile ConfigurableApplicationContext context;
        volatile URI health;

        Service(Class<?> application, String[] arguments, Path stateDir, Map<String, Object> beans) {
            this.application = application;
            this.arguments = arguments;
            this.stateDir = stateDir;
            this.beans = Map.copyOf(beans);
        }

        synchronized void stop() {
            ConfigurableApplicationContext running = context;
            context = null;
            if (running != null) {
                running.close();
            }
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName(StandaloneConfig.HOST))) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port on " + StandaloneConfig.HOST, e);
        }
    }

    private <T extends AutoCloseable> T keep(T part) {
        started.add(part);
        return part;
    }

    /** What listens where, in start order. */
    public Map<String, String> endpoints() {
        synchronized (endpoints) {
            return new LinkedHashMap<>(endpoints);
        }
    }

    public String apiUrl() {
        return endpoints().get("job-intake");
    }

    /** The web console job-intake serves at the root of the API's port. */
    public String consoleUrl() {
        String api = apiUrl();
        return api.substring(0, api.length() - "/api/v1".length()) + "/";
    }

    public java.nio.file.Path apiTokenFile() {
        return secrets.apiTokenFile().toAbsolutePath();
    }

    public Path managementTokenFile() {
        return secrets.managementTokenFile().toAbsolutePath();
    }

    /** The token of the services' management endpoints (metrics, health details), for tests and tools. */
    public String managementToken() {
        return secrets.managementToken();
    }

    /** The operator token, for tests and tools; the launcher prints only where it is kept. */
    public String apiToken() {
        return secrets.apiToken();
    }

    /** The CloudStack API simulator job-service and failover-service drive, for tests and tools (its state, faults). */
    public CloudStackSimulator cloudStack() {
        return cloudStack;
    }

    /** The simulated VMA, for fault injection in tests. */
    public VmaSimulator simulator() {
        return simulator;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public long startupMillis() {
        return startupMillis;
    }

    /**
     * Stops the services first, all at once (each closes its own clients while the broker, the registry and the
     * database still answer), then the rest in reverse start order; a part that fails to stop does not stop the
     * others.
     */
    @Override
    public void close() {
        long begin = System.nanoTime();
        stopServices();
        List<AutoCloseable> parts;
        synchronized (started) {
            parts = new ArrayList<>(started);
            started.clear();
        }
        Collections.reverse(parts);
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", part, e.toString());
            }
        }
        log.info("stack stopped in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }

    private void stopServices() {
        ExecutorService stoppers = Executors.newCachedThreadPool();
        try {
            CompletableFuture.allOf(services.entrySet().stream().map(entry -> CompletableFuture.runAsync(() -> {
                try {
                    entry.getValue().stop();
                } catch (RuntimeException e) {
                    log.warn("stopping {} failed: {}", entry.getKey(), e.toString());
                }
            }, stoppers)).toArray(CompletableFuture[]::new)).join();
        } finally {
            stoppers.shutdown();
        }
    }
}
