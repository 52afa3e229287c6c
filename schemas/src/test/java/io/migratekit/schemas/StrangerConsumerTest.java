package io.migratekit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.infra.SharedTestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every topic the way a consumer nobody here wrote does: the raw record bytes, the writer schema
 * fetched by its id over the registry's Confluent-compatible REST API with a plain HTTP client, parsed
 * by a fresh {@link Schema.Parser} that knows no other schema, the body decoded with generic Avro. The
 * reading side ({@link Stranger}) uses no class of the project: no generated class, no serde, no
 * settings of ours; only the broker's and the registry's addresses.
 */
class StrangerConsumerTest {

    static SharedTestInfrastructure infra;

    @BeforeAll
    static void startInfrastructure() {
        infra = SharedTestInfrastructure.get();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            TopicSettings.singleBroker(3).ensureTopics(admin, Duration.ofSeconds(30));
        }
    }

    @Test
    void everyTopicsRecordsDecodeWithNothingButTheSchemaIdFromTheRegistry() throws Exception {
        SampleEvents samples = new SampleEvents(16);
        Map<String, Object> producerConfig = RegistrySettings.ofBaseUrl(infra.registryBaseUrl()).producerSerdeConfig();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        Stranger stranger = new Stranger(infra.bootstrapServers(), infra.registryBaseUrl() + "/apis/ccompat/v7");

        for (Topic<?> topic : Topics.all()) {
            // given: a fully populated event of the topic, produced by our producer
            SpecificRecord sent = samples.sample(topic.valueType());
            RecordMetadata written;
            try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig)) {
                written = producer.send(new ProducerRecord<>(topic.name(), "vm-" + UUID.randomUUID(), sent)).get();
            }

            // when: the stranger reads it
            Stranger.Read read = stranger.read(written.topic(), written.partition(), written.offset());

            // then: the writer schema stood alone (no references), and the record is exactly what was sent
            assertThat(read.references()).as(topic.name()).isEmpty();
            assertThat(read.record().getSchema().getFullName()).as(topic.name())
                    .isEqualTo(sent.getSchema().getFullName());
            assertThat(read.json()).as(topic.name()).isEqualTo(json(sent));
        }
    }

    /** The sent event in Avro's JSON encoding, written with its own (generated) schema. */
    private static String json(SpecificRecord event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonEncoder encoder = EncoderFactory.get().jsonEncoder(event.getSchema(), out);
        new SpecificDatumWriter<SpecificRecord>(event.getSchema()).write(event, encoder);
        encoder.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A downstream consumer that knows the broker, the registry's Confluent-compatible URL and nothing else. */
    static final class Stranger {

        record Read(GenericRecord record, String json, JsonNode references) {
        }

        private final String bootstrapServers;
        private final String registryUrl;
        private final HttpClient http = HttpClient.newHttpClient();
        private final JsonMapper mapper = JsonMapper.builder().build();

        Stranger(String bootstrapServers, String registryUrl) {
            this.bootstrapServers = bootstrapServers;
            this.registryUrl = registryUrl;
        }

        Read read(String topic, int partition, long offset) throws Exception {
            byte[] raw = rawValue(topic, partition, offset);
            assertThat(raw[0]).as("magic byte").isEqualTo((byte) 0);
            int schemaId = ByteBuffer.wrap(raw, 1, 4).getInt();

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(registryUrl + "/schemas/ids/" + schemaId)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("schema " + schemaId + ": " + response.body()).isEqualTo(200);
            JsonNode answer = mapper.readTree(response.body());
            Schema writer = new Schema.Parser().parse(answer.get("schema").asString());

            byte[] body = Arrays.copyOfRange(raw, 5, raw.length);
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(body, null);
            GenericRecord record = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
            assertThat(decoder.isEnd()).as("the whole body is read").isTrue();

            ByteArrayOutputStream json = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(writer, json);
            new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
            encoder.flush();
            JsonNode references = answer.has("references") ? answer.get("references") : mapper.createArrayNode();
            return new Read(record, json.toString(StandardCharsets.UTF_8), references);
        }

        private byte[] rawValue(String topic, int partition, long offset) {
            Map<String, Object> config = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
                TopicPartition tp = new TopicPartition(topic, partition);
                consumer.assign(List.of(tp));
                consumer.seek(tp, offset);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() == offset) {
                            return record.value();
                        }
                    }
                }
            }
            throw new AssertionError("record at " + topic + "-" + partition + "@" + offset + " not read");
        }
    }
}
