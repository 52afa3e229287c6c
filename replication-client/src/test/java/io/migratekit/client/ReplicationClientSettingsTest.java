package io.migratekit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.schemas.RegistrySettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationClientSettingsTest {

    private static final RegistrySettings REGISTRY = RegistrySettings.ofBaseUrl("http://127.0.0.1:1");

    @Test
    void defaultsBoundThePublishAndTheStart() {
        ReplicationClientSettings settings = ReplicationClientSettings.of("127.0.0.1:9092", REGISTRY, "gui");

        assertThat(settings.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.kafkaProperties()).isEmpty();
    }

    @Test
    void missingOrUnboundedValuesAreRefused() {
        assertThatThrownBy(() -> ReplicationClientSettings.of(" ", REGISTRY, "gui"))
                .hasMessage("Kafka bootstrap servers are not set");
        assertThatThrownBy(() -> ReplicationClientSettings.of("127.0.0.1:9092", REGISTRY, ""))
                .hasMessage("client id is not set");
        assertThatThrownBy(() -> ReplicationClientSettings.of("127.0.0.1:9092", REGISTRY, "gui")
                .withPublishTimeout(Duration.ofMillis(10)))
                .hasMessage("publish timeout must be at least PT1S");
        assertThatThrownBy(() -> ReplicationClientSettings.of("127.0.0.1:9092", REGISTRY, "gui")
                .withStartTimeout(Duration.ZERO))
                .hasMessage("start timeout must be positive");
    }

    @Test
    void theProducerIsIdempotentWithAcksAllAndEveryWaitBounded() {
        ReplicationClientSettings settings = ReplicationClientSettings.of("127.0.0.1:9092", REGISTRY, "gui")
                .withPublishTimeout(Duration.ofSeconds(3))
                .withKafkaProperties(Map.of("acks", "1", "enable.idempotence", false, "security.protocol", "SSL"));

        Map<String, Object> config = ReplicationClient.producerConfig(settings);

        assertThat(config).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("max.block.ms", 3000)
                .containsEntry("delivery.timeout.ms", 3000)
                .containsEntry("request.timeout.ms", 3000)
                .containsEntry("linger.ms", 0)
                .containsEntry("client.id", "gui")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("apicurio.registry.headers.enabled", "false");
    }

    @Test
    void theOutcomeConsumerHasNoGroupAndReadsCommittedDataOnly() {
        ReplicationClientSettings settings = ReplicationClientSettings.of("127.0.0.1:9092", REGISTRY, "gui")
                .withKafkaProperties(Map.of("group.id", "shared", "isolation.level", "read_uncommitted"));

        Map<String, Object> config = ReplicationClient.consumerConfig(settings);

        assertThat(config).doesNotContainKey("group.id")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "latest")
                .containsEntry("allow.auto.create.topics", false)
                .containsEntry("client.id", "gui-outcomes");
    }
}
