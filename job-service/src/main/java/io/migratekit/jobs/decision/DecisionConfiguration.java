package io.migratekit.jobs.decision;

import io.micrometer.core.instrument.MeterRegistry;
import io.migratekit.platform.PlatformProperties;
import io.migratekit.platform.streams.KafkaDeadLetterSink;
import io.migratekit.platform.streams.StreamsApp;
import io.migratekit.platform.streams.StreamsAppHealthIndicator;
import io.migratekit.platform.streams.StreamsProperties;
import io.migratekit.schemas.RegistrySettings;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires the decision: the topology with production settings and its outcome counter, run as the
 * platform's {@link StreamsApp} with the pipeline's standard Streams configuration (exactly-once v2,
 * dead-letter handlers; every processing failure of a record is poison here), and its health.
 * Kafka's address and security come from Spring's {@code spring.kafka.*}, like every other client of
 * the service.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({StreamsProperties.class, DecisionProperties.class})
public class DecisionConfiguration {

    @Bean
    DecisionMetrics decisionMetrics(MeterRegistry meterRegistry) {
        return new DecisionMetrics(meterRegistry);
    }

    @Bean
    StreamsApp decisionStreams(KafkaProperties kafka, PlatformProperties platform, StreamsProperties streams,
            DecisionProperties decision, RegistrySettings registry, DecisionMetrics decisionMetrics,
            MeterRegistry meterRegistry,
            @Qualifier("deadLetterBytesTemplate") KafkaTemplate<Object, byte[]> deadLetterTemplate) {
        DecisionSettings settings = DecisionSettings.standard(decision.getDecidedRequestRetention(),
                decision.getPurgeInterval());
        return new StreamsApp("decision streams", VmContextTopology.build(registry, settings, decisionMetrics),
                StreamsApp.standardConfig(kafka.buildStreamsProperties(), platform, streams,
                        new KafkaDeadLetterSink(deadLetterTemplate)),
                streams.getCloseTimeout(), meterRegistry);
    }

    @Bean
    StreamsAppHealthIndicator decisionStreamsHealthIndicator(StreamsApp decisionStreams) {
        return new StreamsAppHealthIndicator(decisionStreams);
    }
}
