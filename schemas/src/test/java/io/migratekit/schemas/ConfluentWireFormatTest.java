package io.migratekit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.JobCreated;
import io.migratekit.infra.SharedTestInfrastructure;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proves the wire format independently of our serde: a produced record's raw bytes are Confluent's
 * framing (magic byte 0, 4-byte schema id), the writer schema is fetched by that id from the
 * registry's Confluent-compatible API (references resolved the way a Confluent client does), and
 * plain Avro decodes the body completely.
 */
class ConfluentWireFormatTest {

    static SharedTestInfrastructure infra;
    static RegistrySettings registry;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void startInfrastructure() {
        infra = SharedTestInfrastructure.get();
        registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
            TopicSettings.singleBroker(3).ensureTopics(admin, Duration.ofSeconds(30));
        }
    }

    @Test
    void aProducedRecordIsConfluentFramedAndDecodesWithPlainAvro() throws Exception {
        // given: a JobCreated (nested records, enums in their own schema files, arrays, unions)
        JobCreated sent = new SampleEvents(7).sample(JobCreated.class);
        String key = "vm-" + UUID.randomUUID();
        Map<String, Object> producerConfig = registry.producerSerdeConfig();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());

        // when: our producer sends it
        long offset;
        int partition;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig)) {
            var metadata = producer.send(new ProducerRecord<>(Topics.JOB_CREATED.name(), key, sent)).get();
            offset = metadata.offset();
            partition = metadata.partition();
        }
        byte[] raw = readRaw(Topics.JOB_CREATED.name(), partition, offset);

        // then: magic byte 0 and a 4-byte schema id
        assertThat(raw[0]).isEqualTo((byte) 0);
        int schemaId = ByteBuffer.wrap(raw, 1, 4).getInt();

        // and: the ccompat API gives the writer schema by that id; plain Avro reads the whole body
        Schema writer = writerSchema(schemaId);
        assertThat(writer.getFullName()).isEqualTo(JobCreated.getClassSchema().getFullName());
        byte[] body = Arrays.copyOfRange(raw, 5, raw.length);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(body, null);
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
        assertThat(decoder.isEnd()).isTrue();
        assertThat(decoded.get("job_id").toString()).isEqualTo(sent.getJobId());
        assertThat(decoded.get("correlation_id").toString()).isEqualTo(sent.getCorrelationId());
        assertThat(decoded.get("replication_type").toString()).isEqualTo(sent.getReplicationType().name());
        assertThat(decoded.get("occurred_at")).isEqualTo(sent.getOccurredAt().toEpochMilli());
        assertThat(((GenericRecord) decoded.get("vm")).get("disks")).asList().hasSize(sent.getVm().getDisks().size());
        assertThat(reencode(writer, decoded)).isEqualTo(body);
    }

    private static byte[] readRaw(String topic, int partition, long offset) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == offset) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("record at " + topic + "-" + partition + "@" + offset + " not read");
    }

    /** The schema with that id, its references parsed first, as a Confluent client resolves them. */
    private static Schema writerSchema(int id) throws Exception {
        JsonNode node = get("/schemas/ids/" + id);
        Map<String, String> definitions = new LinkedHashMap<>();
        collectReferences(node, definitions);
        Schema.Parser parser = new Schema.Parser();
        for (String definition : definitions.values()) {
            parser.parse(definition);
        }
        return parser.parse(node.get("schema").asString());
    }

    private static void collectReferences(JsonNode node, Map<String, String> definitions) throws Exception {
        JsonNode references = node.get("references");
        if (references == null) {
            return;
        }
        for (JsonNode reference : references) {
            String subject = reference.get("subject").asString();
            String version = reference.get("version").asString();
            if (definitions.containsKey(reference.get("name").asString())) {
                continue;
            }
            JsonNode referenced = get("/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                    + "/versions/" + version);
            collectReferences(referenced, definitions);
            definitions.putIfAbsent(reference.get("name").asString(), referenced.get("schema").asString());
        }
    }

    private static JsonNode get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.confluentCompatibleUrl() + path)).GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static byte[] reencode(Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
