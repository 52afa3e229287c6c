package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the failover tests share on the standalone stack: a VM whose first replication completed
 * (small disks, so copies take a moment), failover requests and their state through the REST API,
 * and the events of one VM read from the topics (committed records, from the beginning up to the
 * current end).
 */
final class FailoverSupport {

    /** A disk the simulated copy engine copies in a fraction of a second. */
    static final long SMALL_DISK = 256L * 1024 * 1024;
    static final Set<String> ENDED = Set.of("completed", "failed", "cleaned_up");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Pipeline pipeline;

    FailoverSupport(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** A new VM of the simulator whose initial replication completed: ready for failover. */
    SimVm replicatedVm(String prefix, int disks) {
        SimVm.Builder builder = SimVm.builder(prefix + "-" + SEQUENCE.incrementAndGet()).folder("e2e-failover");
        for (int i = 0; i < disks; i++) {
            builder.disk(SMALL_DISK);
        }
        SimVm vm = pipeline.stack.simulator().inventory().add(builder);
        HttpResponse<String> started = pipeline.post("/replications", requestFor(vm));
        if (started.statusCode() != 201) {
            throw new AssertionError("the initial replication of " + vm.name() + " did not start: "
                    + started.statusCode() + " " + started.body());
        }
        awaitContextStatus(vm, "ready_for_failover");
        return vm;
    }

    HttpResponse<String> requestFailover(SimVm vm, String type, ObjectNode options) {
        ObjectNode body = Pipeline.JSON.createObjectNode().put("vm_name", vm.name()).put("failover_type", type);
        options.properties().forEach(entry -> body.set(entry.getKey(), entry.getValue()));
        return pipeline.post("/failovers", body);
    }

    /** Requests a failover that the decision must accept; returns its id. */
    String acceptedFailover(SimVm vm, String type, ObjectNode options) {
        HttpResponse<String> response = requestFailover(vm, type, options);
        if (response.statusCode() != 202 || !"validated".equals(json(response).get("status").asString())) {
            throw new AssertionError("failover of " + vm.name() + " not accepted: " + response.statusCode() + " "
                    + response.body());
        }
        return json(response).get("failover_job_id").asString();
    }

    static ObjectNode options() {
        return Pipeline.JSON.createObjectNode();
    }

    /** The failover as GET /failovers/{id} shows it once it ended. */
    JsonNode awaitEnded(String failoverId) {
        return awaitFailover(failoverId, failover -> ENDED.contains(failover.get("status").asString()));
    }

    /** The failover as GET /failovers/{id} shows it once it matches (bounded wait). */
    JsonNode awaitFailover(String failoverId, java.util.function.Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> response;
        do {
            response = pipeline.get("/failovers/" + failoverId);
            if (response.statusCode() == 200 && wanted.test(json(response))) {
                return json(response);
            }
            pause();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("failover " + failoverId + " not as expected within " + WAIT + ": "
                + response.statusCode() + " " + response.body());
    }

    /** The VM's context (GET /vm-contexts/{name}) once its status is the wanted one (bounded wait). */
    JsonNode awaitContextStatus(SimVm vm, String status) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> response;
        do {
            response = pipeline.get("/vm-contexts/" + vm.name());
            if (response.statusCode() == 200 && status.equals(json(response).get("context").get("current_status")
                    .asString())) {
                return json(response).get("context");
            }
            pause();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("VM " + vm.name() + " not " + status + " within " + WAIT + ": "
                + response.statusCode() + " " + response.body());
    }

    /** The steps of a failover as "step:status" in their order. */
    static List<String> steps(JsonNode failover) {
        List<String> steps = new ArrayList<>();
        failover.get("steps").forEach(step -> steps.add(step.get("step").asString() + ":" + step.get("status").asString()));
        return steps;
    }

    /**
     * Every committed event of these topics with the VM's id as key, read from the beginning up to
     * the current end; within one topic in the order they were written (one partition per VM).
     */
    List<SpecificRecord> events(SimVm vm, Topic<?>... topics) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<SpecificRecord> result = new ArrayList<>();
        // Values are decoded only for this VM's key: other tests of the stack write poison records to every topic.
        try (AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>();
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            deserializer.configure(RegistrySettings.ofBaseUrl(pipeline.stack.registryUrl()).serdeConfig(), false);
            for (Topic<?> topic : topics) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("could not read " + topic.name() + " to its end within 30 s");
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (vm.id().equals(record.key())) {
                            result.add(deserializer.deserialize(record.topic(), record.value()));
                        }
                    }
                }
            }
        }
        return result;
    }

    static <T> List<T> only(List<SpecificRecord> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** A VM as the CloudStack simulator keeps it; empty once it is destroyed. */
    java.util.Optional<JsonNode> cloudVm(String vmId) {
        return java.util.Optional.ofNullable(pipeline.stack.cloudStack().state().get("vms").get(vmId));
    }

    /** A volume as the CloudStack simulator keeps it; empty once it is deleted. */
    java.util.Optional<JsonNode> cloudVolume(String volumeId) {
        return java.util.Optional.ofNullable(pipeline.stack.cloudStack().state().get("volumes").get(volumeId));
    }

    /** The simulator's volumes attached to a VM. */
    List<JsonNode> cloudVolumesOf(String vmId) {
        List<JsonNode> volumes = new ArrayList<>();
        pipeline.stack.cloudStack().state().get("volumes").forEach(v -> {
            if (vmId.equals(v.get("virtualMachineId").asString(null))) {
                volumes.add(v);
            }
        });
        return volumes;
    }

    /** The simulator's VMs made for a failover: their names end in 8 hex of the SHA-256 of the failover id. */
    List<JsonNode> cloudVmsOf(String failoverId) {
        String suffix;
        try {
            suffix = "-" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(failoverId.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<JsonNode> vms = new ArrayList<>();
        pipeline.stack.cloudStack().state().get("vms").forEach(vm -> {
            if (vm.get("name").asString().endsWith(suffix)) {
                vms.add(vm);
            }
        });
        return vms;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
