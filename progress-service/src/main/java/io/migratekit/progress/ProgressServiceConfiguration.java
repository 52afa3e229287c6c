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
import io.migratekit.platform.streams.KafkaDeadLetterSink;
import io.migratekit.platform.streams.StreamsApp;
import io.migratekit.platform.streams.StreamsAppHealthIndicator;
import io.migratekit.platform.streams.StreamsDeadLetters;
import io.migratekit.platform.streams.StreamsProperties;
import io.migratekit.progress.streams.EventSerdes;
import io.migratekit.progress.streams.FollowTopology;
import io.migratekit.progress.streams.UnprocessableEventException;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.vma.VmaClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires progress-service: the VMA client with its small bounded response pool, the capped poller,
 * the follow rules with their settings and secret redaction, the topology, and its run as the
 * platform's {@link StreamsApp} (exactly-once, dead-lettering error handlers; only an
 * {@link UnprocessableEventException} is poison, besides the platform's key mismatch). Owns the wiring; the behaviour lives in the classes
 * it creates.
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
    StreamsApp progressStreams(ProgressProperties properties, StreamsProperties streamsProperties,
            PlatformProperties platform, KafkaProperties kafkaProperties, RegistrySettings registrySettings,
            JobFollowRules rules, ProgressPoller poller, ProgressMetrics metrics, MeterRegistry meterRegistry,
            @Qualifier("deadLetterBytesTemplate") KafkaTemplate<Object, byte[]> deadLetterTemplate) {
        Topology topology = FollowTopology.build(EventSerdes.registry(registrySettings), rules, poller, metrics,
                properties.getTick(), properties.getEndedRetention(), properties.getPurgeInterval());
        Map<String, Object> config = StreamsApp.standardConfig(kafkaProperties.buildStreamsProperties(), platform,
                streamsProperties, new KafkaDeadLetterSink(deadLetterTemplate));
        // Only an event the follow rules cannot handle is poison; a store or an output that cannot be
        // written fails the task, so its transaction is aborted and the record processed again.
        config.put(StreamsDeadLetters.POISON_CONFIG, StreamsDeadLetters.causedBy(UnprocessableEventException.class));
        return new StreamsApp("progress streams", topology, config, streamsProperties.getCloseTimeout(),
                meterRegistry);
    }

    @Bean
    StreamsAppHealthIndicator progressStreamsHealthIndicator(StreamsApp progressStreams) {
        return new StreamsAppHealthIndicator(progressStreams);
    }
}
