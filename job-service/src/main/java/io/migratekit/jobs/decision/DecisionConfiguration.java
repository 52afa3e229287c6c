package io.migratekit.jobs.decision;

import io.migratekit.platform.PlatformProperties;
import io.migratekit.schemas.RegistrySettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires the decision: the topology with production settings, the Kafka Streams configuration
 * (exactly-once v2, replication of internal topics from the platform's topic settings, the
 * dead-letter handlers) and its health. Kafka's address and security come from Spring's
 * {@code spring.kafka.*}, like every other client of the service.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamsProperties.class)
public class DecisionConfiguration {

    @Bean
    DecisionStreams decisionStreams(KafkaProperties kafka, PlatformProperties platform, StreamsProperties streams,
            RegistrySettings registry,
            @Qualifier("deadLetterBytesTemplate") KafkaTemplate<Object, byte[]> deadLetterTemplate) {
        Map<String, Object> config = new HashMap<>(kafka.buildStreamsProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, streams.getApplicationId());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) platform.getTopics().getReplicationFactor());
        config.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(platform.getTopics().getMinInsyncReplicas()));
        config.put(StreamsConfig.STATE_DIR_CONFIG, streams.getStateDir());
        // Leave the group on a clean close, so a restarted (or another) instance takes over at once
        // instead of after the session timeout: Kafka Streams 4.1 forces this consumer setting off and
        // its CloseOptions.leaveGroup acts on static members only.
        config.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streams.getThreads());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Deserialization.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class);
        config.put(DeadLetterSink.CONFIG, new KafkaDeadLetterSink(deadLetterTemplate, platform.getServiceName()));
        DecisionSettings settings = DecisionSettings.standard(streams.getDecidedRequestRetention(),
                streams.getPurgeInterval());
        return new DecisionStreams(VmContextTopology.build(registry, settings), config, streams.getCloseTimeout());
    }

    @Bean
    DecisionStreamsHealthIndicator decisionStreamsHealthIndicator(DecisionStreams decisionStreams) {
        return new DecisionStreamsHealthIndicator(decisionStreams);
    }
}
