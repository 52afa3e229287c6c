package io.migratekit.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings every service shares: where the schema registry is, how topics are laid out, and
 * how long start-up waits for its dependencies. Kafka's own address is Spring's
 * {@code spring.kafka.bootstrap-servers}; the database is {@code spring.datasource.*}.
 */
@ConfigurationProperties("migratekit")
public class PlatformProperties {

    /** The service's name, used as consumer group prefix and in dead-letter headers. */
    private String serviceName = "migratekit";
    private final Registry registry = new Registry();
    private final Topics topics = new Topics();
    private Duration startupTimeout = Duration.ofSeconds(20);

    public String getServiceName() {
        return serviceName;
    }

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public Registry getRegistry() {
        return registry;
    }

    public Topics getTopics() {
        return topics;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }

    /** The schema registry. */
    public static class Registry {
        /** Base address of the registry, e.g. http://127.0.0.1:8080 (env MIGRATEKIT_REGISTRY_URL). */
        private String url = "http://127.0.0.1:8080";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }
    }

    /** Topic layout; the defaults fit one broker, production sets 3 / 2. */
    public static class Topics {
        private int partitions = 6;
        private short replicationFactor = 1;
        private int minInsyncReplicas = 1;
        private Duration retention = Duration.ofDays(7);
        /** Whether this service creates missing topics at start-up. */
        private boolean create = true;

        public int getPartitions() {
            return partitions;
        }

        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        public short getReplicationFactor() {
            return replicationFactor;
        }

        public void setReplicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
        }

        public int getMinInsyncReplicas() {
            return minInsyncReplicas;
        }

        public void setMinInsyncReplicas(int minInsyncReplicas) {
            this.minInsyncReplicas = minInsyncReplicas;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public boolean isCreate() {
            return create;
        }

        public void setCreate(boolean create) {
            this.create = create;
        }
    }
}
