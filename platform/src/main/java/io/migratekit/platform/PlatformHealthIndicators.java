package io.migratekit.platform;

import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Health of the two dependencies every service has: the Kafka cluster and the schema registry. */
public final class PlatformHealthIndicators {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private PlatformHealthIndicators() {
    }

    /** UP while the cluster answers; reports the broker count. */
    public static class KafkaHealthIndicator extends AbstractHealthIndicator {
        private final KafkaProbe probe;

        public KafkaHealthIndicator(KafkaProbe probe) {
            super("Kafka is not reachable");
            this.probe = probe;
        }

        @Override
        protected void doHealthCheck(Health.Builder builder) throws Exception {
            builder.up().withDetail("bootstrapServers", probe.bootstrapServers())
                    .withDetail("brokers", probe.liveBrokers(PROBE_TIMEOUT));
        }
    }

    /** UP while the registry answers its system info. */
    public static class RegistryHealthIndicator extends AbstractHealthIndicator {
        private final RegistryClient registry;

        public RegistryHealthIndicator(RegistryClient registry) {
            super("Schema registry is not reachable");
            this.registry = registry;
        }

        @Override
        protected void doHealthCheck(Health.Builder builder) throws Exception {
            registry.check(PROBE_TIMEOUT);
            builder.up().withDetail("url", registry.url());
        }
    }
}
