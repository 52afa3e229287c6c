package io.migratekit.standalone;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the standalone stack keeps its data and which loopback ports each part listens on. Every
 * value can be overridden by an environment variable ({@code MIGRATEKIT_DATA_DIR},
 * {@code MIGRATEKIT_KAFKA_PORT}, {@code MIGRATEKIT_API_PORT}, {@code MIGRATEKIT_CLOUDSTACK_PORT} (the
 * CloudStack API simulator), {@code MIGRATEKIT_NBD_PORT} (the NBD exports), …); 0 means any free port.
 */
public record StandaloneConfig(Path dataDir, int kafkaPort, int kafkaControllerPort, int registryPort,
        int postgresPort, int vmaPort, int intakePort, int discoveryPort, int jobServicePort, int progressPort,
        int failoverPort, int partitions, int cloudStackPort, int nbdPort, int schedulerPort) {

    public static final String HOST = "127.0.0.1";

    public static StandaloneConfig fromEnvironment(Map<String, String> env) {
        return new StandaloneConfig(
                Path.of(env.getOrDefault("MIGRATEKIT_DATA_DIR", "data")),
                port(env, "MIGRATEKIT_KAFKA_PORT", 9092),
                port(env, "MIGRATEKIT_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "MIGRATEKIT_REGISTRY_PORT", 8080),
                port(env, "MIGRATEKIT_POSTGRES_PORT", 5432),
                port(env, "MIGRATEKIT_VMA_PORT", 8081),
                port(env, "MIGRATEKIT_API_PORT", 8082),
                port(env, "MIGRATEKIT_DISCOVERY_PORT", 8083),
                port(env, "MIGRATEKIT_JOB_SERVICE_PORT", 8084),
                port(env, "MIGRATEKIT_PROGRESS_PORT", 8085),
                port(env, "MIGRATEKIT_FAILOVER_PORT", 8086),
                port(env, "MIGRATEKIT_PARTITIONS", 6),
                port(env, "MIGRATEKIT_CLOUDSTACK_PORT", 8088),
                port(env, "MIGRATEKIT_NBD_PORT", 10809),
                port(env, "MIGRATEKIT_SCHEDULER_PORT", 8087));
    }

    /** Every part on a free port, data in the given directory: for tests. */
    public static StandaloneConfig onFreePorts(Path dataDir) {
        return new StandaloneConfig(dataDir, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0);
    }

    /** The same settings with that many partitions per topic. */
    public StandaloneConfig withPartitions(int count) {
        return new StandaloneConfig(dataDir, kafkaPort, kafkaControllerPort, registryPort, postgresPort, vmaPort,
                intakePort, discoveryPort, jobServicePort, progressPort, failoverPort, count, cloudStackPort, nbdPort,
                schedulerPort);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
        }
    }
}
