package io.migratekit.scheduler;

import io.migratekit.client.ReplicationClient;
import io.migratekit.client.ReplicationClientSettings;
import io.migratekit.platform.EventPublisher;
import io.migratekit.platform.PlatformProperties;
import io.migratekit.scheduler.engine.ExecutionEngine;
import io.migratekit.scheduler.engine.JobEventListener;
import io.migratekit.scheduler.engine.ScheduleTicker;
import io.migratekit.scheduler.engine.SchedulerEvents;
import io.migratekit.scheduler.engine.SchedulerListener;
import io.migratekit.scheduler.store.SchedulerStore;
import io.migratekit.schemas.RegistrySettings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Wires the scheduler: its store, the replication client it requests through, its events, the engine,
 * both listeners, and the ticker. Once the service is up it resumes its unfinished executions, then
 * starts reading job events, then starts ticking.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SchedulerProperties.class)
public class SchedulerConfiguration {

    @Bean
    SchedulerStore schedulerStore(DSLContext dsl, Clock clock) {
        return new SchedulerStore(dsl, clock);
    }

    /** Starts after the platform's start-up check created the topics it reads. */
    @Bean(destroyMethod = "close")
    @DependsOn("platformStartupCheck")
    ReplicationClient replicationClient(KafkaProperties kafka, RegistrySettings registry, SchedulerProperties scheduler,
            PlatformProperties platform, Clock clock) {
        Map<String, Object> extra = new HashMap<>(kafka.getSecurity().buildProperties());
        extra.putAll(kafka.getSsl().buildProperties());
        extra.putAll(kafka.getProperties());
        extra.keySet().removeIf(key -> key.startsWith("apicurio."));
        return ReplicationClient.start(new ReplicationClientSettings(String.join(",", kafka.getBootstrapServers()),
                registry, platform.getServiceName() + "-" + scheduler.getInstanceId() + "-requests",
                scheduler.getPublishTimeout(), platform.getStartupTimeout(), extra), clock);
    }

    @Bean
    SchedulerEvents schedulerEvents(EventPublisher publisher, Clock clock, SchedulerProperties properties) {
        return new SchedulerEvents(publisher, clock, properties.getPublishTimeout());
    }

    @Bean(destroyMethod = "close")
    ExecutionEngine executionEngine(SchedulerStore store, ReplicationClient client, SchedulerEvents events, Clock clock,
            SchedulerProperties p) {
        return new ExecutionEngine(store, client, events, clock, new ExecutionEngine.Settings(p.getInstanceId(),
                p.getOutcomeWait(), p.getRetryDelayUnit(), p.getRepublishBackoff()));
    }

    @Bean
    SchedulerListener schedulerListener(SchedulerStore store, ExecutionEngine engine) {
        return new SchedulerListener(store, engine);
    }

    @Bean
    JobEventListener jobEventListener(ExecutionEngine engine) {
        return new JobEventListener(engine);
    }

    @Bean
    ScheduleTicker scheduleTicker(SchedulerStore store, ExecutionEngine engine, Clock clock, SchedulerProperties p) {
        return new ScheduleTicker(store, engine, clock, p.getMissedGrace(), p.getMaxMissedRecorded());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService schedulerTicks() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "scheduler-ticks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Resume first (so job events find their executions), then read job events, then tick. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> startScheduling(ExecutionEngine engine,
            KafkaListenerEndpointRegistry listeners, ScheduledExecutorService schedulerTicks, ScheduleTicker ticker,
            SchedulerProperties p) {
        return event -> {
            engine.resumeAll();
            listeners.getListenerContainer("scheduler-jobs").start();
            schedulerTicks.scheduleWithFixedDelay(ticker, 0, p.getTickInterval().toMillis(), TimeUnit.MILLISECONDS);
        };
    }
}
