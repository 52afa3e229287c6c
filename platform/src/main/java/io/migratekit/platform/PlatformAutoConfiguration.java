package io.migratekit.platform;

import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.TopicSettings;
import io.migratekit.schemas.Topics;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Wires what every service shares: the registry settings, the topic layout and its creation, the
 * event publisher, the dead-letter error handler of every listener, the health of Kafka and the
 * registry, the VMA client with its vCenter logins, and the start-up check that names a missing dependency. It does not configure Kafka
 * Streams (job-service owns its topology) nor the database (Boot's own auto-configuration does).
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties({PlatformProperties.class, VmaProperties.class})
public class PlatformAutoConfiguration {

    @Bean
    RegistrySettings registrySettings(PlatformProperties properties) {
        return RegistrySettings.ofBaseUrl(properties.getRegistry().getUrl());
    }

    @Bean
    TopicSettings topicSettings(PlatformProperties properties) {
        PlatformProperties.Topics topics = properties.getTopics();
        return new TopicSettings(topics.getPartitions(), topics.getReplicationFactor(),
                topics.getMinInsyncReplicas(), topics.getRetention());
    }

    @Bean
    @ConditionalOnMissingBean
    VmaClient vmaClient(VmaProperties vma) {
        return new VmaClient(vma.getUrl(), null);
    }

    @Bean
    @ConditionalOnMissingBean
    VcenterCredentials vcenterCredentials(VmaProperties vma) {
        return vma.vcenterCredentials();
    }

    @Bean
    KafkaProbe kafkaProbe(KafkaProperties kafkaProperties) {
        return new KafkaProbe(kafkaProperties.buildAdminProperties());
    }

    @Bean
    RegistryClient registryClient(RegistrySettings registrySettings) {
        return new RegistryClient(registrySettings);
    }

    @Bean
    PlatformStartupCheck platformStartupCheck(PlatformProperties properties, KafkaProbe kafkaProbe,
            KafkaProperties kafkaProperties, RegistryClient registryClient, TopicSettings topicSettings) {
        return new PlatformStartupCheck(properties, kafkaProbe, kafkaProperties.buildAdminProperties(),
                registryClient, topicSettings);
    }

    @Bean
    PlatformHealthIndicators.KafkaHealthIndicator kafkaHealthIndicator(KafkaProbe kafkaProbe) {
        return new PlatformHealthIndicators.KafkaHealthIndicator(kafkaProbe);
    }

    @Bean
    PlatformHealthIndicators.RegistryHealthIndicator schemaRegistryHealthIndicator(RegistryClient registryClient) {
        return new PlatformHealthIndicators.RegistryHealthIndicator(registryClient);
    }

    @Bean
    @ConditionalOnMissingBean
    @SuppressWarnings({"unchecked", "rawtypes"})
    EventPublisher eventPublisher(KafkaTemplate<?, ?> kafkaTemplate) {
        return new EventPublisher((KafkaTemplate<String, SpecificRecord>) (KafkaTemplate) kafkaTemplate);
    }

    /** Sends raw bytes: the original value of a record that could not be deserialized. */
    @Bean
    KafkaTemplate<Object, byte[]> deadLetterBytesTemplate(KafkaProperties kafkaProperties) {
        Map<String, Object> config = kafkaProperties.buildProducerProperties();
        config.put("client.id", config.getOrDefault("client.id", "migratekit") + "-dead-letters");
        config.remove("key.serializer");
        config.remove("value.serializer");
        // Keys arrive as strings (our consumers) or bytes (a listener that reads raw keys).
        Map<Class<?>, Serializer<?>> keySerializers = new LinkedHashMap<>();
        keySerializers.put(String.class, new StringSerializer());
        keySerializers.put(byte[].class, new ByteArraySerializer());
        DefaultKafkaProducerFactory<Object, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
                new DelegatingByTypeSerializer(keySerializers), new ByteArraySerializer());
        return new KafkaTemplate<>(factory);
    }

    /**
     * Every listener's error handler: a record that cannot be deserialized goes straight to the
     * dead-letter topic; one whose handling throws is retried twice, then dead-lettered. Either way
     * the reason travels in the headers and the consumer moves on to the next record.
     */
    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    CommonErrorHandler deadLetterErrorHandler(KafkaTemplate<?, ?> kafkaTemplate,
            @Qualifier("deadLetterBytesTemplate") KafkaTemplate<Object, byte[]> bytesTemplate,
            PlatformProperties properties) {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, bytesTemplate);
        templates.put(Object.class, kafkaTemplate);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(templates,
                (record, exception) -> new TopicPartition(Topics.DEAD_LETTERS, -1));
        recoverer.setHeadersFunction((record, exception) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetters.ORIGINAL_TOPIC, bytes(record.topic()));
            headers.add(DeadLetters.ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
            headers.add(DeadLetters.ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
            headers.add(DeadLetters.CONSUMER, bytes(properties.getServiceName()));
            headers.add(DeadLetters.REASON, bytes(DependencyUnavailableException.rootMessage(exception)));
            headers.add(DeadLetters.EXCEPTION, bytes(exception.getClass().getName()));
            return headers;
        });
        return new DefaultErrorHandler(recoverer, new FixedBackOff(200L, 2L));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
