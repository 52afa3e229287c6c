package io.migratekit.intake.api;

import io.migratekit.intake.schedule.ScheduleCommands;
import io.migratekit.intake.schedule.SchedulerReadModel;
import io.migratekit.platform.EventPublisher;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import io.migratekit.client.PipelineUnavailableException;
import io.migratekit.client.ReplicationOutcome;
import io.migratekit.client.Submission;
import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.intake.changeid.ChangeIdPublisher;
import io.migratekit.intake.events.JobEvent;
import io.migratekit.intake.events.KnownJob;
import io.migratekit.intake.events.LiveJobEvents;
import io.migratekit.intake.events.PastJobEvents;
import io.migratekit.intake.failover.FailoverCommands;
import io.migratekit.intake.outcome.RequestPipeline;
import io.migratekit.intake.readmodel.FailoverReadModel;
import io.migratekit.intake.readmodel.ReadModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * What the web layer reaches outside itself, for the web-layer tests: a pipeline and a change-id
 * publisher that record what they were given and answer as the test scripts them, a real read
 * model on a fresh PostgreSQL database, no job events (the broker's part), a fixed clock.
 */
@TestConfiguration(proxyBeanMethods = false)
class WebTestDoubles {

    static final Instant NOW = Instant.parse("2025-09-23T10:15:30.123Z");

    @Bean
    @Primary
    Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Bean
    RecordingPipeline recordingPipeline() {
        return new RecordingPipeline();
    }

    @Bean
    RecordingChangeIdPublisher recordingChangeIdPublisher() {
        return new RecordingChangeIdPublisher();
    }

    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    DSLContext readModelDatabase() {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(infra.newDatabase("intake_web"));
        dataSource.setUser(infra.postgres().username());
        dataSource.setPassword(infra.postgres().password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return DSL.using(dataSource, SQLDialect.POSTGRES);
    }

    @Bean
    ReadModel readModel(DSLContext readModelDatabase) {
        return new ReadModel(readModelDatabase);
    }

    @Bean
    FailoverReadModel failoverReadModel(DSLContext readModelDatabase) {
        return new FailoverReadModel(readModelDatabase);
    }

    /** No job event passes: jobs are known from the read model only. */
    @Bean
    LiveJobEvents noLiveJobEvents() {
        return new LiveJobEvents() {
            @Override
            public AutoCloseable subscribe(String jobId, String vmwareVmId, Consumer<JobEvent> subscriber) {
                return () -> { };
            }

            @Override
            public AutoCloseable subscribeAll(Consumer<JobEvent> subscriber) {
                return () -> { };
            }

            @Override
            public Optional<KnownJob> recentJob(String jobId) {
                return Optional.empty();
            }
        };
    }

    @Bean
    PastJobEvents noPastJobEvents() {
        return job -> List.of();
    }

    /** The scheduler's tables as job-intake reads them, on the same database. */
    @Bean
    SchedulerReadModel schedulerReadModel(DSLContext readModelDatabase) {
        return new SchedulerReadModel(readModelDatabase);
    }

    /**
     * Schedule commands to a broker that is not there (nothing connects until a send, which fails
     * within a second): the schedule routes are tested with the broker by ScheduleIntakeIntegrationTest.
     */
    @Bean
    ScheduleCommands scheduleCommands() {
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new ScheduleCommands(new EventPublisher(new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer))),
                Duration.ofSeconds(1));
    }

    @Bean
    RecordingFailoverCommands recordingFailoverCommands() {
        return new RecordingFailoverCommands();
    }

    /** Records every request and answers with the scripted outcome, or refuses like a broker that is gone. */
    static final class RecordingPipeline implements RequestPipeline {
        final List<ReplicationRequest> submitted = new CopyOnWriteArrayList<>();
        final List<ReplicationRequest> published = new CopyOnWriteArrayList<>();
        volatile Function<String, Optional<ReplicationOutcome>> outcome = id -> Optional.empty();
        volatile boolean unavailable;
        /** When set, a send is handed to the broker under this request id and not acknowledged. */
        volatile String unacknowledged;
        /** When set, the schema registry does not take the request: nothing reaches the broker. */
        volatile boolean registryUnavailable;
        volatile int sequence;

        @Override
        public Submission submit(ReplicationRequest request, Duration wait) {
            refuseIfUnavailable();
            submitted.add(request);
            String requestId = nextId();
            return new Submission(requestId, CompletableFuture.completedFuture(outcome.apply(requestId)));
        }

        @Override
        public String publish(ReplicationRequest request) {
            refuseIfUnavailable();
            published.add(request);
            return nextId();
        }

        private synchronized String nextId() {
            return "req-" + (++sequence);
        }

        private void refuseIfUnavailable() {
            if (unavailable) {
                throw new PipelineUnavailableException("The pipeline's broker is unavailable: test", null);
            }
            if (registryUnavailable) {
                throw new PipelineUnavailableException(PipelineUnavailableException.Failed.SCHEMA_REGISTRY,
                        "The replication request could not be serialized through the schema registry: test", null,
                        null);
            }
            if (unacknowledged != null) {
                throw new PipelineUnavailableException("The pipeline's broker is unavailable: test", null,
                        unacknowledged);
            }
        }

        void reset() {
            submitted.clear();
            published.clear();
            outcome = id -> Optional.empty();
            unavailable = false;
            unacknowledged = null;
            registryUnavailable = false;
            sequence = 0;
        }

        boolean nothingReceived() {
            return submitted.isEmpty() && published.isEmpty();
        }
    }

    /** Records every failover command and answers as the test scripts it, or refuses like a broker that is gone. */
    static final class RecordingFailoverCommands implements FailoverCommands {
        final List<FailoverRequested> requested = new CopyOnWriteArrayList<>();
        final List<FailoverCleanupRequested> cleanups = new CopyOnWriteArrayList<>();
        volatile Function<FailoverRequested, Optional<SpecificRecord>> answer = request -> Optional.empty();
        volatile boolean unavailable;

        @Override
        public CompletableFuture<Optional<SpecificRecord>> request(FailoverRequested request, Duration wait) {
            refuseIfUnavailable();
            requested.add(request);
            return CompletableFuture.completedFuture(answer.apply(request));
        }

        @Override
        public void requestCleanup(FailoverCleanupRequested request) {
            refuseIfUnavailable();
            cleanups.add(request);
        }

        private void refuseIfUnavailable() {
            if (unavailable) {
                throw ApiProblem.pipelineUnavailable();
            }
        }

        void reset() {
            requested.clear();
            cleanups.clear();
            answer = request -> Optional.empty();
            unavailable = false;
        }

        boolean nothingReceived() {
            return requested.isEmpty() && cleanups.isEmpty();
        }
    }

    /** Records every change id it is given. */
    static final class RecordingChangeIdPublisher implements ChangeIdPublisher {
        final List<ChangeIdRecorded> published = new CopyOnWriteArrayList<>();

        @Override
        public void publish(ChangeIdRecorded event) {
            published.add(event);
        }
    }
}
