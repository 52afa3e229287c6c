package io.migratekit.progress.it;

import static org.awaitility.Awaitility.await;

import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.platform.BearerTokens;
import io.migratekit.platform.streams.StreamsApp;
import io.migratekit.progress.ProgressServiceApplication;
import io.migratekit.progress.testing.Fixtures;
import io.migratekit.progress.testing.OmaChangeIdEndpoint;
import io.migratekit.schemas.EventIds;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.TopicSettings;
import io.migratekit.schemas.Topics;
import io.migratekit.vma.VmaClient;
import io.migratekit.vma.VmaDtos;
import io.migratekit.vmasim.SimDisk;
import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.SimulatorConfig;
import io.migratekit.vmasim.VmaSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the integration tests share: the JVM's real Kafka broker and schema registry, the pipeline's
 * topics, a producer for the events job-service and job-intake would write, the stand-in for
 * job-intake's change-id endpoint, and starting progress-service the way the standalone launcher does.
 */
final class Harness implements AutoCloseable {

    /** The management token the started service accepts on its actuator endpoints. */
    static final String MANAGEMENT_TOKEN = "management-token-for-tests";

    /** A job running on a simulator, announced with {@code JobStarted}. */
    record StartedJob(SimVm vm, String jobId, String contextId, String correlationId) {
    }

    final SharedTestInfrastructure infra;
    final RegistrySettings registry;
    final KafkaProducer<String, SpecificRecord> producer;
    final OmaChangeIdEndpoint endpoint;

    private Harness(SharedTestInfrastructure infra) throws IOException {
        this.infra = infra;
        this.registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            TopicSettings.singleBroker(3).ensureTopics(admin, Duration.ofSeconds(30));
        }
        Map<String, Object> config = new HashMap<>(registry.producerSerdeConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config);
        this.endpoint = new OmaChangeIdEndpoint(producer);
    }

    static Harness start() throws IOException {
        return new Harness(SharedTestInfrastructure.get());
    }

    /** A simulator whose copy engine calls our change-id stand-in, copying at {@code bytesPerSecond} per job. */
    VmaSimulator simulator(long bytesPerSecond) {
        return simulator(bytesPerSecond, 0);
    }

    /** The same on a given port (0 for any): a VMA that went away can come back at its address. */
    VmaSimulator simulator(long bytesPerSecond, int port) {
        return VmaSimulator.start(SimulatorConfig.builder().port(port).omaUrl(endpoint.baseUrl())
                .copyRateBytesPerSecond(bytesPerSecond).diskGap(Duration.ofMillis(300)).build());
    }

    /**
     * Starts progress-service in its own Spring context the way the standalone launcher does (properties
     * given to {@code SpringApplicationBuilder}), with short test timings, and waits until its streams run.
     */
    ConfigurableApplicationContext startService(String applicationId, Path stateDir, String vmaUrl) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.kafka.bootstrap-servers", infra.bootstrapServers());
        properties.put("migratekit.registry.url", infra.registryBaseUrl());
        properties.put("migratekit.topics.partitions", "3");
        properties.put("migratekit.vma.url", vmaUrl);
        properties.put("migratekit.streams.application-id", applicationId);
        properties.put("migratekit.streams.state-dir", stateDir.toString());
        properties.put("migratekit.progress.poll-interval", "500ms");
        properties.put("migratekit.progress.not-found-grace", "3s");
        properties.put("migratekit.progress.stall-timeout", "4s");
        properties.put("migratekit.progress.max-consecutive-failures", "3");
        properties.put("migratekit.progress.failure-backoff-max", "1s");
        // Long enough for the simulator's change-id callbacks on a loaded machine: no test here waits it out.
        properties.put("migratekit.progress.change-id-wait", "30s");
        properties.put("migratekit.progress.poll-timeout", "2s");
        properties.put("migratekit.management.token-sha256", HexFormat.of().formatHex(BearerTokens.sha256(MANAGEMENT_TOKEN)));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ProgressServiceApplication.class)
                .properties(properties).run();
        StreamsApp streams = context.getBean(StreamsApp.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return context;
    }

    /** Adds a VM with disks of the given sizes (bytes) to the simulator's inventory. */
    static SimVm addVm(VmaSimulator sim, String name, long... diskBytes) {
        SimVm.Builder vm = SimVm.builder(name);
        for (long bytes : diskBytes) {
            vm.disk(bytes);
        }
        return sim.inventory().add(vm);
    }

    /**
     * Starts a replication of the VM on the simulator (as job-service's workflow does) and announces it
     * with {@code JobStarted}.
     */
    StartedJob startJob(VmaSimulator sim, SimVm vm) throws Exception {
        String jobId = EventIds.newJobId(Instant.now());
        String contextId = "ctx-" + vm.name();
        String correlationId = "req-" + jobId;
        endpoint.register(jobId, new OmaChangeIdEndpoint.JobRef(vm.id(), contextId, correlationId));
        List<VmaDtos.NbdTarget> targets = new ArrayList<>();
        List<VolumeAttachment> volumes = new ArrayList<>();
        for (SimDisk disk : vm.disks()) {
            String key = Integer.toString(disk.key());
            String export = "migration-vol-vol-" + jobId + "-" + key;
            targets.add(new VmaDtos.NbdTarget("nbd://127.0.0.1:10809/" + export, key));
            volumes.add(VolumeAttachment.newBuilder().setDiskId(disk.id()).setVmwareDiskKey(key)
                    .setVolumeId("vol-" + jobId + "-" + key).setNbdExportName(export)
                    .setDevicePath("nbd://127.0.0.1:10809/" + export).setSizeGb(disk.sizeGb()).setReused(false).build());
        }
        new VmaClient(sim.baseUrl(), null).replicate(new VmaDtos.ReplicateRequest(jobId, "vcenter.it.test", "it-user",
                "it-password", List.of(vm.path()), endpoint.baseUrl(), targets), Duration.ofSeconds(10)).join();
        JobStarted started = JobStarted.newBuilder().setEventId(EventIds.newEventId()).setOccurredAt(Instant.now())
                .setCorrelationId(correlationId).setVmwareVmId(vm.id()).setJobId(jobId).setContextId(contextId)
                .setReplicationType(ReplicationType.initial).setVolumes(volumes).setVmPath(vm.path())
                .setFailoverId(null).setRequestedBy(Fixtures.ORIGIN.requestedBy())
                .setScheduledBy(Fixtures.ORIGIN.scheduledBy())
                .setScheduleExecutionId(Fixtures.ORIGIN.scheduleExecutionId())
                .setVmGroupId(Fixtures.ORIGIN.vmGroupId()).build();
        producer.send(new ProducerRecord<>(Topics.JOB_STARTED.name(), vm.id(), started)).get(10, TimeUnit.SECONDS);
        return new StartedJob(vm, jobId, contextId, correlationId);
    }

    EventCollector<SpecificRecord> collectOutputs() {
        return EventCollector.events(infra.bootstrapServers(), registry,
                List.of(Topics.JOB_PROGRESS.name(), Topics.JOB_COMPLETED.name(), Topics.JOB_FAILED.name()));
    }

    @Override
    public void close() {
        endpoint.close();
        producer.close(Duration.ofSeconds(5));
    }
}
