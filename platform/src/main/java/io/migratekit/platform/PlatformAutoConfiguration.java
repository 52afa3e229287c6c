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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
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
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Wires what every service shares: the registry settings, the topic layout and its creation, the
 * event publisher, the key check ({@link KeyConsistency}) and the dead-letter error handler of every
 * listener, the health of Kafka and the registry, the VMA client with its vCenter logins, and the
 * start-up checks that name a missing dependency (Kafka, the registry, and PostgreSQL where the
 * service has a database). It does not run
 * Kafka Streams (a service builds its topology and runs it with {@code streams.StreamsApp}) nor configure
 * the database (Boot's own auto-configuration does).
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

    /** Checks the database when its DataSource is created, so before Flyway; only where there is one. */
    @Bean
    static DatabaseStartupCheck databaseStartupCheck(Environment environment) {
        return new DatabaseStartupCheck(environment);
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

    /** Every listener's {@link KeyConsistency} check, record and batch listeners alike. */
    @Bean
    KeyConsistencyInterceptor keyConsistencyInterceptor() {
        return new KeyConsistencyInterceptor();
    }

    /**
     * Every listener's error handler: a record that cannot be deserialized, or whose key is not its
     * event's VM ({@link KeyConsistency}), goes straight to the dead-letter topic; one whose handling
     * throws is retried twice, then dead-lettered. Either way the reason travels in the headers and the
     * consumer moves on to the next record.
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
                (record, exception) -> new TopicPartition(Topics.DEAD_LETTERS, -1)) {
            @Override
            protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record,
                    TopicPartition topicPartition, Headers headers, byte[] key, byte[] value) {
                ProducerRecord<Object, Object> letter = super.createProducerRecord(record, topicPartition, headers,
                        key, value);
                // An event goes through the event template, whose keys are strings: a raw key is the VM id's UTF-8.
                return letter.key() instanceof byte[] raw && !(letter.value() instanceof byte[])
                        ? new ProducerRecord<>(letter.topic(), letter.partition(),
                                new String(raw, StandardCharsets.UTF_8), letter.value(), letter.headers())
                        : letter;
            }
        };
        recoverer.setHeadersFunction((record, exception) -> {
            Throwable cause = KeyConsistency.check(record.key(), record.value()).map(Throwable.class::cast)
                    .orElse(exception);
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetters.ORIGINAL_TOPIC, bytes(record.topic()));
            headers.add(DeadLetters.ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
            headers.add(DeadLetters.ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
            headers.add(DeadLetters.CONSUMER, bytes(properties.getServiceName()));
            headers.add(DeadLetters.REASON, bytes(deadLetterReason(cause)));
            headers.add(DeadLetters.EXCEPTION, bytes(cause.getClass().getName()));
            return headers;
        });
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, new FixedBackOff(200L, 2L));
        handler.addNotRetryableExceptions(KeyMismatchException.class);
        // A batch listener reports a mismatched record as unreadable; the record itself says why.
        handler.setBackOffFunction((record, exception) ->
                KeyConsistency.check(record.key(), record.value()).isPresent() ? new FixedBackOff(0L, 0L) : null);
        return handler;
    }

    /**
     * Names every listener's consumer after the service and the listener ({@code job-service-job-workflow-0})
     * unless the listener names it itself, so its metrics (consumer lag among them) and logs say whose
     * consumer it is. Interceptors run inside the listener's error handling even under a transaction
     * manager, so a {@link KeyMismatchException} is dead-lettered like any poison record.
     */
    @Bean
    @ConditionalOnMissingBean(ContainerCustomizer.class)
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> listenerClientIds(
            PlatformProperties properties) {
        return container -> {
            container.setInterceptBeforeTx(false);
            String clientId = container.getContainerProperties().getClientId();
            if ((clientId == null || clientId.isEmpty()) && container.getListenerId() != null) {
                container.getContainerProperties().setClientId(properties.getServiceName() + "-"
                        + container.getListenerId());
            }
        };
    }

    /**
     * The {@code mk.dlt.reason} of a listener's dead letter: the root cause, said to be a failed
     * deserialization when it is one (the serde's own root message rarely says so).
     */
    static String deadLetterReason(Throwable exception) {
        String root = DependencyUnavailableException.rootMessage(exception);
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DeserializationException) {
                return "cannot deserialize: " + root;
            }
        }
        return root;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
