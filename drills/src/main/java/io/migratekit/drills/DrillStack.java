package io.migratekit.drills;

import io.migratekit.cloudstack.nbd.NbdExportServer;
import io.migratekit.cloudstack.nbd.NbdServerSettings;
import io.migratekit.cssim.SimulatorConfig;
import io.migratekit.infra.ChildGuard;
import io.migratekit.infra.PostgresServer;
import io.migratekit.infra.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline as real, separate processes for the drills: PostgreSQL and the schema registry (the
 * infra module's child processes), the KRaft broker in its own JVM ({@link BrokerMain}) or a cluster
 * of three ({@code kafka.Kafka} each), the VMA simulator in its own JVM, the CloudStack API simulator
 * in its own JVM (state in the drill's directory, so a restart of it keeps every volume and VM) with
 * the appliance's nbdkit over its device directory, and each service instance in its own JVM (the
 * service's own main class), configured as {@code io.migratekit.standalone.Stack} configures them:
 * command-line settings, secrets in the environment or an owner-only file; job-service and
 * failover-service reach CloudStack only through the real client
 * ({@code migratekit.cloudstack.target=cloudstack}) and adopt the nbdkit the drill started. Owns every
 * process it starts, their ports (fixed at start so a restart finds the same addresses), the drill's
 * secrets and its work directory (deleted on close but for the processes' logs); owns no service
 * behaviour.
 */
public final class DrillStack implements AutoCloseable {

    public static final String JOB_INTAKE = "job-intake";
    public static final String DISCOVERY = "discovery-service";
    public static final String JOB_SERVICE = "job-service";
    public static final String PROGRESS = "progress-service";
    public static final String FAILOVER = "failover-service";
    public static final String SCHEDULER = "scheduler-service";
    public static final String CLOUDSTACK = "cloudstack-simulator";

    private static final Logger log = LoggerFactory.getLogger(DrillStack.class);
    private static final String HOST = "127.0.0.1";
    private static final String DATABASE = "migratekit";
    private static final Map<String, String> APPLICATIONS = Map.of(
            JOB_INTAKE, "io.migratekit.intake.JobIntakeApplication",
            DISCOVERY, "io.migratekit.discovery.DiscoveryServiceApplication",
            JOB_SERVICE, "io.migratekit.jobs.JobServiceApplication",
            PROGRESS, "io.migratekit.progress.ProgressServiceApplication",
            FAILOVER, "io.migratekit.failover.FailoverServiceApplication",
            SCHEDULER, "io.migratekit.scheduler.SchedulerServiceApplication");
    /** Services without a database share a classpath that has one: keep Spring from configuring it. */
    private static final String WITHOUT_DATABASE = "--spring.autoconfigure.exclude="
            + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration,"
            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
            + "org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final DrillSettings settings;
    private final Path workDir;
    private final String classpath;
    private final String apiToken = randomToken();
    private final String vmaToken = randomToken();
    private final String vcenterPassword = randomToken();
    private final String cloudStackApiKey = randomToken();
    private final String cloudStackSecretKey = randomToken();
    private final Map<String, ChildProcess> processes = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> servicePorts = Collections.synchronizedMap(new LinkedHashMap<>());
    private PostgresServer postgres;
    private RegistryServer registry;
    private NbdExportServer nbd;
    private ChildGuard.Watcher nbdWatcher;
    private SimulatorConfig cloudStackWorld;
    private String cloudStackUrl;
    private int nbdPort;
    private String bootstrapServers;
    private String simulatorUrl;
    private String apiUrl;

    private DrillStack(DrillSettings settings) {
        this.settings = settings;
        try {
            Path base = Path.of(System.getProperty("drills.work", "target/drill-runs"));
            Files.createDirectories(base);
            this.workDir = Files.createTempDirectory(base.toAbsolutePath(), settings.name() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.classpath = childClasspath(workDir.resolve("lib"));
    }

    /** Starts the infrastructure and the settings' service instances, and waits until each is ready. */
    public static DrillStack start(DrillSettings settings) {
        DrillStack stack = new DrillStack(settings);
        try {
            stack.startAll();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startAll() {
        long begin = System.nanoTime();
        List<ChildProcess> brokers = settings.brokers() == 1 ? List.of(startBroker()) : startCluster();
        postgres = PostgresServer.start(workDir.resolve("postgres"), 0);
        String registryJdbc = postgres.createDatabase("registry");
        postgres.createDatabase(DATABASE);
        registry = RegistryServer.builder().logFile(log("registry"))
                .postgresStorage(registryJdbc, postgres.username(), postgres.password()).start();
        ChildProcess cloudStack = startCloudStack();
        int intakePort = freePort();
        apiUrl = "http://" + HOST + ":" + intakePort;
        int simulatorPort = freePort();
        simulatorUrl = "http://" + HOST + ":" + simulatorPort;
        Map<String, String> simulatorEnv = new LinkedHashMap<>(settings.simulatorEnvironment());
        simulatorEnv.put("VMA_SIM_PORT", Integer.toString(simulatorPort));
        simulatorEnv.put("VMA_SIM_BIND_HOST", HOST);
        simulatorEnv.put("VMA_SIM_OMA_URL", apiUrl);
        simulatorEnv.put("VMA_SIM_OMA_TOKEN", vmaToken);
        ChildProcess simulator = add(new ChildProcess("vma-simulator", classpath,
                "io.migratekit.vmasim.VmaSimulator", List.of(), simulatorEnv, log("vma-simulator"),
                () -> answers(simulatorUrl + "/sim/inventory")).start());
        for (ChildProcess broker : brokers) {
            broker.awaitReady(Duration.ofMinutes(2));
        }
        simulator.awaitReady(Duration.ofMinutes(2));
        cloudStack.awaitReady(Duration.ofMinutes(2));
        startNbd();

        List<String> instances = settings.instances();
        // Topics are created by the first service up; the others find them.
        String first = instances.get(0);
        servicePorts.put(JOB_INTAKE, intakePort);
        add(service(first)).start().awaitReady(Duration.ofMinutes(4));
        List<ChildProcess> rest = new ArrayList<>();
        for (String instance : instances.subList(1, instances.size())) {
            rest.add(add(service(instance)).start());
        }
        for (ChildProcess process : rest) {
            process.awaitReady(Duration.ofMinutes(5));
        }
        log.info("drill stack {} up in {} ms: {}", settings.name(), (System.nanoTime() - begin) / 1_000_000,
                processes.keySet());
    }

    /**
     * The CloudStack API simulator in its own JVM, configured from its environment: the drill's key pair,
     * its data directory under the drill's, a short job delay (drills lengthen single jobs with faults).
     */
    private ChildProcess startCloudStack() {
        int port = freePort();
        Path dataDir = workDir.resolve("cloudstack");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CS_SIM_DATA_DIR", dataDir.toString());
        env.put("CS_SIM_DEVICE_DIR", dataDir.resolve("devices").toString());
        env.put("CS_SIM_API_KEY", cloudStackApiKey);
        env.put("CS_SIM_SECRET_KEY", cloudStackSecretKey);
        env.put("CS_SIM_PORT", Integer.toString(port));
        env.put("CS_SIM_BIND_HOST", HOST);
        env.put("CS_SIM_JOB_DELAY_MS", "200");
        // the world it seeds (zone, offerings, template, appliance VM, networks), as the services must name it
        cloudStackWorld = SimulatorConfig.fromEnv(env);
        cloudStackUrl = "http://" + HOST + ":" + port;
        return add(new ChildProcess(CLOUDSTACK, classpath, "io.migratekit.cssim.CloudStackSimulator", List.of(), env,
                log(CLOUDSTACK), () -> answers(cloudStackUrl + "/sim/faults")).start());
    }

    /**
     * The appliance's one nbdkit over the simulator's device directory, started here so that it outlives
     * a killed service as it would on an appliance (the services adopt it: same settings, same state
     * directory); it must not outlive the drill's JVM.
     */
    private void startNbd() {
        nbdPort = freePort();
        Path state = workDir.resolve("nbd");
        nbd = NbdExportServer.start(new NbdServerSettings(cloudStackWorld.deviceDir(), state, HOST, nbdPort, HOST,
                NbdServerSettings.DEFAULT_SERVER_BINARY, Duration.ofSeconds(10), Duration.ofSeconds(10)));
        nbdWatcher = ChildGuard.watch(nbd.serverPid(), state.resolve("nbdkit.pid").toString(), "TERM");
    }

    /** The settings that point job-service and failover-service at the simulator through the real client. */
    private List<String> cloudStackArguments() {
        Path secretFile = writeSecret("cloudstack-secret-key", cloudStackSecretKey);
        List<String> args = new ArrayList<>();
        args.add("--migratekit.cloudstack.target=cloudstack");
        args.add("--migratekit.cloudstack.nbd-host=" + HOST);
        args.add("--migratekit.cloudstack.nbd-port=" + nbdPort);
        args.add("--migratekit.cloudstack.nbd-bind-address=" + HOST);
        args.add("--migratekit.cloudstack.nbd-state-dir=" + workDir.resolve("nbd"));
        args.add("--migratekit.cloudstack.nbd-device-dir=" + cloudStackWorld.deviceDir());
        String t = "--migratekit.cloudstack.targets[0].";
        args.add(t + "id=1");
        args.add(t + "api-url=" + cloudStackUrl + "/client/api");
        args.add(t + "api-key=" + cloudStackApiKey);
        args.add(t + "secret-file=" + secretFile);
        args.add(t + "zone-id=" + cloudStackWorld.zone().id());
        args.add(t + "disk-offering-id=" + cloudStackWorld.diskOffering().id());
        args.add(t + "service-offering-id=" + cloudStackWorld.serviceOffering().id());
        args.add(t + "template-id=" + cloudStackWorld.template().id());
        args.add(t + "appliance-vm-id=" + cloudStackWorld.applianceVm().id());
        args.add(t + "test-networks.defaults[0]=" + cloudStackWorld.networks().get(0).id());
        args.add(t + "live-networks.defaults[0]=" + cloudStackWorld.networks().get(1).id());
        return args;
    }

    /** A secret in an owner-only file of the drill's directory. */
    private Path writeSecret(String name, String secret) {
        Path file = workDir.resolve("secrets").resolve(name);
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secret file " + file, e);
        }
    }

    /** One broker, the infra module's, in its own JVM. */
    private ChildProcess startBroker() {
        int brokerPort = freePort();
        bootstrapServers = HOST + ":" + brokerPort;
        return add(new ChildProcess("kafka-broker", classpath, BrokerMain.class.getName(),
                List.of(workDir.resolve("kafka").toString(), Integer.toString(brokerPort),
                        Integer.toString(freePort())),
                Map.of(), log("kafka-broker"), () -> listens(brokerPort)).start());
    }

    /**
     * Three KRaft nodes (each broker and controller, static quorum), each Kafka's own {@code kafka.Kafka}
     * on a properties file, formatted first with Kafka's storage tool; replicated internal topics.
     */
    private List<ChildProcess> startCluster() {
        int[] brokerPorts = {freePort(), freePort(), freePort()};
        int[] controllerPorts = {freePort(), freePort(), freePort()};
        List<String> voters = new ArrayList<>();
        List<String> bootstrap = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            voters.add((i + 1) + "@" + HOST + ":" + controllerPorts[i]);
            bootstrap.add(HOST + ":" + brokerPorts[i]);
        }
        bootstrapServers = String.join(",", bootstrap);
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        List<ChildProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path config = writeNodeConfig(i + 1, brokerPorts[i], controllerPorts[i], String.join(",", voters));
            String name = "kafka-broker-" + (i + 1);
            new ChildProcess(name + "-format", classpath, "kafka.tools.StorageTool",
                    List.of("format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"), Map.of(),
                    log(name), () -> true).start().awaitExit(Duration.ofMinutes(2));
            int port = brokerPorts[i];
            nodes.add(add(new ChildProcess(name, classpath, "kafka.Kafka", List.of(config.toString()), Map.of(),
                    log(name), () -> listens(port)).start()));
        }
        return nodes;
    }

    private Path writeNodeConfig(int nodeId, int brokerPort, int controllerPort, String voters) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(nodeId));
        config.put("controller.quorum.voters", voters);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":"
                + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", workDir.resolve("kafka-" + nodeId).toString());
        config.put("auto.create.topics.enable", "false");
        config.put("default.replication.factor", "3");
        config.put("min.insync.replicas", "2");
        config.put("offsets.topic.replication.factor", "3");
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", "3");
        config.put("transaction.state.log.min.isr", "2");
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.replication.factor", "3");
        config.put("share.coordinator.state.topic.min.isr", "2");
        config.put("group.initial.rebalance.delay.ms", "0");
        StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path file = workDir.resolve("kafka-" + nodeId + ".properties");
        try {
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The process of one service instance ({@code job-service}, {@code job-service#2}) or of the broker. */
    private ChildProcess service(String instance) {
        String service = serviceOf(instance);
        int port = servicePorts.computeIfAbsent(instance, ignored -> freePort());
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + port);
        args.add("--server.address=" + HOST);
        args.add("--spring.kafka.bootstrap-servers=" + bootstrapServers);
        args.add("--migratekit.registry.url=" + registry.baseUrl());
        args.add("--migratekit.topics.partitions=" + settings.partitions());
        if (settings.brokers() == 3) {
            args.add("--migratekit.topics.replication-factor=3");
            args.add("--migratekit.topics.min-insync-replicas=2");
        }
        args.add("--migratekit.vma.url=" + simulatorUrl);
        args.add("--migratekit.vma.oma-url=" + apiUrl);
        args.add("--migratekit.vma.default-username=administrator@vsphere.local");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MIGRATEKIT_VMA_DEFAULT_PASSWORD", vcenterPassword);
        boolean database = !service.equals(DISCOVERY) && !service.equals(PROGRESS);
        if (database) {
            args.add("--spring.datasource.url=" + postgres.jdbcUrl(DATABASE));
            args.add("--spring.datasource.username=" + postgres.username());
            env.put("SPRING_DATASOURCE_PASSWORD", postgres.password());
        } else {
            args.add(WITHOUT_DATABASE);
        }
        if (service.equals(JOB_SERVICE) || service.equals(PROGRESS)) {
            args.add("--migratekit.streams.state-dir=" + workDir.resolve("streams/" + instance.replace('#', '-')));
        }
        if (service.equals(JOB_INTAKE)) {
            args.add("--migratekit.security.tokens[0].name=operator");
            args.add("--migratekit.security.tokens[0].sha256=" + sha256(apiToken));
            args.add("--migratekit.security.tokens[0].role=operator");
            args.add("--migratekit.security.tokens[1].name=vma");
            args.add("--migratekit.security.tokens[1].sha256=" + sha256(vmaToken));
            args.add("--migratekit.security.tokens[1].role=vma");
        }
        if (service.equals(SCHEDULER)) {
            // Each instance its own name: it resumes the executions it claimed after a restart.
            args.add("--migratekit.scheduler.instance-id=" + instance.replace('#', '-'));
        }
        if (service.equals(JOB_SERVICE) || service.equals(FAILOVER)) {
            args.addAll(cloudStackArguments());
        }
        if (service.equals(FAILOVER)) {
            args.add("--migratekit.failover.final-sync-deadline-unit=" + settings.finalSyncDeadlineUnit().toMillis()
                    + "ms");
        }
        args.addAll(settings.extraArguments().getOrDefault(service, List.of()));
        String health = "http://" + HOST + ":" + port + "/actuator/health/readiness";
        return new ChildProcess(instance, classpath, APPLICATIONS.get(service), args, env, log(instance),
                () -> answers(health));
    }

    private static String serviceOf(String instance) {
        int hash = instance.indexOf('#');
        return hash < 0 ? instance : instance.substring(0, hash);
    }

    private ChildProcess add(ChildProcess process) {
        processes.put(process.name(), process);
        return process;
    }

    private Path log(String name) {
        return workDir.resolve("logs/" + name.replace('#', '-') + ".log");
    }

    /**
     * A process by name: {@code kafka-broker} ({@code kafka-broker-1..3}), {@code vma-simulator},
     * {@code cloudstack-simulator}, a service.
     */
    public ChildProcess process(String name) {
        ChildProcess process = processes.get(name);
        if (process == null) {
            throw new IllegalArgumentException("the drill stack has no process " + name + "; it has "
                    + processes.keySet());
        }
        return process;
    }

    /** SIGKILL of the process. */
    public void kill(String name) {
        process(name).kill();
        log.info("killed {}", name);
    }

    /** Starts a killed process again with its settings and waits until it is ready; returns how long that took. */
    public Duration restart(String name) {
        Duration took = process(name).start().awaitReady(Duration.ofMinutes(5));
        log.info("{} ready again after {} ms", name, took.toMillis());
        return took;
    }

    public String apiUrl() {
        return apiUrl;
    }

    public String apiToken() {
        return apiToken;
    }

    public String simulatorUrl() {
        return simulatorUrl;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registry.baseUrl();
    }

    /** The read model's database. */
    public DataSource database() {
        return postgres.dataSource(DATABASE);
    }

    /** The CloudStack API simulator's base URL (its API under {@code /client/api}, its admin routes under {@code /sim}). */
    public String cloudStackUrl() {
        return cloudStackUrl;
    }

    /** The world the CloudStack simulator seeded (zone, offerings, template, the appliance VM, networks). */
    public SimulatorConfig cloudStackWorld() {
        return cloudStackWorld;
    }

    /** The secrets the drill generated, for scans that must not find them. */
    public List<String> secrets() {
        return List.of(apiToken, vmaToken, vcenterPassword, cloudStackSecretKey);
    }

    public Path workDir() {
        return workDir;
    }

    /** Stops every process (service instances first, forcibly), nbdkit, the registry and PostgreSQL. */
    @Override
    public void close() {
        List<ChildProcess> all;
        synchronized (processes) {
            all = new ArrayList<>(processes.values());
        }
        Collections.reverse(all);
        for (ChildProcess process : all) {
            process.kill();
        }
        if (nbdWatcher != null) {
            nbdWatcher.cancel();
        }
        for (AutoCloseable part : new AutoCloseable[] {nbd, registry, postgres}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    log.warn("stopping {} failed: {}", part, e.toString());
                }
            }
        }
        deleteAllBut(workDir, workDir.resolve("logs"));
    }

    /** The drill's data (broker logs, database, copied jars, state stores) goes; its process logs stay. */
    private static void deleteAllBut(Path directory, Path kept) {
        try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!path.startsWith(kept) && !path.equals(directory)) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            log.warn("could not delete the data of {}: {}", directory, e.toString());
        }
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket(HOST, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(String url) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The child JVMs' classpath: this module's classes and runtime dependencies, with the project's own
     * (snapshot) artifacts copied into the drill's directory first, so that a rebuild of a module
     * during the drill cannot change the code a restarted process runs.
     */
    private static String childClasspath(Path lib) {
        String file = System.getProperty("drills.classpath-file", "target/child.classpath");
        String classes = System.getProperty("drills.classes", "target/classes");
        try {
            Files.createDirectories(lib);
            List<String> entries = new ArrayList<>();
            entries.add(copy(Path.of(classes).toAbsolutePath(), lib.resolve("0-classes")));
            for (String entry : Files.readString(Path.of(file), StandardCharsets.UTF_8).trim()
                    .split(java.io.File.pathSeparator)) {
                Path path = Path.of(entry);
                entries.add(Files.isDirectory(path) || entry.contains("SNAPSHOT")
                        ? copy(path, lib.resolve(entries.size() + "-" + path.getFileName())) : entry);
            }
            return String.join(java.io.File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("the child JVMs' classpath " + file + " is missing or unreadable: build "
                    + "the drills module with Maven first", e);
        }
    }

    private static String copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (java.util.stream.Stream<Path> files = Files.walk(source)) {
                for (Path from : files.toList()) {
                    Path to = target.resolve(source.relativize(from).toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to);
                    }
                }
            }
        } else {
            Files.copy(source, target);
        }
        return target.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
