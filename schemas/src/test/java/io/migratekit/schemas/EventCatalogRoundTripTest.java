package io.migratekit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.infra.SharedTestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every event type survives a produce → consume round trip through the real broker and registry. */
class EventCatalogRoundTripTest {

    static SharedTestInfrastructure infra;
    static RegistrySettings registry;

    @BeforeAll
    static void startInfrastructure() {
        infra = SharedTestInfrastructure.get();
        registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            TopicSettings.singleBroker(3).ensureTopics(admin, Duration.ofSeconds(30));
        }
    }

    @Test
    void topicsAreCreatedFromTheRegistryWithTheContextChangelogCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            List<String> expected = new ArrayList<>(Topics.all().stream().map(Topic::name).toList());
            expected.add(Topics.DEAD_LETTERS);
            Map<String, TopicDescription> described = admin.describeTopics(expected).allTopicNames().get();
            assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(expected);

            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.VM_CONTEXTS.name());
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void everyEventTypeRoundTripsThroughBrokerAndRegistry() {
        SampleEvents samples = new SampleEvents(42);
        Map<String, Object> producerConfig = registry.producerSerdeConfig();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);

        for (Topic<?> topic : Topics.all()) {
            // given: a fully populated event and a key no other test uses
            SpecificRecord sent = samples.sample(topic.valueType());
            String key = "vm-" + UUID.randomUUID();

            // when: it is produced and consumed back
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig)) {
                producer.send(new ProducerRecord<>(topic.name(), key, sent)).get();
            } catch (Exception e) {
                throw new AssertionError("cannot produce " + topic, e);
            }
            List<ConsumerRecord<String, Object>> received = consumeAll(topic.name(), key);

            // then: exactly that event comes back, field for field
            assertThat(received).as(topic.name()).hasSize(1);
            assertThat(received.get(0).value()).as(topic.name()).isInstanceOf(topic.valueType()).isEqualTo(sent);
        }
    }

    private static List<ConsumerRecord<String, Object>> consumeAll(String topic, String key) {
        Map<String, Object> config = registry.consumerSerdeConfig();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, Object>> matching = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // read until our record arrived, then one more empty poll to prove nothing more came
            boolean seen = false;
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(500));
                records.forEach(r -> {
                    if (key.equals(r.key())) {
                        matching.add(r);
                    }
                });
                if (seen && records.isEmpty()) {
                    break;
                }
                seen = !matching.isEmpty();
            }
        }
        return matching;
    }
}
