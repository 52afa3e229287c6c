package io.migratekit.progress.bench;

import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.progress.testing.OmaChangeIdEndpoint;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.TopicSettings;
import io.migratekit.vmasim.Inventory;
import io.migratekit.vmasim.SimulatorConfig;
import io.migratekit.vmasim.VmaSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The benchmark's other process: the Kafka broker, the schema registry, the VMA simulator with
 * {@code N} two-disk VMs and the change-id stand-in, so that the benchmark's own process runs
 * progress-service alone and its CPU time is the service's. Prints one {@code READY} line with the
 * addresses, then runs until its standard input closes.
 */
public final class BenchmarkBackend {

    static final String VM_PREFIX = "bench-vm-";
    static final long DISK_GIB = 100;
    static final long COPY_RATE = 64L * 1024 * 1024;

    private BenchmarkBackend() {
    }

    public static void main(String[] args) throws Exception {
        int vms = Integer.parseInt(args[0]);
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            TopicSettings.singleBroker(6).ensureTopics(admin, Duration.ofSeconds(30));
        }
        Map<String, Object> config = new HashMap<>(RegistrySettings.ofBaseUrl(infra.registryBaseUrl()).producerSerdeConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        Inventory inventory = Inventory.empty();
        for (int i = 0; i < vms; i++) {
            inventory.add(ProgressBenchmark.vm(i));
        }
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config);
                OmaChangeIdEndpoint endpoint = new OmaChangeIdEndpoint(producer);
                VmaSimulator sim = VmaSimulator.start(SimulatorConfig.builder().inventory(inventory)
                        .omaUrl(endpoint.baseUrl()).copyRateBytesPerSecond(COPY_RATE).httpThreads(8).build())) {
            System.out.println("READY " + infra.bootstrapServers() + " " + infra.registryBaseUrl() + " " + sim.baseUrl()
                    + " " + endpoint.baseUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes our standard input
            }
        }
        System.exit(0);
    }
}
