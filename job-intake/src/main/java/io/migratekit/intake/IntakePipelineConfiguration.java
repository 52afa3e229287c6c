package io.migratekit.intake;

import io.migratekit.client.PipelineUnavailableException;
import io.migratekit.client.ReplicationClient;
import io.migratekit.client.ReplicationClientSettings;
import io.migratekit.intake.changeid.ChangeIdPublisher;
import io.migratekit.intake.changeid.KafkaChangeIdPublisher;
import io.migratekit.intake.events.JobEventFeed;
import io.migratekit.intake.events.JobEventReplay;
import io.migratekit.intake.failover.FailoverCommands;
import io.migratekit.intake.failover.FailoverOutcomes;
import io.migratekit.intake.failover.KafkaFailoverCommands;
import io.migratekit.intake.outcome.ClientRequestPipeline;
import io.migratekit.intake.outcome.RequestPipeline;
import io.migratekit.intake.readmodel.FailoverReadModel;
import io.migratekit.intake.schedule.ScheduleCommands;
import io.migratekit.intake.schedule.SchedulerReadModel;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.platform.DependencyUnavailableException;
import io.migratekit.platform.EventPublisher;
import io.migratekit.platform.PlatformProperties;
import io.migratekit.schemas.RegistrySettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * What job-intake reaches outside itself: the pipeline through one {@link ReplicationClient} (with
 * its health and its waiting-requests gauge), the change-id and failover command topics through the
 * platform's publisher (their schemas registered first, {@link ProducedSchemas}; failover answers
 * through {@link FailoverOutcomes}), the job events (one live {@link JobEventFeed}, one
 * {@link JobEventReplay}), and the read model through jOOQ. A schema registry that does not take
 * the schemas of what job-intake writes stops the start-up, naming the registry.
 */
@Configuration(proxyBeanMethods = false)
public class IntakePipelineConfiguration {

    /**
     * The client starts after the platform's start-up check created the topics it reads, and
     * registers the schema of the requests it writes as it starts.
     */
    @Bean(destroyMethod = "close")
    @DependsOn("platformStartupCheck")
    ReplicationClient replicationClient(KafkaProperties kafka, RegistrySettings registry, IntakeProperties intake,
            PlatformProperties platform, Clock clock) {
        String clientId = intake.getClientId() == null || intake.getClientId().isBlank()
                ? platform.getServiceName() + "-requests" : intake.getClientId();
        Map<String, Object> extra = clientProperties(kafka);
        try {
            return ReplicationClient.start(new ReplicationClientSettings(String.join(",", kafka.getBootstrapServers()),
                    registry, clientId, intake.getPublishTimeout(), platform.getStartupTimeout(), extra), clock);
        } catch (PipelineUnavailableException e) {
            if (e.failed() == PipelineUnavailableException.Failed.SCHEMA_REGISTRY) {
                throw new DependencyUnavailableException("The schema registry", registry.urlForMessages(),
                        ProducedSchemas.REGISTRY_SETTING, e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The schemas of what the platform's publisher writes for job-intake, registered before anything is published. */
    @Bean
    @DependsOn("platformStartupCheck")
    ProducedSchemas producedSchemas(RegistrySettings registry, PlatformProperties platform) {
        return ProducedSchemas.register(registry, ProducedSchemas.PUBLISHED, platform.getStartupTimeout());
    }

    /** The answers to failover requests; like the replication client, it starts after the topics exist. */
    @Bean(destroyMethod = "close")
    @DependsOn("platformStartupCheck")
    FailoverOutcomes failoverOutcomes(KafkaProperties kafka, RegistrySettings registry, PlatformProperties platform) {
        Map<String, Object> extra = clientProperties(kafka);
        return FailoverOutcomes.start(extra, String.join(",", kafka.getBootstrapServers()),
                platform.getServiceName() + "-failover-outcomes", registry, platform.getStartupTimeout());
    }

    /** The one live listener of job events (change-id lookups and every event stream share it). */
    @Bean(destroyMethod = "close")
    @DependsOn("platformStartupCheck")
    JobEventFeed jobEventFeed(KafkaProperties kafka, RegistrySettings registry, PlatformProperties platform,
            IntakeProperties intake) {
        return JobEventFeed.start(clientProperties(kafka), String.join(",", kafka.getBootstrapServers()),
                platform.getServiceName() + "-job-events", registry, platform.getStartupTimeout(), intake.getRecentJobs());
    }

    @Bean(destroyMethod = "close")
    @DependsOn("platformStartupCheck")
    JobEventReplay jobEventReplay(KafkaProperties kafka, RegistrySettings registry, PlatformProperties platform,
            IntakeProperties intake) {
        return new JobEventReplay(clientProperties(kafka), String.join(",", kafka.getBootstrapServers()),
                platform.getServiceName() + "-job-event-replay", registry, intake.getEventReplayTimeout());
    }

    /** UP while job events are read live: without them no event stream follows a job. */
    @Bean
    AbstractHealthIndicator jobEventsHealthIndicator(JobEventFeed feed) {
        return new AbstractHealthIndicator("The job event listener is not running") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                (feed.isListening() ? builder.up() : builder.down()).withDetail("followedJobs", feed.subscribedJobs());
            }
        };
    }

    @Bean
    @DependsOn("producedSchemas")
    FailoverCommands failoverCommands(EventPublisher publisher, FailoverOutcomes outcomes, IntakeProperties intake) {
        return new KafkaFailoverCommands(publisher, outcomes, intake.getPublishTimeout());
    }

    @Bean
    FailoverReadModel failoverReadModel(DSLContext db) {
        return new FailoverReadModel(db);
    }

    @Bean
    @DependsOn("producedSchemas")
    ScheduleCommands scheduleCommands(EventPublisher publisher, IntakeProperties intake) {
        return new ScheduleCommands(publisher, intake.getPublishTimeout());
    }

    @Bean
    SchedulerReadModel schedulerReadModel(DSLContext db) {
        return new SchedulerReadModel(db);
    }

    /** UP while the failover answers are read: without them no failover request is answered. */
    @Bean
    AbstractHealthIndicator failoverOutcomesHealthIndicator(FailoverOutcomes outcomes) {
        return new AbstractHealthIndicator("The failover outcome listener is not running") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                (outcomes.isListening() ? builder.up() : builder.down())
                        .withDetail("waitingRequests", outcomes.waitingCount());
            }
        };
    }

