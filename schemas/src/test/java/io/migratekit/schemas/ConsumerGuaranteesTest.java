package io.migratekit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.VmContext;
import io.migratekit.infra.SharedTestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the event catalog promises a consumer, against the real broker and registry with the
 * pipeline's producer settings: every event of a job (one VM) lands on one partition number, on
 * every topic, in the order it was written; a consumer that restarts from its committed offsets sees
 * events again, and after dropping duplicates by {@code event_id} none twice and none missing; the
 * compacted VM context topic gives a new consumer the current state of every VM. Each test uses VM
 * ids of its own on the shared topics.
 */
class ConsumerGuaranteesTest {

    static SharedTestInfrastructure infra;
    static RegistrySettings registry;
    static final int PARTITIONS = 3;

    @BeforeAll
    static void startInfrastructure() {
        infra = SharedTestInfrastructure.get();
        registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            TopicSettings.singleBroker(PARTITIONS).ensureTopics(admin, Duration.ofSeconds(30));
        }
    }

    @Test
    void everyEventOfAJobIsOnOnePartitionNumberInTheOrderWritten() throws Exception {
        // given: the events of one job of one VM, in the order they happen
        String vm = "vm-" + UUID.randomUUID();
        SampleEvents samples = new SampleEvents(61);
        List<Sent> events = new ArrayList<>();
        events.add(new Sent(Topics.JOB_STARTED.name(), withVm(samples.sample(JobStarted.class), vm)));
        for (int i = 0; i < 3; i++) {
            events.add(new Sent(Topics.JOB_PROGRESS.name(), withVm(samples.sample(JobProgress.class), vm)));
        }
        events.add(new Sent(Topics.CHANGE_ID_RECORDED.name(), withVm(samples.sample(ChangeIdRecorded.class), vm)));
        events.add(new Sent(Topics.JOB_COMPLETED.name(), withVm(samples.sample(JobCompleted.class), vm)));

        // when: they are produced one after the other
        List<RecordMetadata> written = produce(events);

        // then: one partition number on every topic, and the progress events in the order written
        assertThat(written.stream().map(RecordMetadata::partition).distinct()).hasSize(1);
        List<String> progressIds = read(Topics.JOB_PROGRESS.name(), Set.of(vm), "order-" + UUID.randomUUID(), 3)
                .stream().map(r -> eventId(r.value())).toList();
        assertThat(progressIds).containsExactly(eventId(events.get(1).event()), eventId(events.get(2).event()),
                eventId(events.get(3).event()));
    }

    @Test
    void aConsumerRestartingFromCommittedOffsetsSeesNoEventTwiceAfterDedupe() throws Exception {
        // given: ten progress events of one VM
        String vm = "vm-" + UUID.randomUUID();
        SampleEvents samples = new SampleEvents(62);
        List<Sent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(new Sent(Topics.JOB_PROGRESS.name(), withVm(samples.sample(JobProgress.class), vm)));
        }
        produce(events);
        String group = "restart-" + UUID.randomUUID();

        // when: a consumer reads four, commits them, reads two more and dies without committing;
        // a new consumer of the group then reads the rest
        List<String> delivered = new ArrayList<>();
        try (KafkaConsumer<String, Object> first = consumer(group)) {
            first.subscribe(List.of(Topics.JOB_PROGRESS.name()));
            List<ConsumerRecord<String, Object>> seen = pollAtLeast(first, Set.of(vm), 6);
            for (int i = 0; i < 6; i++) {
                delivered.add(eventId(seen.get(i).value()));
                if (i == 3) {
                    ConsumerRecord<String, Object> last = seen.get(i);
                    first.commitSync(Map.of(new TopicPartition(last.topic(), last.partition()),
                            new OffsetAndMetadata(last.offset() + 1)));
                }
            }
        }
        read(Topics.JOB_PROGRESS.name(), Set.of(vm), group, 6).forEach(r -> delivered.add(eventId(r.value())));

        // then: the two uncommitted events came twice; after dedupe by event_id every event once, in order
        List<String> expected = events.stream().map(s -> eventId(s.event())).toList();
        assertThat(delivered).hasSize(12);
        Set<String> seenIds = new HashSet<>();
        List<String> deduped = delivered.stream().filter(seenIds::add).toList();
        assertThat(deduped).containsExactlyElementsOf(expected);
    }

    @Test
    void theCompactedContextTopicGivesANewConsumerTheCurrentStateOfEveryVm() throws Exception {
        // given: three VMs, each context changed three times
        SampleEvents samples = new SampleEvents(63);
        List<String> vms = List.of("vm-" + UUID.randomUUID(), "vm-" + UUID.randomUUID(), "vm-" + UUID.randomUUID());
        List<Sent> events = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (int version = 1; version <= 3; version++) {
            for (String vm : vms) {
                VmContext context = withVm(samples.sample(VmContext.class), vm);
                context.setVersion((long) version);
                events.add(new Sent(Topics.VM_CONTEXTS.name(), context));
                current.put(vm, eventId(context));
            }
        }
        produce(events);

        // when: a consumer nobody ran before reads the topic from the beginning, keeping the last record per VM
        Map<String, String> state = new LinkedHashMap<>();
        read(Topics.VM_CONTEXTS.name(), Set.copyOf(vms), "new-" + UUID.randomUUID(), 9)
                .forEach(r -> state.put(r.key(), eventId(r.value())));

        // then: it has the current context of every VM, and the topic is compacted (old versions may go, the last stays)
        assertThat(state).isEqualTo(current);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.VM_CONTEXTS.name());
            assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    private record Sent(String topic, SpecificRecord event) {
    }

    private static <V extends SpecificRecord> V withVm(V event, String vm) {
        event.put(event.getSchema().getField("vmware_vm_id").pos(), vm);
        return event;
    }

    private static String eventId(Object event) {
        SpecificRecord record = (SpecificRecord) event;
        return String.valueOf(record.get(record.getSchema().getField("event_id").pos()));
    }

    private static String key(SpecificRecord event) {
        return String.valueOf(event.get(event.getSchema().getField("vmware_vm_id").pos()));
    }

    private static List<RecordMetadata> produce(List<Sent> events) throws Exception {
        Map<String, Object> config = registry.producerSerdeConfig();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            for (Sent sent : events) {
                written.add(producer.send(new ProducerRecord<>(sent.topic(), key(sent.event()), sent.event())).get());
            }
        }
        return written;
    }

    private static KafkaConsumer<String, Object> consumer(String group) {
        Map<String, Object> config = registry.consumerSerdeConfig();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config);
    }

    private static List<ConsumerRecord<String, Object>> read(String topic, Set<String> vms, String group, int count) {
        try (KafkaConsumer<String, Object> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            return pollUntil(consumer, vms, count);
        }
    }

    /** Polls until {@code count} records of the VMs arrived, then once more to prove nothing more came. */
    private static List<ConsumerRecord<String, Object>> pollUntil(KafkaConsumer<String, Object> consumer,
            Set<String> vms, int count) {
        List<ConsumerRecord<String, Object>> matching = pollAtLeast(consumer, vms, count);
        consumer.poll(Duration.ofMillis(500)).forEach(r -> {
            if (vms.contains(r.key())) {
                matching.add(r);
            }
        });
        assertThat(matching).as("records of " + vms).hasSize(count);
        return matching;
    }

    /** Polls until at least {@code count} records of the VMs arrived (within a minute). */
    private static List<ConsumerRecord<String, Object>> pollAtLeast(KafkaConsumer<String, Object> consumer,
            Set<String> vms, int count) {
        List<ConsumerRecord<String, Object>> matching = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (matching.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (vms.contains(r.key())) {
                    matching.add(r);
                }
            });
        }
        assertThat(matching.size()).as("records of " + vms).isGreaterThanOrEqualTo(count);
        return matching;
    }
}
