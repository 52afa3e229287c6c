package io.migratekit.bench;

import io.migratekit.schemas.RegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka clients configured the way every MigrateKit service is: the producer's acks, idempotence and
 * linger and the consumer's isolation level are read from the platform's own defaults file
 * ({@value #PLATFORM_DEFAULTS}), values are Avro through the stack's registry in Confluent's wire
 * format. So the raw Kafka floor and the benchmark's publishers run with exactly what the services run
 * with. Owns no client: each caller closes what it gets.
 */
final class PlatformClients {

    static final String PLATFORM_DEFAULTS = "migratekit-platform-defaults.properties";
    private static final String ACKS = "spring.kafka.producer.acks";
    private static final String IDEMPOTENCE = "spring.kafka.producer.properties.enable.idempotence";
    private static final String LINGER = "spring.kafka.producer.properties.linger.ms";
    private static final String ISOLATION = "spring.kafka.consumer.isolation-level";

    private final Properties defaults;
    private final String bootstrapServers;
    private final RegistrySettings registry;

    PlatformClients(String bootstrapServers, String registryBaseUrl) {
        this.defaults = platformDefaults();
        this.bootstrapServers = bootstrapServers;
        this.registry = RegistrySettings.ofBaseUrl(registryBaseUrl);
    }

    RegistrySettings registry() {
        return registry;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** The producer settings the services share, as the report prints them. */
    String describeProducer() {
        return "acks=" + required(ACKS) + ", enable.idempotence=" + required(IDEMPOTENCE) + ", linger.ms="
                + required(LINGER) + "; consumers " + required(ISOLATION) + "; Avro values through the registry";
    }

    KafkaProducer<String, SpecificRecord> producer(String clientId) {
        Map<String, Object> config = new HashMap<>(registry.producerSerdeConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, required(ACKS));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, required(IDEMPOTENCE));
        config.put(ProducerConfig.LINGER_MS_CONFIG, required(LINGER));
        return new KafkaProducer<>(config);
    }

    /** A consumer without a group (the caller assigns partitions), reading what the services read. */
    KafkaConsumer<String, Object> consumer(String clientId) {
        Map<String, Object> config = new HashMap<>(registry.consumerSerdeConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, required(ISOLATION));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(config);
    }

    Admin admin(String clientId) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId));
    }

    private String required(String key) {
        String value = defaults.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(PLATFORM_DEFAULTS + " has no " + key);
        }
        return value.trim();
    }

    private static Properties platformDefaults() {
        Properties properties = new Properties();
        try (InputStream in = PlatformClients.class.getClassLoader().getResourceAsStream(PLATFORM_DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(PLATFORM_DEFAULTS + " is not on the classpath (platform module)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