    @Bean
    RequestPipeline requestPipeline(ReplicationClient client) {
        return new ClientRequestPipeline(client);
    }

    @Bean
    @DependsOn("producedSchemas")
    ChangeIdPublisher changeIdPublisher(EventPublisher publisher, IntakeProperties intake) {
        return new KafkaChangeIdPublisher(publisher, intake.getPublishTimeout());
    }

    @Bean
    ReadModel readModel(DSLContext db) {
        return new ReadModel(db);
    }

    /**
     * Client settings every Kafka client of job-intake shares: the connection security of
     * {@code spring.kafka.security.*}, {@code spring.kafka.ssl.*} (TLS key and trust stores) and
     * {@code spring.kafka.properties.*} (SASL), without the registry's serde settings; groups and
     * offsets are each client's own.
     */
    static Map<String, Object> clientProperties(KafkaProperties kafka) {
        Map<String, Object> extra = new HashMap<>(kafka.getSecurity().buildProperties());
        extra.putAll(kafka.getSsl().buildProperties());
        extra.putAll(kafka.getProperties());
        extra.keySet().removeIf(key -> key.startsWith("apicurio."));
        return extra;
    }

    @Bean
    MeterBinder waitingRequestsGauge(ReplicationClient client) {
        return registry -> Gauge.builder("migratekit.intake.waiting.requests", client, ReplicationClient::pendingCount)
                .description("Replication requests waiting for their outcome").register(registry);
    }

    /** UP while the outcome listener runs: without it no synchronous request can be answered. */
    @Bean
    AbstractHealthIndicator outcomeListenerHealthIndicator(ReplicationClient client) {
        return new AbstractHealthIndicator("The outcome listener is not running") {
            @Override
            protected void doHealthCheck(Health.Builder builder) {
                (client.isListening() ? builder.up() : builder.down())
                        .withDetail("waitingRequests", client.pendingCount())
                        .withDetail("skippedRecords", client.skippedRecords());
            }
        };
    }
}
