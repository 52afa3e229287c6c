package io.migratekit.failover.it;

import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.migratekit.cloudstack.SimulatorTarget;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.failover.FailoverServiceApplication;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.Inventory;
import io.migratekit.vmasim.SimulatorConfig;
import io.migratekit.vmasim.VmaSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
 * failover-service as it runs in production — its own Spring context against the real broker,
 * registry and a fresh PostgreSQL database — with the VMA simulator as the VMA and a CloudStack target
 * (the CloudStack API simulator, reached through our client; nbdkit as the appliance's NBD server)
 * that the test also uses through a platform of its own, while the test plays the rest of the pipeline: it publishes what
 * the decision, the workflow and progress-service would, writes the read-model row job-service's
 * projector would, and reads what failover-service wrote. The service can be stopped and started
 * again on the same database, broker and consumer group.
 */
final class FailoverHarness implements AutoCloseable {

    static final String VCENTER = "vcenter.example.test";
    static final String NBD_HOST = "10.0.0.5";
    /** One minute of a request's final-sync deadline lasts this long here. */
    static final Duration DEADLINE_MINUTE = Duration.ofSeconds(1);
    static final List<Topic<?>> OUTPUTS = List.of(Topics.FAILOVER_STEP_CHANGED, Topics.FINAL_SYNC_REQUESTED,
            Topics.REPLICATION_REQUESTED, Topics.FAILOVER_COMPLETED, Topics.FAILOVER_FAILED, Topics.FAILOVER_CLEANED_UP);

    final SharedTestInfrastructure infra = SharedTestInfrastructure.get();
    final RegistrySettings registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
    final VmaSimulator vma = VmaSimulator.start(SimulatorConfig.builder().inventory(Inventory.empty("DC1")).build());
    final SimulatorTarget cloud = startCloud();
    /** The target as the test (playing job-service) uses it: replication volumes made and exported. */
    final TargetPlatform target = cloud.platform();
    final String groupId = "failover-it-" + UUID.randomUUID().toString().substring(0, 8);
    final DSLContext db;
    private final String jdbcUrl;
    private final KafkaProducer<String, SpecificRecord> producer;
    private ConfigurableApplicationContext app;

    FailoverHarness() {
        jdbcUrl = infra.newDatabase("failover_it");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(infra.postgres().username());
        dataSource.setPassword(infra.postgres().password());
        db = DSL.using(dataSource, SQLDialect.POSTGRES);
        Map<String, Object> producerConfig = new HashMap<>(registry.producerSerdeConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig);
        startService();
    }

    private static SimulatorTarget startCloud() {
        try {
            return SimulatorTarget.start(Files.createTempDirectory("failover-it-cloud"), 1, NBD_HOST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts failover-service (it migrates the database and creates the topics on its first start). */
    void startService() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.kafka.bootstrap-servers", infra.bootstrapServers());
        properties.put("migratekit.registry.url", infra.registryBaseUrl());
        properties.put("spring.datasource.url", jdbcUrl);
        properties.put("spring.datasource.username", infra.postgres().username());
        properties.put("spring.datasource.password", infra.postgres().password());
        properties.put("migratekit.vma.url", vma.baseUrl());
        properties.put("migratekit.vma.default-username", "administrator@vsphere.local");
        properties.put("migratekit.vma.default-password", "vcenter-password-for-tests");
        properties.put("migratekit.failover.group-id", groupId);
        properties.put("migratekit.failover.final-sync-deadline-unit", DEADLINE_MINUTE.toMillis() + "ms");
        properties.put("migratekit.failover.power-state-poll-interval", "100ms");
        properties.put("migratekit.failover.retry-backoff", "500ms");
        properties.putAll(cloud.properties(0));
        app = new SpringApplicationBuilder(FailoverServiceApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("applianceNbdServer",
                        cloud.applianceNbdServer()))
                .registerShutdownHook(false)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }

    /** Stops failover-service the way a shutdown does; its record and its consumer group stay. */
    void stopService() {
        app.close();
        app = null;
    }

    <T> T bean(Class<T> type) {
        return app.getBean(type);
    }

    /** Publishes an event as another service would; returns where it landed. */
    <V extends SpecificRecord> RecordMetadata publish(Topic<V> topic, String vmId, V event) {
        try {
            return producer.send(new ProducerRecord<>(topic.name(), vmId, event)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + event.getSchema().getName(), e);
        }
    }

    /** Waits until the service's consumer group has committed past this record (it was handled). */
    void awaitConsumed(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                OffsetAndMetadata offset = committed.get(partition);
                if (offset != null && offset.offset() > record.offset()) {
                    return;
                }
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not read the committed offsets of " + groupId, e);
        }
        throw new AssertionError("failover-service did not consume " + record + " within 30 s");
    }

    /** The VM's context row as job-service's projector writes it (the target VM's size comes from it). */
    void contextRow(String contextId, String vmId, String vmName) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        db.insertInto(VM_REPLICATION_CONTEXTS)
                .set(VM_REPLICATION_CONTEXTS.CONTEXT_ID, contextId)
                .set(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID, vmId)
                .set(VM_REPLICATION_CONTEXTS.VM_NAME, vmName)
                .set(VM_REPLICATION_CONTEXTS.VM_PATH, "/DC1/vm/" + vmName)
                .set(VM_REPLICATION_CONTEXTS.VCENTER_HOST, VCENTER)
                .set(VM_REPLICATION_CONTEXTS.DATACENTER, "DC1")
                .set(VM_REPLICATION_CONTEXTS.CURRENT_STATUS, "failing_over")
                .set(VM_REPLICATION_CONTEXTS.CPU_COUNT, 4)
                .set(VM_REPLICATION_CONTEXTS.MEMORY_MB, 8192L)
                .set(VM_REPLICATION_CONTEXTS.OS_TYPE, "linux")
                .set(VM_REPLICATION_CONTEXTS.CREATED_AT, now)
                .set(VM_REPLICATION_CONTEXTS.UPDATED_AT, now)
                .execute();
    }

    /** A replication job of the context as job-service's projector writes it, requested for a target network. */
    void replicationJobRow(String jobId, String contextId, String vmId, String vmName, String targetNetwork,
            OffsetDateTime createdAt) {
        db.insertInto(REPLICATION_JOBS)
                .set(REPLICATION_JOBS.ID, jobId)
                .set(REPLICATION_JOBS.CONTEXT_ID, contextId)
                .set(REPLICATION_JOBS.VMWARE_VM_ID, vmId)
                .set(REPLICATION_JOBS.REQUEST_ID, "req-" + jobId)
                .set(REPLICATION_JOBS.SOURCE_VM_NAME, vmName)
                .set(REPLICATION_JOBS.SOURCE_VM_PATH, "/DC1/vm/" + vmName)
                .set(REPLICATION_JOBS.REPLICATION_TYPE, "initial")
                .set(REPLICATION_JOBS.STATUS, "completed")
                .set(REPLICATION_JOBS.TARGET_NETWORK, targetNetwork)
                .set(REPLICATION_JOBS.REQUESTED_BY, "operator")
                .set(REPLICATION_JOBS.CREATED_AT, createdAt)
                .set(REPLICATION_JOBS.UPDATED_AT, createdAt)
                .execute();
    }

    /**
     * Every event of the output topics about this VM, read from the beginning up to the current end
     * (the last stable offset): once the failover ended, this is all it will ever have written.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<SpecificRecord> outputsOf(String vmId) {
        AvroKafkaDeserializer deserializer = new AvroKafkaDeserializer();
        deserializer.configure(registry.serdeConfig(), false);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<SpecificRecord> result = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                (Deserializer) deserializer)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?> topic : OUTPUTS) {
                consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                        p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the output topics to their end within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            for (ConsumerRecord<String, SpecificRecord> record : records) {
                if (vmId.equals(record.key())) {
                    result.add(record.value());
                }
            }
        }
        return result;
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        producer.close();
        vma.close();
        cloud.close();
    }
}
