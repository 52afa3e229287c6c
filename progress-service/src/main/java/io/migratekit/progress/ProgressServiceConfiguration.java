package io.migratekit.progress;

import io.micrometer.core.instrument.MeterRegistry;
import io.migratekit.platform.PlatformProperties;
import io.migratekit.platform.VmaProperties;
import io.migratekit.progress.follow.FollowSettings;
import io.migratekit.progress.follow.JobFollowRules;
import io.migratekit.progress.follow.SecretRedactor;
import io.migratekit.progress.poll.ProgressPoller;
import io.migratekit.progress.poll.VmaClientProgressPort;
import io.migratekit.progress.poll.VmaProgressPort;
import io.migratekit.progress.streams.DeadLetterHandlers;
import io.migratekit.progress.streams.DeadLetterSink;
import io.migratekit.progress.streams.EventSerdes;
import io.migratekit.progress.streams.FollowTopology;
import io.migratekit.progress.streams.KafkaDeadLetterSink;
import io.migratekit.progress.streams.ProgressStreams;
import io.migratekit.progress.streams.ProgressStreamsHealthIndicator;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.vma.VmaClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires progress-service: the VMA client with its small bounded response pool, the capped poller,
 * the follow rules with their settings and secret redaction, the topology, and the Kafka Streams
 * instance with exactly-once processing and dead-lettering error handlers. Owns the wiring; the
 * behaviour lives in the classes it creates.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ProgressProperties.class, StreamsProperties.class})
class ProgressServiceConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService vmaResponseExecutor(ProgressProperties properties) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(properties.getHttpThreads(), properties.getHttpThreads(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "progress-vma-http-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @Bean
    VmaClient vmaClient(VmaProperties vma, @Qualifier("vmaResponseExecutor") ExecutorService vmaResponseExecutor) {
        return new VmaClient(vma.getUrl(), vmaResponseExecutor);
    }

    @Bean
    VmaProgressPort vmaProgressPort(VmaClient vmaClient, ProgressProperties properties) {
        return new VmaClientProgressPort(vmaClient, properties.getPollTimeout());
    }

    @Bean
    ProgressPoller progressPoller(VmaProgressPort port, ProgressProperties properties) {
        return new ProgressPoller(port, properties.getMaxInFlight());
    }

    @Bean
    ProgressMetrics progressMetrics(MeterRegistry meterRegistry, ProgressPoller poller) {
        return new ProgressMetrics(meterRegistry, poller::inFlight);
    }

    /** Redacts the configured vCenter passwords (and anything credential-shaped) from VMA texts. */
    @Bean
    SecretRedactor secretRedactor(VmaProperties vma) {
        List<String> secrets = new ArrayList<>();
        vma.getCredentials().forEach(c -> secrets.add(c.getPassword()));
        secrets.add(vma.getDefaultPassword());
        return new SecretRedactor(secrets);
    }

    @Bean
    JobFollowRules jobFollowRules(ProgressProperties p, SecretRedactor secretRedactor) {
        return new JobFollowRules(new FollowSettings(p.getPollInterval(), p.getNotFoundGrace(),
                p.getMaxConsecutiveFailures(), p.getFailureBackoffMax(), p.getStallTimeout(), p.getChangeIdWait()),
                secretRedactor);
    }

    @Bean
    KafkaDeadLetterSink deadLetterSink(KafkaProperties kafkaProperties) {
        return new KafkaDeadLetterSink(kafkaProperties.buildProducerProperties());
    }

    @Bean
    ProgressStreams progressStreams(ProgressProperties properties, StreamsProperties streamsProperties,
            PlatformProperties platform,
            KafkaProperties kafkaProperties, RegistrySettings registrySettings, JobFollowRules rules,
            ProgressPoller poller, ProgressMetrics metrics, DeadLetterSink deadLetterSink) {
        Topology topology = FollowTopology.build(EventSerdes.registry(registrySettings), rules, poller, metrics,
                properties.getTick(), properties.getEndedRetention(), properties.getPurgeInterval());
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildStreamsProperties());
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, streamsProperties.getApplicationId());
        config.put(StreamsConfig.CLIENT_ID_CONFIG, platform.getServiceName());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamsProperties.getThreads());
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) platform.getTopics().getReplicationFactor());
        // Leave the consumer group on a clean close, so that a restarted (or another) instance takes the
        // jobs over at once instead of after the session timeout. Kafka Streams 4.1 forces this consumer
        // setting off and its CloseOptions.leaveGroup acts on static members only, hence the override.
        config.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
        config.put(StreamsConfig.STATE_DIR_CONFIG, streamsProperties.getStateDir());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterHandlers.Deserialization.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class);
        config.put(DeadLetterHandlers.SINK_CONFIG, deadLetterSink);
        config.put(DeadLetterHandlers.SERVICE_CONFIG, platform.getServiceName());
        return new ProgressStreams(topology, config, streamsProperties.getCloseTimeout());
    }

    @Bean
    ProgressStreamsHealthIndicator progressStreamsHealthIndicator(ProgressStreams progressStreams) {
        return new ProgressStreamsHealthIndicator(progressStreams);
    }
}
