package io.migratekit.platform;

import io.migratekit.schemas.TopicSettings;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * At start-up, before any listener runs: checks that Kafka and the schema registry answer, and
 * creates the pipeline's missing topics with their value schemas registered (self-contained, each
 * subject's compatibility level set: {@link io.migratekit.schemas.EventSchemas}). A missing
 * dependency stops the service once with a {@link DependencyUnavailableException} naming it, instead
 * of a loop of connection errors.
 */
public class PlatformStartupCheck implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(PlatformStartupCheck.class);

    private final PlatformProperties properties;
    private final KafkaProbe kafka;
    private final Map<String, Object> adminConfig;
    private final RegistryClient registry;
    private final TopicSettings topicSettings;

    public PlatformStartupCheck(PlatformProperties properties, KafkaProbe kafka, Map<String, Object> adminConfig,
            RegistryClient registry, TopicSettings topicSettings) {
        this.properties = properties;
        this.kafka = kafka;
        this.adminConfig = adminConfig;
        this.registry = registry;
        this.topicSettings = topicSettings;
    }

    @Override
    public void afterPropertiesSet() {
        try {
            int brokers = kafka.liveBrokers(properties.getStartupTimeout());
            log.info("Kafka reachable at {} ({} broker(s))", kafka.bootstrapServers(), brokers);
        } catch (Exception e) {
            throw new DependencyUnavailableException("Kafka", kafka.bootstrapServers(),
                    "SPRING_KAFKA_BOOTSTRAP_SERVERS", properties.getStartupTimeout(), e);
        }
        try {
            registry.check(properties.getStartupTimeout());
            log.info("Schema registry reachable at {}", registry.url());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new DependencyUnavailableException("The schema registry", registry.url(),
                    "MIGRATEKIT_REGISTRY_URL", properties.getStartupTimeout(), e);
        }
        if (properties.getTopics().isCreate()) {
            try (Admin admin = Admin.create(kafka.withTimeouts(properties.getStartupTimeout()))) {
                topicSettings.ensureTopics(admin, properties.getStartupTimeout());
            }
            registry.registerEventSchemas();
            log.info("Event schemas registered at {}", registry.url());
        }
    }
}
