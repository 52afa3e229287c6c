package io.migratekit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.JobCompleted;
import io.migratekit.infra.SharedTestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adding a field with a default keeps events readable both ways: a newer writer's event is read by
 * today's generated class through the real registry, and today's event is read with the newer schema.
 */
class SchemaEvolutionTest {

    static final Schema V1 = JobCompleted.getClassSchema();
    static final Schema V2 = withAddedField(V1);

    @Test
    void anOldEventIsReadWithTheNewSchemaAndTheNewFieldTakesItsDefault() throws Exception {
        // given: an event written with today's schema
        JobCompleted v1Event = new SampleEvents(3).sample(JobCompleted.class);
        GenericRecord v1Generic = toGeneric(v1Event);
        byte[] bytes = encode(V1, v1Generic);

        // when: a reader on the newer schema reads it
        GenericRecord read = new GenericDatumReader<GenericRecord>(V1, V2)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        // then: every old field is there and the added field has its default
        for (Schema.Field field : V1.getFields()) {
            assertThat(String.valueOf(read.get(field.name()))).as(field.name())
                    .isEqualTo(String.valueOf(v1Generic.get(field.name())));
        }
        assertThat(read.get("verified_by")).isNull();
    }

    @Test
    void aNewerWritersEventIsReadByTodaysClassThroughTheRegistry() throws Exception {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        RegistrySettings registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            TopicSettings.singleBroker(3).ensureTopics(admin, Duration.ofSeconds(30));
        }
        // given: an event of the newer schema (one more field), registered by the producer
        JobCompleted base = new SampleEvents(5).sample(JobCompleted.class);
        GenericRecord v2Event = new GenericData.Record(V2);
        GenericRecord v1Generic = toGeneric(base);
        for (Schema.Field field : V1.getFields()) {
            v2Event.put(field.name(), v1Generic.get(field.name()));
        }
        v2Event.put("verified_by", "auditor");
        String key = "vm-" + UUID.randomUUID();
        Map<String, Object> producerConfig = registry.producerSerdeConfig();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        org.apache.kafka.clients.producer.RecordMetadata metadata;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig)) {
            metadata = producer.send(new ProducerRecord<>(Topics.JOB_COMPLETED.name(), key, v2Event)).get();
        }

        // when: today's consumer (generated class) reads it
        Map<String, Object> consumerConfig = registry.consumerSerdeConfig();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        Object read = null;
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
            TopicPartition tp = new TopicPartition(metadata.topic(), metadata.partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, metadata.offset());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (read == null && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == metadata.offset()) {
                        read = record.value();
                    }
                }
            }
        }

        // then: it is today's class with every known field, the unknown one ignored
        assertThat(read).isInstanceOf(JobCompleted.class).isEqualTo(base);
    }

    private static Schema withAddedField(Schema schema) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode node = (ObjectNode) json.readTree(schema.toString());
        ObjectNode field = node.withArray("fields").addObject();
        field.put("name", "verified_by");
        field.putArray("type").add("null").add("string");
        field.putNull("default");
        return new Schema.Parser().parse(node.toString());
    }

    private static GenericRecord toGeneric(JobCompleted event) throws Exception {
        byte[] bytes = encode(V1, event);
        return new GenericDatumReader<GenericRecord>(V1).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static byte[] encode(Schema schema, Object record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        if (record instanceof JobCompleted) {
            new org.apache.avro.specific.SpecificDatumWriter<Object>(schema).write(record, encoder);
        } else {
            new GenericDatumWriter<Object>(schema).write(record, encoder);
        }
        encoder.flush();
        return out.toByteArray();
    }
}
