package io.migratekit.scheduler.it;

import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.ReplicationType;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.scheduler.SchedulerServiceApplication;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * scheduler-service as it runs in production — its own Spring contexts (two instances, each with its
 * own instance id) against the real broker, registry and one fresh PostgreSQL database — while the
 * test plays the rest of the pipeline: it publishes job-intake's definition events, answers every
 * {@code ReplicationRequested} the scheduler publishes as the decision and the workflow would (a
 * scripted outcome per VM and attempt), and ends jobs when told or after a random delay, counting
 * the jobs running per group at every moment.
 */
final class SchedulerHarness implements AutoCloseable {

    /** What the played pipeline does with one request of a VM. */
    enum Answer { COMPLETE, FAIL, HOLD, REJECT_ACTIVE_JOB, REJECT_FAILED_OVER }

    /** One request the scheduler published, as the played decision saw it. */
    record Seen(String requestId, String vmId, String executionId, String groupId, String scheduledBy, Instant at) {
    }

    final SharedTestInfrastructure infra = SharedTestInfrastructure.get();
    final RegistrySettings registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
    final String groupPrefix = "scheduler-it-" + UUID.randomUUID().toString().substring(0, 8);
    final DSLContext db;
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    /** The most jobs running at once, per group. */
    final Map<String, AtomicInteger> maxRunning = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> runningNow = new ConcurrentHashMap<>();
    private final Map<String, List<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Seen> held = new ConcurrentHashMap<>();
    private final String jdbcUrl;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final Map<String, ConfigurableApplicationContext> instances = new LinkedHashMap<>();
    private final AtomicBoolean playing = new AtomicBoolean(true);
    private final Thread player;
    private final java.util.concurrent.ScheduledExecutorService jobEnds =
            java.util.concurrent.Executors.newScheduledThreadPool(2);
    private final java.util.Random random = new java.util.Random(42);
    private final Map<String, String> extra;

    SchedulerHarness(Map<String, String> extra) {
        this.extra = extra;
        jdbcUrl = infra.newDatabase("scheduler_it");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(infra.postgres().username());
        dataSource.setPassword(infra.postgres().password());
        db = DSL.using(dataSource, SQLDialect.POSTGRES);
        Map<String, Object> producerConfig = new HashMap<>(registry.producerSerdeConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig);
        start("s-a");
        player = new Thread(this::play, "played-decision");
        player.setDaemon(true);
        player.start();
    }

