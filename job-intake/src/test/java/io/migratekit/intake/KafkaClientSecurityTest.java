package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Drill 11 of docs/reliability.md, Kafka client security: what production sets under
 * {@code spring.kafka.security.*}, {@code spring.kafka.ssl.*} and {@code spring.kafka.properties.*}
 * reaches job-intake's own Kafka clients (the request client and the failover answer listener),
 * which Boot does not build. Regression test: the TLS stores of {@code spring.kafka.ssl.*} used to be
 * dropped, so those two clients could not connect to a TLS-only broker.
 */
class KafkaClientSecurityTest {

    @Test
    void tlsAndSaslSettingsReachJobIntakesOwnClientsAndRegistrySettingsDoNot() {
        KafkaProperties kafka = bind(Map.of(
                "spring.kafka.security.protocol", "SASL_SSL",
                "spring.kafka.ssl.trust-store-location", "file:config/kafka-truststore.p12",
                "spring.kafka.ssl.trust-store-password", "test-only-store-password",
                "spring.kafka.ssl.trust-store-type", "PKCS12",
                "spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512",
                "spring.kafka.properties.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"intake\" password=\"test-only\";",
                "spring.kafka.properties.apicurio.registry.url", "http://registry.test/apis/registry/v3"));

        Map<String, Object> client = IntakePipelineConfiguration.clientProperties(kafka);

        assertThat(client).containsOnlyKeys("security.protocol", "ssl.truststore.location",
                "ssl.truststore.password", "ssl.truststore.type", "sasl.mechanism", "sasl.jaas.config");
        assertThat(client).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.password", "test-only-store-password")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(String.valueOf(client.get("ssl.truststore.location"))).endsWith("kafka-truststore.p12");
    }

    @Test
    void withoutSecuritySettingsNothingIsAdded() {
        assertThat(IntakePipelineConfiguration.clientProperties(bind(Map.of()))).isEmpty();
    }

    private static KafkaProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("spring.kafka", KafkaProperties.class);
    }
}
