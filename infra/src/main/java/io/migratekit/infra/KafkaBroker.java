package io.migratekit.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller in one node), running inside the
 * current JVM.
 *
 * <p>Owns the broker's configuration for one node, the one-time formatting of its storage directory (with Kafka's own
 * {@link Formatter}) and its start and clean shutdown. A data directory that is already formatted is reused as it is,
 * so topics and records survive a restart on the same directory. It does not create topics, does not configure any
 * client and does not manage logging levels (see {@code io/migratekit/infra/logback-infra-levels.xml}).
 *
 * <p>The controller quorum is static ({@code controller.quorum.voters}), so the controller port may differ from one
 * start to the next. The broker shares the JVM with its caller: Kafka's metrics registry and JMX beans are JVM-wide,
 * and a fault Kafka treats as fatal ends the JVM, as it would end a broker process.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String LOOPBACK = "127.0.0.1";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean temporary;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean temporary) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * Starts a broker whose data lives in {@code dataDir}, formatting it first if it is not formatted yet.
     *
     * @param dataDir        the log and metadata directory; kept on close
     * @param host           the address both listeners bind to and the broker advertises, e.g. {@code 127.0.0.1}
     * @param port           the client port, 0 for any free port
     * @param controllerPort the KRaft controller port, 0 for any free port
     * @throws PortInUseException if {@code port} or {@code controllerPort} is taken
     */
    public static KafkaBroker start(Path dataDir, String host, int port, int controllerPort) {
        return start(dataDir, host, port, controllerPort, false);
    }

    /** Starts a broker on free loopback ports in a fresh temporary directory that is deleted on close. */
    public static KafkaBroker startTemporary() {
        return start(Directories.createTemporary("migratekit-kafka-"), LOOPBACK, 0, 0, true);
    }

    private static KafkaBroker start(Path dataDir, String host, int port, int controllerPort, boolean temporary) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(host, "host");
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("Kafka broker and controller need different ports, both are " + port);
        }
        long startedAt = System.nanoTime();
        int brokerPort = Ports.resolve("Kafka broker", host, port);
        int quorumPort = Ports.resolve("Kafka controller", host, controllerPort);
        while (quorumPort == brokerPort) {
            if (controllerPort == 0) {
                quorumPort = Ports.resolve("Kafka controller", host, 0);
            } else {
                brokerPort = Ports.resolve("Kafka broker", host, 0);
            }
        }
        Path logDir = dataDir.toAbsolutePath();
        KafkaRaftServer server;
        try {
            KafkaConfig config = new KafkaConfig(configuration(logDir, host, brokerPort, quorumPort), false);
            formatIfNeeded(logDir);
            server = new KafkaRaftServer(config, Time.SYSTEM);
        } catch (RuntimeException e) {
            deleteIfTemporary(logDir, temporary);
            throw e;
        }
        try {
            server.startup();
        } catch (RuntimeException e) {
            try {
                stop(server);
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            deleteIfTemporary(logDir, temporary);
            throw new IllegalStateException("Kafka broker failed to start on " + host + ":" + brokerPort
                    + " (controller port " + quorumPort + ", data " + logDir + "): " + e.getMessage(), e);
        }
        String bootstrapServers = host + ":" + brokerPort;
        log.info("Kafka broker started on {} (controller port {}, data {}) in {} ms",
                bootstrapServers, quorumPort, logDir, (System.nanoTime() - startedAt) / 1_000_000);
        return new KafkaBroker(server, bootstrapServers, logDir, temporary);
    }

    /** The {@code bootstrap.servers} value for clients, {@code host:port}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's log and metadata directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down and waits for it; deletes the data directory if it was temporary. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop(server);
        log.info("Kafka broker on {} stopped", bootstrapServers);
        deleteIfTemporary(dataDir, temporary);
    }

    private static void deleteIfTemporary(Path dataDir, boolean temporary) {
        if (!temporary) {
            return;
        }
        try {
            Directories.deleteRecursively(dataDir);
        } catch (IOException e) {
            log.warn("Could not delete the temporary Kafka directory {}: {}", dataDir, e.toString());
        }
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Map<String, String> configuration(Path logDir, String host, int brokerPort, int controllerPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", Integer.toString(NODE_ID));
        settings.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        settings.put("controller.listener.names", CONTROLLER_LISTENER);
        settings.put("inter.broker.listener.name", BROKER_LISTENER);
        settings.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        settings.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
        settings.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        settings.put("log.dirs", logDir.toString());

        settings.put("num.partitions", "3");
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("auto.create.topics.enable", "false");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "5");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "5");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("share.coordinator.state.topic.num.partitions", "5");
        return settings;
    }

    private static void formatIfNeeded(Path logDir) {
        try {
            Files.createDirectories(logDir);
            MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(List.of(logDir.toString()))
                    .load();
            if (!ensemble.logDirProps().isEmpty()) {
                log.debug("Kafka storage {} is already formatted", logDir);
                return;
            }
            String clusterId = Uuid.randomUuid().toString();
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(List.of(logDir.toString()))
                    .run();
            log.info("Formatted Kafka storage {} for cluster {}", logDir, clusterId);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage " + logDir + ": " + e.getMessage(), e);
        }
    }
}
