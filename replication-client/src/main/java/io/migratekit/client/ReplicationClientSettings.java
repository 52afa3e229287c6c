package io.migratekit.client;

import io.migratekit.schemas.RegistrySettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link ReplicationClient} needs to know, from the caller's configuration: where
 * Kafka and the schema registry are, how the client names itself to the broker, and how long it
 * waits. Holds no connection.
 *
 * @param bootstrapServers Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
 * @param registry         the schema registry (wire format of the events)
 * @param clientId         the client id the producer and the outcome listener report to the broker
 * @param publishTimeout   the longest a publish may take, broker acknowledgement included; when
 *                         the broker is gone the publish fails after this instead of hanging
 * @param startTimeout     the longest {@link ReplicationClient#start} waits for the outcome
 *                         listener to find and position itself on the outcome topics
 * @param kafkaProperties  extra Kafka client settings for both the producer and the consumer
 *                         (security protocol, SASL, TLS); they cannot weaken the client's own
 *                         guarantees (acks, idempotence, read_committed), which are applied last
 */
public record ReplicationClientSettings(
        String bootstrapServers,
        RegistrySettings registry,
        String clientId,
        Duration publishTimeout,
        Duration startTimeout,
        Map<String, Object> kafkaProperties) {

    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIN_PUBLISH_TIMEOUT = Duration.ofSeconds(1);

    public ReplicationClientSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are not set");
        }
        Objects.requireNonNull(registry, "registry");
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("client id is not set");
        }
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (publishTimeout.compareTo(MIN_PUBLISH_TIMEOUT) < 0) {
            throw new IllegalArgumentException("publish timeout must be at least " + MIN_PUBLISH_TIMEOUT);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("start timeout must be positive");
        }
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
    }

    /** Settings with the default timeouts and no extra Kafka properties. */
    public static ReplicationClientSettings of(String bootstrapServers, RegistrySettings registry, String clientId) {
        return new ReplicationClientSettings(bootstrapServers, registry, clientId, DEFAULT_PUBLISH_TIMEOUT,
                DEFAULT_START_TIMEOUT, Map.of());
    }

    public ReplicationClientSettings withPublishTimeout(Duration timeout) {
        return new ReplicationClientSettings(bootstrapServers, registry, clientId, timeout, startTimeout,
                kafkaProperties);
    }

    public ReplicationClientSettings withStartTimeout(Duration timeout) {
        return new ReplicationClientSettings(bootstrapServers, registry, clientId, publishTimeout, timeout,
                kafkaProperties);
    }

    public ReplicationClientSettings withKafkaProperties(Map<String, Object> properties) {
        return new ReplicationClientSettings(bootstrapServers, registry, clientId, publishTimeout, startTimeout,
                properties);
    }
}