    /** Starts an instance (it migrates the database and creates the topics on the first start). */
    void start(String instanceId) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.kafka.bootstrap-servers", infra.bootstrapServers());
        properties.put("migratekit.registry.url", infra.registryBaseUrl());
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("spring.datasource.username", infra.postgres().username());
        properties.put("spring.datasource.password", infra.postgres().password());
        properties.put("migratekit.scheduler.group-id", groupPrefix);
        properties.put("migratekit.scheduler.instance-id", instanceId);
        properties.put("migratekit.scheduler.tick-interval", "200ms");
        properties.put("migratekit.scheduler.retry-delay-unit", "300ms");
        properties.put("migratekit.scheduler.outcome-wait", "20s");
        properties.putAll(extra);
        instances.put(instanceId, new SpringApplicationBuilder(SchedulerServiceApplication.class)
                .registerShutdownHook(false)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new)));
    }

    void stop(String instanceId) {
        instances.remove(instanceId).close();
    }

    /** What the played pipeline answers to the VM's requests, one answer per request, the last one repeated. */
    void script(String vmId, Answer... answers) {
        scripts.put(vmId, List.of(answers));
    }

    /** Ends the held job of this VM (completed or failed). */
    void end(String vmId, boolean completed) {
        Seen seen = held.remove(vmId);
        if (seen == null) {
            throw new AssertionError("no held job of " + vmId);
        }
        endJob(seen, completed);
    }

    boolean holds(String vmId) {
        return held.containsKey(vmId);
    }

    <V extends SpecificRecord> void publish(Topic<V> topic, String key, V event) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, event)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + event.getSchema().getName(), e);
        }
    }

    /** The VM's context row as job-service's projector writes it. */
    void context(String vmId, String vmName) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.insertInto(VM_REPLICATION_CONTEXTS)
                .set(VM_REPLICATION_CONTEXTS.CONTEXT_ID, "ctx-" + vmName)
                .set(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID, vmId)
                .set(VM_REPLICATION_CONTEXTS.VM_NAME, vmName)
                .set(VM_REPLICATION_CONTEXTS.VM_PATH, "/DC1/vm/" + vmName)
                .set(VM_REPLICATION_CONTEXTS.VCENTER_HOST, "vcenter.example.test")
                .set(VM_REPLICATION_CONTEXTS.DATACENTER, "DC1")
                .set(VM_REPLICATION_CONTEXTS.CURRENT_STATUS, "ready_for_failover")
                .set(VM_REPLICATION_CONTEXTS.CREATED_AT, now)
                .set(VM_REPLICATION_CONTEXTS.UPDATED_AT, now)
                .execute();
    }

    /** Every record of the topic with this key, from the beginning to the current end. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    <V extends SpecificRecord> List<V> read(Topic<V> topic, String key) {
        AvroKafkaDeserializer deserializer = new AvroKafkaDeserializer();
        deserializer.configure(registry.serdeConfig(), false);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> result = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                (Deserializer) deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        result.add((V) record.value());
                    }
                }
            }
        }
        return result;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void play() {
        AvroKafkaDeserializer deserializer = new AvroKafkaDeserializer();
        deserializer.configure(registry.serdeConfig(), false);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + "-played-decision");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                (Deserializer) deserializer)) {
            consumer.subscribe(List.of(Topics.REPLICATION_REQUESTED.name()));
            while (playing.get()) {
                for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(100))) {
                    ReplicationRequested request = (ReplicationRequested) record.value();
                    if (!scripts.containsKey(request.getVmwareVmId())) {
                        continue;
                    }
                    answer(request);
                }
            }
        }
    }

    private void answer(ReplicationRequested request) {
        String vmId = request.getVmwareVmId();
        long before = requests.stream().filter(s -> s.vmId().equals(vmId)).count();
        Seen seen = new Seen(request.getCorrelationId(), vmId, request.getRequest().getScheduleExecutionId(),
                request.getRequest().getVmGroupId(), request.getRequest().getScheduledBy(), Instant.now());
        if (requests.stream().anyMatch(s -> s.requestId().equals(seen.requestId()))) {
            return; // the decision drops a request id it already decided
        }
        requests.add(seen);
        List<Answer> script = scripts.get(vmId);
        Answer answer = script.get((int) Math.min(before, script.size() - 1));
        switch (answer) {
            case REJECT_ACTIVE_JOB, REJECT_FAILED_OVER -> publish(Topics.REPLICATION_REJECTED, vmId,
                    ReplicationRejected.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(now())
                            .setCorrelationId(seen.requestId()).setVmwareVmId(vmId).setVmName("vm")
                            .setReason(answer == Answer.REJECT_ACTIVE_JOB ? RejectionReason.ACTIVE_REPLICATION_JOB
                                    : RejectionReason.VM_FAILED_OVER)
                            .setMessage("rejected by the played decision").build());
            default -> {
                String group = seen.groupId();
                int running = runningNow.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
                maxRunning.computeIfAbsent(group, g -> new AtomicInteger()).accumulateAndGet(running, Math::max);
                publish(Topics.JOB_STARTED, vmId, JobStarted.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(now()).setCorrelationId(seen.requestId()).setVmwareVmId(vmId)
                        .setJobId(job(seen)).setContextId("ctx-" + vmId).setReplicationType(ReplicationType.initial)
                        .setVolumes(List.of()).setVmPath("/DC1/vm/x").setScheduledBy(seen.scheduledBy())
                        .setScheduleExecutionId(seen.executionId()).setVmGroupId(group).build());
                if (answer == Answer.HOLD) {
                    held.put(vmId, seen);
                } else {
                    jobEnds.schedule(() -> endJob(seen, answer == Answer.COMPLETE), 20 + random.nextInt(150),
                            TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private void endJob(Seen seen, boolean completed) {
        runningNow.get(seen.groupId()).decrementAndGet();
        if (completed) {
            publish(Topics.JOB_COMPLETED, seen.vmId(), JobCompleted.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(now()).setCorrelationId(seen.requestId()).setVmwareVmId(seen.vmId())
                    .setJobId(job(seen)).setContextId("ctx-" + seen.vmId()).setReplicationType(ReplicationType.initial)
                    .setChangeIds(List.of()).setBytesTransferred(1).setDurationMs(1)
                    .setScheduledBy(seen.scheduledBy()).setScheduleExecutionId(seen.executionId())
                    .setVmGroupId(seen.groupId()).build());
        } else {
            publish(Topics.JOB_FAILED, seen.vmId(), JobFailed.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(now()).setCorrelationId(seen.requestId()).setVmwareVmId(seen.vmId())
                    .setJobId(job(seen)).setContextId("ctx-" + seen.vmId()).setReason(JobFailureReason.VMA_REPORTED_FAILURE)
                    .setStep("replicate").setMessage("played failure")
                    .setScheduledBy(seen.scheduledBy()).setScheduleExecutionId(seen.executionId())
                    .setVmGroupId(seen.groupId()).build());
        }
    }

    private static String job(Seen seen) {
        return "job-" + seen.requestId().substring(0, 8);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public void close() {
        playing.set(false);
        jobEnds.shutdownNow();
        List.copyOf(instances.keySet()).forEach(this::stop);
        producer.close();
    }
}
