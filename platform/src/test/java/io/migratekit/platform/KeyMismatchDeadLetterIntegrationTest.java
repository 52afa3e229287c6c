package io.migratekit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.platform.fixture.FixtureApplication;
import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * A record filed under another VM's key than its event's (drill 8 of docs/reliability.md), on the
 * real broker and registry, through the platform's listener wiring alone: a record listener and a
 * batch listener that reads raw keys (like discovery-service's) never get it as an event, each group
 * dead-letters it once, without retries, with its original bytes and the mismatch as the reason, and
 * both carry on with the record behind it.
 */
class KeyMismatchDeadLetterIntegrationTest {

    static final String RUN = UUID.randomUUID().toString();
    static final Queue<String> recordListenerSaw = new ConcurrentLinkedQueue<>();
    static final Queue<String> batchListenerSaw = new ConcurrentLinkedQueue<>();
    static final AtomicInteger batchListenerUnreadable = new AtomicInteger();

    static ConfigurableApplicationContext service;

    @BeforeAll
    static void start() {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        service = new SpringApplicationBuilder(FixtureApplication.class, Listeners.class)
                .web(WebApplicationType.NONE)
                .run("--spring.kafka.bootstrap-servers=" + infra.bootstrapServers(),
                        "--migratekit.registry.url=" + infra.registryBaseUrl(),
                        // The fixture's acks=1 (a test of the defaults' layering) does not go with idempotence.
                        "--spring.kafka.producer.acks=all");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aRecordUnderAnotherVmsKeyIsDeadLetteredOncePerGroupAndTheListenersCarryOn() throws Exception {
        // given
        @SuppressWarnings("unchecked")
        KafkaTemplate<String, SpecificRecord> template = service.getBean("kafkaTemplate", KafkaTemplate.class);
        String topic = Topics.FAILOVER_CLEANUP_REQUESTED.name();

        // when: a true record, one filed under another VM's key, and a true one behind it, on one partition
        template.send(topic, 0, vm("a"), cleanup(vm("a"))).get();
        long poisonOffset = template.send(topic, 0, vm("x"), cleanup(vm("b"))).get().getRecordMetadata().offset();
        template.send(topic, 0, vm("c"), cleanup(vm("c"))).get();

        // then: both listeners handled the true records only, the batch listener saw the poison once
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(recordListenerSaw).containsExactly(vm("a"), vm("c"));
            assertThat(batchListenerSaw).containsExactly(vm("a"), vm("c"));
        });
        assertThat(batchListenerUnreadable).hasValue(1);

        // and: one dead letter per group, original bytes, the mismatch as the reason
        byte[] original = read(new TopicPartition(topic, 0), poisonOffset, 1).get(0).value();
        List<ConsumerRecord<byte[], byte[]>> letters = deadLettersOf(topic, poisonOffset);
        assertThat(letters).hasSize(2);
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(vm("x"));
            assertThat(letter.value()).isEqualTo(original);
            assertThat(header(letter, DeadLetters.ORIGINAL_PARTITION)).isEqualTo("0");
            assertThat(header(letter, DeadLetters.CONSUMER)).isEqualTo("fixture-service");
            assertThat(header(letter, DeadLetters.REASON)).isEqualTo("KeyMismatchException (key " + vm("x")
                    + " differs from the event's vmware_vm_id " + vm("b") + " (FailoverCleanupRequested))");
            assertThat(header(letter, DeadLetters.EXCEPTION)).isEqualTo(KeyMismatchException.class.getName());
        }
    }

    /** The listeners of the test service: one record listener, one batch listener with raw keys. */
    @Configuration(proxyBeanMethods = false)
    static class Listeners {

        @Bean
        RecordListener recordListener() {
            return new RecordListener();
        }

        @Bean
        BatchListener batchListener() {
            return new BatchListener();
        }
    }

    static class RecordListener {
        @KafkaListener(id = "key-check-record", groupId = "key-check-record",
                topics = "#{T(io.migratekit.schemas.Topics).FAILOVER_CLEANUP_REQUESTED.name()}")
        void on(ConsumerRecord<String, Object> record) {
            if (record.key().contains(RUN)) {
                recordListenerSaw.add(record.key());
            }
        }
    }

    static class BatchListener {
        @KafkaListener(id = "key-check-batch", groupId = "key-check-batch", batch = "true",
                topics = "#{T(io.migratekit.schemas.Topics).FAILOVER_CLEANUP_REQUESTED.name()}",
                properties = "key.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
        void on(List<ConsumerRecord<byte[], Object>> records) {
            for (int i = 0; i < records.size(); i++) {
                String key = new String(records.get(i).key(), StandardCharsets.UTF_8);
                if (!(records.get(i).value() instanceof FailoverCleanupRequested)) {
                    if (key.contains(RUN)) {
                        batchListenerUnreadable.incrementAndGet();
                    }
                    throw new BatchListenerFailedException("record " + i + " is unreadable", i);
                }
                if (key.contains(RUN)) {
                    batchListenerSaw.add(key);
                }
            }
        }
    }

    private static String vm(String name) {
        return "vm-" + name + "-" + RUN;
    }

    private static FailoverCleanupRequested cleanup(String vmId) {
        return FailoverCleanupRequested.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setCorrelationId("f-" + vmId)
                .setVmwareVmId(vmId).setFailoverId("f-" + vmId).setContextId("c-" + vmId).build();
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLettersOf(String topic, long offset) {
        List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTERS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                for (ConsumerRecord<byte[], byte[]> letter : read(partition, 0, end.get(partition))) {
                    if (topic.equals(header(letter, DeadLetters.ORIGINAL_TOPIC))
                            && Long.toString(offset).equals(header(letter, DeadLetters.ORIGINAL_OFFSET))) {
                        letters.add(letter);
                    }
                }
            }
        }
        return letters;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(TopicPartition partition, long from, long count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < Math.min(end, from + count) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records.subList(0, (int) Math.min(count, records.size()));
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedTestInfrastructure.get().bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return record.headers().lastHeader(name) == null ? null
                : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
