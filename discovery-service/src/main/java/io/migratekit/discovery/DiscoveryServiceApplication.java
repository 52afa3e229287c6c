package io.migratekit.discovery;

import io.micrometer.core.instrument.MeterRegistry;
import io.migratekit.platform.EventPublisher;
import io.migratekit.platform.VmaProperties;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * discovery-service: fresh VMA discovery for every {@code ReplicationRequested}, answered with
 * {@code VmDiscovered} or {@code DiscoveryFailed}. Wires the listener, the batch runner and the
 * discoverer; the Kafka, registry, dead-letter, health and VMA client beans come from the platform.
 * Holds no state of its own: several instances (or several contexts in one JVM) share the work
 * through the consumer group.
 */
@SpringBootApplication
@EnableConfigurationProperties(DiscoveryProperties.class)
public class DiscoveryServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DiscoveryServiceApplication.class, args);
    }

    /** Judges VMA answers and sends outcomes, off the HTTP client's and the timer's threads. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService discoveryOutcomeExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "discovery-outcome-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), threads);
    }

    @Bean
    Discoverer discoverer(VmaClient vmaClient, VcenterCredentials vcenterCredentials, VmaProperties vma,
            ExecutorService discoveryOutcomeExecutor) {
        return new Discoverer(vmaClient, vcenterCredentials, vma.getDiscoveryTimeout(), discoveryOutcomeExecutor,
                Clock.systemUTC());
    }

    @Bean
    InFlightLimit discoveryInFlightLimit(DiscoveryProperties properties) {
        return new InFlightLimit(properties.getMaxInFlight());
    }

    @Bean
    DiscoveryMetrics discoveryMetrics(MeterRegistry meterRegistry, InFlightLimit discoveryInFlightLimit) {
        return new DiscoveryMetrics(meterRegistry, discoveryInFlightLimit::inFlight);
    }

    @Bean
    BatchDiscovery batchDiscovery(Discoverer discoverer, EventPublisher eventPublisher,
            ExecutorService discoveryOutcomeExecutor, InFlightLimit discoveryInFlightLimit,
            DiscoveryMetrics discoveryMetrics, DiscoveryProperties properties) {
        return new BatchDiscovery(discoverer, eventPublisher, discoveryOutcomeExecutor, discoveryInFlightLimit,
                discoveryMetrics, properties.getPublishTimeout(), properties.getMaxNamesPerCall());
    }

    @Bean
    ReplicationRequestListener replicationRequestListener(BatchDiscovery batchDiscovery) {
        return new ReplicationRequestListener(batchDiscovery);
    }
}
