package io.migratekit.jobs;

import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.REPLICATION_REQUESTS;
import static io.migratekit.db.Tables.VM_DISKS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.migratekit.cloudstack.SimulatorTarget;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.ContextStatus;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.SourceVm;
import io.migratekit.events.VmContext;
import io.migratekit.events.VmDiscovered;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.platform.BearerTokens;
import io.migratekit.platform.streams.StreamsApp;
import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.SimDisk;
import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.SimulatorConfig;
import io.migratekit.vmasim.VmaSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * job-service as a whole against a real Kafka broker, schema registry and PostgreSQL, with the VMA
 * simulator as the VMA: VmDiscovered in, decisions, workflow results and read-model rows out.
 * Each test uses its own VM ids.
 */
class JobServiceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String VCENTER = "vcenter.example.test";
    private static final String NBD_HOST = "10.0.0.5";
    private static final String MANAGEMENT_TOKEN = "management-token-for-this-test";

    private static SharedTestInfrastructure infra;
    private static VmaSimulator vma;
    private static ConfigurableApplicationContext app;
    private static KafkaProducer<String, Object> producer;
    private static Collector collector;
    private static SimulatorTarget cloud;
    private static DSLContext db;
    private static String workflowGroup;

    @BeforeAll
    static void start() throws Exception {
        infra = SharedTestInfrastructure.get();
        vma = VmaSimulator.start(SimulatorConfig.builder().progressStartDelay(Duration.ofHours(1)).build());
        Path stateDir = Files.createTempDirectory("job-service-it");
        cloud = SimulatorTarget.start(Files.createTempDirectory("job-service-it-cloud"), 1, NBD_HOST);
        String run = UUID.randomUUID().toString().substring(0, 8);
        workflowGroup = "job-service-workflow-it-" + run;
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + infra.bootstrapServers(),
                "--migratekit.registry.url=" + infra.registryBaseUrl(),
                "--spring.datasource.url=" + infra.newDatabase("job_service_it"),
                "--spring.datasource.username=" + infra.postgres().username(),
                "--spring.datasource.password=" + infra.postgres().password(),
                "--migratekit.vma.url=" + vma.baseUrl(),
                "--migratekit.vma.oma-url=http://127.0.0.1:9",
                "--migratekit.vma.default-username=administrator@vsphere.local",
                "--migratekit.vma.default-password=only-for-this-test",
                "--migratekit.topics.partitions=3",
                "--migratekit.streams.application-id=job-service-it-" + run,
                "--migratekit.streams.state-dir=" + stateDir,
                "--migratekit.workflow.group-id=" + workflowGroup,
                "--migratekit.projector.group-id=job-service-projector-it-" + run,
                "--migratekit.management.token-sha256="
                        + HexFormat.of().formatHex(BearerTokens.sha256(MANAGEMENT_TOKEN))));
        cloud.properties(0).forEach((name, value) -> args.add("--" + name + "=" + value));
        app = new SpringApplicationBuilder(JobServiceApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("applianceNbdServer",
                        cloud.applianceNbdServer()))
                .run(args.toArray(String[]::new));
        db = app.getBean(DSLContext.class);
        RegistrySettings registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        Map<String, Object> producerConfig = new HashMap<>(registry.producerSerdeConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        producer = new KafkaProducer<>(producerConfig);
        collector = new Collector(registry, run);
        StreamsApp streams = app.getBean(StreamsApp.class);
        await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
        if (vma != null) {
            vma.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void aDiscoveredVmGetsAJobWhoseVolumesTheVmaCopiesInto() throws Exception {
        // given
        SimVm simVm = vma.inventory().add(SimVm.builder("it-happy").id(UUID.randomUUID().toString()).diskGb(40).diskGb(8));
        DiscoveredVm vm = discovered(simVm);

        // when
        publish(Topics.REPLICATION_REQUESTED, vm.getId(), requested("happy-1", vm, request(vm).build()));
        publish(Topics.VM_DISCOVERED, vm.getId(), vmDiscovered("happy-1", vm, request(vm).build()));

        // then: the decision
        JobStarted started = collector.awaitEvents(Topics.JOB_STARTED, vm.getId(), 1).get(0);
        ContextCreated context = collector.only(Topics.CONTEXT_CREATED, vm.getId());
        JobCreated job = collector.only(Topics.JOB_CREATED, vm.getId());
        assertThat(context.getStartReplication()).isTrue();
        assertThat(context.getCurrentStatus()).isEqualTo(ContextStatus.replicating);
        assertThat(job.getContextId()).isEqualTo(context.getContextId());
        assertThat(job.getContextCreated()).isTrue();
        assertThat(job.getReplicationType()).isEqualTo(ReplicationType.initial);
        assertThat(job.getCorrelationId()).isEqualTo("happy-1");
        assertThat(job.getJobId()).matches("job-\\d{8}-\\d{6}\\.\\d{3}-[0-9a-f]{6}");
        assertThat(collector.of(Topics.REPLICATION_REJECTED, vm.getId())).isEmpty();

        // then: the workflow
        assertThat(started.getJobId()).isEqualTo(job.getJobId());
        assertThat(started.getCorrelationId()).isEqualTo("happy-1");
        assertThat(started.getVmPath()).isEqualTo(simVm.path());
        assertThat(started.getVolumes()).extracting(VolumeAttachment::getDiskId, VolumeAttachment::getVmwareDiskKey,
                VolumeAttachment::getSizeGb, VolumeAttachment::getReused)
                .containsExactly(tuple("disk-2000", "2000", 40L, false),
                        tuple("disk-2001", "2001", 8L, false));
        for (VolumeAttachment volume : started.getVolumes()) {
            assertThat(volume.getNbdExportName()).isEqualTo("migration-vol-" + volume.getVolumeId());
            assertThat(volume.getDevicePath()).isEqualTo("nbd://" + NBD_HOST + ":" + cloud.nbdPort()
                    + "/migration-vol-" + volume.getVolumeId());
            assertThat(cloud.volume(volume.getVolumeId())).hasValueSatisfying(v -> {
                assertThat(v.onAppliance()).isTrue();
                assertThat(v.name()).endsWith("-" + job.getJobId());
            });
        }
        assertThat(vma.job(job.getJobId())).hasValueSatisfying(accepted -> {
            assertThat(accepted.vmPath()).isEqualTo(simVm.path());
            assertThat(accepted.disks()).extracting(d -> d.diskId()).containsExactly("disk-2000", "disk-2001");
        });
        assertThat(collector.of(Topics.JOB_FAILED, vm.getId())).isEmpty();

        // then: the read model
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(db.selectFrom(REPLICATION_JOBS).where(REPLICATION_JOBS.ID.eq(job.getJobId())).fetchOne())
                    .isNotNull().satisfies(row -> {
                        assertThat(row.getStatus()).isEqualTo("replicating");
                        assertThat(row.getContextId()).isEqualTo(context.getContextId());
                        assertThat(row.getSourceVmName()).isEqualTo("it-happy");
                        assertThat(row.getStartedAt()).isNotNull();
                    });
            assertThat(db.selectFrom(VM_DISKS).where(VM_DISKS.JOB_ID.eq(job.getJobId())).orderBy(VM_DISKS.DISK_ID).fetch())
                    .extracting(r -> r.getDiskId(), r -> r.getVolumeId(), r -> r.getStatus())
                    .containsExactly(
                            tuple("disk-2000", started.getVolumes().get(0).getVolumeId(), "replicating"),
                            tuple("disk-2001", started.getVolumes().get(1).getVolumeId(), "replicating"));
            assertThat(db.selectFrom(VM_REPLICATION_CONTEXTS)
                    .where(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID.eq(vm.getId())).fetchOne())
                    .isNotNull().satisfies(row -> {
                        assertThat(row.getContextId()).isEqualTo(context.getContextId());
                        assertThat(row.getCurrentStatus()).isEqualTo("replicating");
                        assertThat(row.getCurrentJobId()).isEqualTo(job.getJobId());
                        assertThat(row.getTotalJobsRun()).isEqualTo(1);
                    });
            assertThat(db.selectFrom(REPLICATION_REQUESTS).where(REPLICATION_REQUESTS.REQUEST_ID.eq("happy-1")).fetchOne())
                    .isNotNull().satisfies(row -> {
                        assertThat(row.getOutcome()).isEqualTo("job_started");
                        assertThat(row.getJobId()).isEqualTo(job.getJobId());
                        assertThat(row.getContextId()).isEqualTo(context.getContextId());
                    });
        });
        assertThat(readiness()).contains("\"decisionStreams\"").contains("\"status\":\"UP\"");
    }

    @Test
    void aFailedReplicateFreesTheVmForTheNextRequestOnTheSameContext() throws Exception {
        // given
        SimVm simVm = vma.inventory().add(SimVm.builder("it-retry").id(UUID.randomUUID().toString()).diskGb(20));
        DiscoveredVm vm = discovered(simVm);
        vma.faults().forVm(simVm.id()).replicateError(true);

        // when
        publish(Topics.VM_DISCOVERED, vm.getId(), vmDiscovered("retry-1", vm, request(vm).build()));

        // then
        JobFailed failed = collector.awaitEvents(Topics.JOB_FAILED, vm.getId(), 1).get(0);
        JobCreated first = collector.only(Topics.JOB_CREATED, vm.getId());
        assertThat(failed.getJobId()).isEqualTo(first.getJobId());
        assertThat(failed.getReason()).isEqualTo(JobFailureReason.VMA_REPLICATE_FAILED);
        assertThat(failed.getStep()).isEqualTo("vma_replicate");
        assertThat(failed.getMessage()).isEqualTo(
                "VMA POST /api/v1/replicate answered HTTP 500: failed to start replication: simulated VMA error");
        assertThat(failed.getMessage()).doesNotContain("only-for-this-test");
        assertThat(cloud.volumes()).noneMatch(v -> v.name().endsWith("-" + first.getJobId()));
        assertThat(collector.of(Topics.JOB_STARTED, vm.getId())).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastContext(vm.getId()))
                .satisfies(ctx -> {
                    assertThat(ctx.getCurrentStatus()).isEqualTo(ContextStatus.failed);
                    assertThat(ctx.getCurrentJobId()).isNull();
                    assertThat(ctx.getFailedJobs()).isEqualTo(1);
                }));

        // when: the VMA works again and a new request comes
        vma.faults().forVm(simVm.id()).clear();
        publish(Topics.VM_DISCOVERED, vm.getId(), vmDiscovered("retry-2", vm, request(vm).build()));

        // then
        JobStarted started = collector.awaitEvents(Topics.JOB_STARTED, vm.getId(), 1).get(0);
        List<JobCreated> jobs = collector.of(Topics.JOB_CREATED, vm.getId());
        assertThat(jobs).hasSize(2);
        JobCreated second = jobs.get(1);
        assertThat(second.getContextId()).isEqualTo(first.getContextId());
        assertThat(second.getContextCreated()).isFalse();
        assertThat(second.getJobId()).isNotEqualTo(first.getJobId());
        assertThat(second.getReplicationType()).isEqualTo(ReplicationType.initial);
        assertThat(started.getJobId()).isEqualTo(second.getJobId());
        assertThat(collector.of(Topics.CONTEXT_CREATED, vm.getId())).hasSize(1);
        assertThat(collector.of(Topics.REPLICATION_REJECTED, vm.getId())).isEmpty();
        assertThat(collector.of(Topics.JOB_FAILED, vm.getId())).hasSize(1);
    }

    @Test
    void twoHundredConcurrentRequestsForOneVmCreateExactlyOneJob() throws Exception {
        // given
        SimVm simVm = vma.inventory().add(SimVm.builder("it-storm").id(UUID.randomUUID().toString()).diskGb(30));
        DiscoveredVm vm = discovered(simVm);
        List<String> requestIds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            requestIds.add("storm-" + i + "-" + UUID.randomUUID());
        }

        // when: every request published at once from 8 threads
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (String requestId : requestIds) {
                sends.add(senders.submit(() -> {
                    ReplicationRequest request = request(vm).build();
                    producer.send(new ProducerRecord<>(Topics.REPLICATION_REQUESTED.name(), vm.getId(),
                            requested(requestId, vm, request)));
                    producer.send(new ProducerRecord<>(Topics.VM_DISCOVERED.name(), vm.getId(),
                            vmDiscovered(requestId, vm, request)));
                }));
            }
            for (Future<?> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }
            producer.flush();
        } finally {
            senders.shutdownNow();
        }

        // then: one job, 199 refusals, every request answered once
        List<ReplicationRejected> rejected = collector.awaitEvents(Topics.REPLICATION_REJECTED, vm.getId(), 199);
        JobCreated job = collector.only(Topics.JOB_CREATED, vm.getId());
        assertThat(collector.of(Topics.CONTEXT_CREATED, vm.getId())).hasSize(1);
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.getReason()).isEqualTo(RejectionReason.ACTIVE_REPLICATION_JOB);
            assertThat(r.getMessage()).isEqualTo("VM has active replication job");
            assertThat(r.getActiveJobId()).isEqualTo(job.getJobId());
        });
        Set<String> answered = rejected.stream().map(ReplicationRejected::getCorrelationId).collect(Collectors.toSet());
        answered.add(job.getCorrelationId());
        assertThat(answered).containsExactlyInAnyOrderElementsOf(requestIds);
        collector.awaitEvents(Topics.JOB_STARTED, vm.getId(), 1);

        // then: nothing pending in the read model
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Integer> outcomes = db.select(REPLICATION_REQUESTS.OUTCOME, org.jooq.impl.DSL.count())
                    .from(REPLICATION_REQUESTS).where(REPLICATION_REQUESTS.VMWARE_VM_ID.eq(vm.getId()))
                    .groupBy(REPLICATION_REQUESTS.OUTCOME).fetchMap(r -> r.value1(), r -> r.value2());
            assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("rejected", 199, "job_started", 1));
        });
        assertThat(collector.of(Topics.REPLICATION_REJECTED, vm.getId())).hasSize(199);
        assertThat(collector.of(Topics.JOB_CREATED, vm.getId())).hasSize(1);
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheDecisionGoesOn() throws Exception {
        // given
        SimVm simVm = vma.inventory().add(SimVm.builder("it-poison").id(UUID.randomUUID().toString()).diskGb(10));
        DiscoveredVm vm = discovered(simVm);
        byte[] garbage = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> rawConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(rawConfig, new StringSerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.VM_DISCOVERED.name(), vm.getId(), garbage)).get(30, TimeUnit.SECONDS);
        }

        // when
        publish(Topics.VM_DISCOVERED, vm.getId(), vmDiscovered("after-poison", vm,
                request(vm).setStartReplication(false).build()));

        // then
        ContextCreated context = collector.awaitEvents(Topics.CONTEXT_CREATED, vm.getId(), 1).get(0);
        assertThat(context.getCorrelationId()).isEqualTo("after-poison");
        ConsumerRecord<String, byte[]> dead = collector.awaitDeadLetter(vm.getId());
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(header(dead, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.VM_DISCOVERED.name());
        assertThat(header(dead, DeadLetters.CONSUMER)).isEqualTo("job-service");
        assertThat(header(dead, DeadLetters.REASON)).startsWith("cannot deserialize: ");
        assertThat(header(dead, DeadLetters.ORIGINAL_OFFSET)).matches("\\d+");
    }

    @Test
    void everyDecisionIsCountedByOutcomeAndTheConsumersLagIsExposedAtThePrometheusEndpoint() throws Exception {
        // given: the decision counts before (earlier tests' requests are all decided by now)
        Map<String, Double> before = decisionCounts("VmDiscovered");
        DiscoveredVm fresh = discovered(vma.inventory().add(
                SimVm.builder("it-metrics-a").id(UUID.randomUUID().toString()).diskGb(10)));
        DiscoveredVm managed = discovered(vma.inventory().add(
                SimVm.builder("it-metrics-b").id(UUID.randomUUID().toString()).diskGb(10)));
        ReplicationRequest addOnly = request(managed).setStartReplication(false).build();

        // when: a decision of each kind the decider makes on a request
        publish(Topics.VM_DISCOVERED, fresh.getId(), vmDiscovered("metrics-a1", fresh, request(fresh).build()));
        publish(Topics.VM_DISCOVERED, fresh.getId(), vmDiscovered("metrics-a1", fresh, request(fresh).build()));
        publish(Topics.VM_DISCOVERED, fresh.getId(), vmDiscovered("metrics-a2", fresh, request(fresh).build()));
        publish(Topics.VM_DISCOVERED, managed.getId(), vmDiscovered("metrics-b1", managed, addOnly));
        publish(Topics.VM_DISCOVERED, managed.getId(), vmDiscovered("metrics-b2", managed, addOnly));
        publish(Topics.VM_DISCOVERED, managed.getId(), vmDiscovered("metrics-b3", managed, request(managed).build()));

        // then: every request decided ...
        assertThat(collector.awaitEvents(Topics.REPLICATION_REJECTED, fresh.getId(), 1))
                .extracting(ReplicationRejected::getCorrelationId, ReplicationRejected::getReason)
                .containsExactly(tuple("metrics-a2", RejectionReason.ACTIVE_REPLICATION_JOB));
        assertThat(collector.awaitEvents(Topics.JOB_CREATED, managed.getId(), 1))
                .extracting(JobCreated::getCorrelationId).containsExactly("metrics-b3");
        assertThat(collector.of(Topics.REPLICATION_REJECTED, managed.getId()))
                .extracting(ReplicationRejected::getCorrelationId, ReplicationRejected::getReason)
                .containsExactly(tuple("metrics-b2", RejectionReason.VM_ALREADY_MANAGED));
        assertThat(collector.of(Topics.JOB_CREATED, fresh.getId())).extracting(JobCreated::getCorrelationId)
                .containsExactly("metrics-a1");

        // ... and counted once by its outcome, and nothing more
        Map<String, Double> counted = new HashMap<>();
        decisionCounts("VmDiscovered").forEach((outcome, count) -> {
            double delta = count - before.getOrDefault(outcome, 0.0);
            if (delta != 0) {
                counted.put(outcome, delta);
            }
        });
        assertThat(counted).containsExactlyInAnyOrderEntriesOf(Map.of(
                "context_and_job_created", 1.0,
                "duplicate_request", 1.0,
                "rejected_ACTIVE_REPLICATION_JOB", 1.0,
                "context_created", 1.0,
                "rejected_VM_ALREADY_MANAGED", 1.0,
                "job_created", 1.0));

        // then: the consumer lag of the decision's Streams consumer and of both listeners
        List<String> lag = prometheus().lines().filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag_max{"))
                .toList();
        assertThat(lag).anySatisfy(l -> assertThat(l).contains("client_id=\"job-service-StreamThread-1-consumer\""));
        assertThat(lag).anySatisfy(l -> assertThat(l).contains("job-workflow"));
        assertThat(lag).anySatisfy(l -> assertThat(l).contains("job-projector"));
    }

    @Test
    void aRedeliveredJobCreatedStartsTheJobOnce() throws Exception {
        // given: a job created once, published twice (a producer retry, a replay)
        SimVm simVm = vma.inventory().add(SimVm.builder("it-twice").id(UUID.randomUUID().toString()).diskGb(12));
        DiscoveredVm vm = discovered(simVm);
        JobCreated job = JobCreated.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setCorrelationId("twice-1").setVmwareVmId(vm.getId()).setJobId("job-twice-" + UUID.randomUUID())
                .setContextId("ctx-it-twice").setContextCreated(true).setReplicationType(ReplicationType.initial)
                .setVm(vm).setRequestedBy("integration-test").build();

        // when
        publish(Topics.JOB_CREATED, vm.getId(), job);
        collector.awaitEvents(Topics.JOB_STARTED, vm.getId(), 1);
        var second = producer.send(new ProducerRecord<>(Topics.JOB_CREATED.name(), vm.getId(), job)).get(30, TimeUnit.SECONDS);

        // then: the workflow has consumed the second copy, and nothing more happened
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            TopicPartition partition = new TopicPartition(second.topic(), second.partition());
            await().atMost(WAIT).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(workflowGroup)
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() > second.offset();
            });
        }
        assertThat(collector.of(Topics.JOB_STARTED, vm.getId())).hasSize(1);
        assertThat(collector.of(Topics.JOB_FAILED, vm.getId())).isEmpty();
        assertThat(cloud.volumes()).filteredOn(v -> v.name().endsWith("-" + job.getJobId())).hasSize(1);
        assertThat(vma.jobs()).filteredOn(j -> j.jobId().equals(job.getJobId())).hasSize(1);
    }


    private static void publish(Topic<?> topic, String key, SpecificRecord event) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, event)).get(30, TimeUnit.SECONDS);
    }

    private static VmContext lastContext(String vmId) {
        List<VmContext> contexts = collector.of(Topics.VM_CONTEXTS, vmId);
        assertThat(contexts).isNotEmpty();
        return contexts.get(contexts.size() - 1);
    }

    private static String readiness() throws Exception {
        return actuator("health/readiness");
    }

    private static String prometheus() throws Exception {
        return actuator("prometheus");
    }

    /** GETs {@code /actuator/<path>} with the management token, which must answer 200; returns the body. */
    private static String actuator(String path) throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/" + path))
                        .header("Authorization", "Bearer " + MANAGEMENT_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }


    /** {@code migratekit_decisions_total} of one input event type, by outcome, as the endpoint shows it. */
    private static Map<String, Double> decisionCounts(String eventType) throws Exception {
        Pattern series = Pattern.compile("^migratekit_decisions_total\\{(.*)\\} (\\S+)$");
        Pattern outcome = Pattern.compile("outcome=\"([^\"]*)\"");
        Map<String, Double> counts = new HashMap<>();
        for (String line : prometheus().lines().toList()) {
            Matcher matcher = series.matcher(line);
            if (matcher.matches() && matcher.group(1).contains("event=\"" + eventType + "\"")) {
                Matcher named = outcome.matcher(matcher.group(1));
                assertThat(named.find()).isTrue();
                counts.merge(named.group(1), Double.parseDouble(matcher.group(2)), Double::sum);
            }
        }
        return counts;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The VM as discovery-service would map the simulator's inventory entry. */
    private static DiscoveredVm discovered(SimVm simVm) {
        List<DiskSpec> disks = new ArrayList<>();
        for (SimDisk d : simVm.disks()) {
            disks.add(DiskSpec.newBuilder().setId(d.id()).setLabel(d.label()).setPath(d.vmdkPath())
                    .setVmdkPath(d.vmdkPath()).setSizeGb(d.sizeGb()).setCapacityBytes(d.capacityBytes())
                    .setDatastore(d.datastore()).setProvisioningType(d.provisioningType()).setUnitNumber(d.unitNumber())
                    .build());
        }
        return DiscoveredVm.newBuilder().setId(simVm.id()).setName(simVm.name()).setPath(simVm.path())
                .setDatacenter(simVm.datacenter()).setVcenterHost(VCENTER).setCpus(simVm.numCpu())
                .setMemoryMb(simVm.memoryMb()).setPowerState("poweredOn").setOsType(simVm.guestOs())
                .setVmxVersion(simVm.vmxVersion()).setDisks(disks).build();
    }

    private static ReplicationRequest.Builder request(DiscoveredVm vm) {
        return ReplicationRequest.newBuilder()
                .setSourceVm(SourceVm.newBuilder().setId(vm.getId()).setName(vm.getName()).setPath(vm.getPath()).build())
                .setOsseaConfigId(1L).setVcenterHost(VCENTER).setDatacenter(vm.getDatacenter())
                .setStartReplication(true).setRequestedBy("integration-test");
    }

    private static ReplicationRequested requested(String requestId, DiscoveredVm vm, ReplicationRequest request) {
        return ReplicationRequested.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setCorrelationId(requestId).setVmwareVmId(vm.getId()).setRequest(request).build();
    }

    private static VmDiscovered vmDiscovered(String requestId, DiscoveredVm vm, ReplicationRequest request) {
        return VmDiscovered.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now())
                .setCorrelationId(requestId).setVmwareVmId(vm.getId()).setRequest(request).setVm(vm).setDiscoveryMs(5)
                .build();
    }

    /** Reads the output topics (committed records only) and the dead letters from the start, in the background. */
    private static final class Collector implements AutoCloseable {

        private static final List<Topic<?>> OUTPUTS = List.of(Topics.CONTEXT_CREATED, Topics.JOB_CREATED,
                Topics.REPLICATION_REJECTED, Topics.VM_CONTEXTS, Topics.JOB_STARTED, Topics.JOB_FAILED);

        private final List<ConsumerRecord<String, Object>> events = new CopyOnWriteArrayList<>();
        private final List<ConsumerRecord<String, byte[]>> deadLetters = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Collector(RegistrySettings registry, String run) {
            Map<String, Object> config = new HashMap<>(registry.consumerSerdeConfig());
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "job-service-it-collector-" + run);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            Map<String, Object> rawConfig = new HashMap<>(config);
            rawConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "job-service-it-dead-letters-" + run);
            KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config);
            KafkaConsumer<String, byte[]> raw = new KafkaConsumer<>(rawConfig, new StringDeserializer(),
                    new ByteArrayDeserializer());
            consumer.subscribe(OUTPUTS.stream().map(Topic::name).toList());
            raw.subscribe(List.of(Topics.DEAD_LETTERS));
            thread = new Thread(() -> {
                try (consumer; raw) {
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(100)).forEach(events::add);
                        raw.poll(Duration.ofMillis(10)).forEach(deadLetters::add);
                    }
                }
            }, "job-service-it-collector");
            thread.setDaemon(true);
            thread.start();
        }

        @SuppressWarnings("unchecked")
        <V extends SpecificRecord> List<V> of(Topic<V> topic, String vmId) {
            List<V> found = new ArrayList<>();
            for (ConsumerRecord<String, Object> record : events) {
                if (record.topic().equals(topic.name()) && vmId.equals(record.key())) {
                    found.add((V) record.value());
                }
            }
            return found;
        }

        /** Waits until at least {@code count} events of the VM are on the topic; returns them all. */
        <V extends SpecificRecord> List<V> awaitEvents(Topic<V> topic, String vmId, int count) {
            await().atMost(WAIT).until(() -> of(topic, vmId).size() >= count);
            return of(topic, vmId);
        }

        <V extends SpecificRecord> V only(Topic<V> topic, String vmId) {
            List<V> found = of(topic, vmId);
            assertThat(found).hasSize(1);
            return found.get(0);
        }

        ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
            await().atMost(WAIT).until(() -> deadLetters.stream().anyMatch(r -> key.equals(r.key())));
            List<ConsumerRecord<String, byte[]>> mine = deadLetters.stream().filter(r -> key.equals(r.key())).toList();
            assertThat(mine).hasSize(1);
            return mine.get(0);
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
