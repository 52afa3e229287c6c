package io.migratekit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.data.SerdeMetadata;
import io.apicurio.registry.serde.data.SerdeRecord;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.infra.SharedTestInfrastructure;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry, not convention, enforces how schemas evolve: once {@link EventSchemas} registered a
 * topic's value schema, the subject's level is {@value EventSchemas#COMPATIBILITY} and the registry
 * refuses a version that removes a field without a default or renames a symbol of an enum without a
 * default, and accepts one that adds a field with a default (checked both ways by FULL). A registry
 * holding the older form of a subject (named types as references) is migrated by one new
 * self-contained version of the same schema, registered before the level is set (the registry's
 * compatibility rule cannot evaluate a version that has references).
 * Each test uses topics of its own (unique subjects) on the shared registry.
 */
class RegistryCompatibilityTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static RegistrySettings registry;

    @BeforeAll
    static void startInfrastructure() {
        registry = RegistrySettings.ofBaseUrl(SharedTestInfrastructure.get().registryBaseUrl());
    }

    @Test
    void everyRegisteredSubjectHasItsCompatibilityLevel() throws Exception {
        // given: the pipeline's topics; when: their schemas are registered as the services do at start-up
        EventSchemas.register(registry, Topics.all());

        // then: every value subject is FULL and its latest version stands alone
        for (Topic<?> topic : Topics.all()) {
            String subject = EventSchemas.subject(topic);
            assertThat(get("/config/" + encode(subject)).get("compatibilityLevel").asString()).as(subject)
                    .isEqualTo("FULL");
            JsonNode latest = get("/subjects/" + encode(subject) + "/versions/latest");
            assertThat(references(latest)).as(subject).isEmpty();
            new Schema.Parser().parse(latest.get("schema").asString());
        }
    }

    @Test
    void removingAFieldWithoutADefaultIsRefused() throws Exception {
        Topic<JobFailed> topic = registeredTestTopic(JobFailed.class);
        ObjectNode changed = schemaOf(topic);
        removeField(changed, "message");

        assertThat(register(topic, changed).statusCode()).isEqualTo(409);
        assertThat(versions(topic)).hasSize(1);
    }

    @Test
    void renamingASymbolOfAnEnumWithoutADefaultIsRefused() throws Exception {
        // given: a subject whose enum has no default symbol
        Topic<JobFailed> topic = new Topic<>("compat-test-" + UUID.randomUUID(), JobFailed.class, false);
        ObjectNode original = schemaOf(topic);
        ((ObjectNode) field(original, "reason").get("type")).remove("default");
        assertThat(register(topic, original).statusCode()).isEqualTo(200);
        EventSchemas.setCompatibility(registry, EventSchemas.subject(topic), EventSchemas.COMPATIBILITY);
        ObjectNode changed = original.deepCopy();
        ((ArrayNode) field(changed, "reason").get("type").get("symbols")).set(0, "TARGET_VOLUME_BROKEN");

        assertThat(register(topic, changed).statusCode()).isEqualTo(409);
        assertThat(versions(topic)).hasSize(1);
    }

    @Test
    void renamingASymbolOfAnEnumWithADefaultIsAcceptedBecauseOldReadersReadTheDefault() throws Exception {
        // Avro's rules (and so every Confluent-compatible registry): a symbol unknown to the reader becomes the
        // enum's default, so with a default a rename is compatible; our enums all have one (UNKNOWN, ...).
        Topic<JobFailed> topic = registeredTestTopic(JobFailed.class);
        ObjectNode changed = schemaOf(topic);
        ((ArrayNode) field(changed, "reason").get("type").get("symbols")).set(0, "TARGET_VOLUME_BROKEN");

        assertThat(register(topic, changed).statusCode()).isEqualTo(200);
        assertThat(versions(topic)).hasSize(2);
    }

    @Test
    void addingAFieldWithADefaultIsAccepted() throws Exception {
        Topic<JobCompleted> topic = registeredTestTopic(JobCompleted.class);
        ObjectNode changed = schemaOf(topic);
        ObjectNode added = ((ArrayNode) changed.get("fields")).addObject();
        added.put("name", "verified_by");
        added.putArray("type").add("null").add("string");
        added.putNull("default");

        HttpResponse<String> response = register(topic, changed);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(versions(topic)).hasSize(2);
    }

    @Test
    void aSubjectRegisteredWithReferencesGetsASelfContainedVersionBeforeItsLevelIsSet() throws Exception {
        // given: a subject as the earlier serializers left it (named types as references, no level set)
        Topic<JobCompleted> topic = new Topic<>("compat-test-" + UUID.randomUUID(), JobCompleted.class, false);
        Map<String, Object> olderConfig = new HashMap<>(registry.serdeConfig());
        olderConfig.put("apicurio.registry.dereference-schema", "false");
        try (var serializer = new AvroKafkaSerializer<SpecificRecord>()) {
            serializer.configure(olderConfig, false);
            serializer.getSchemaResolver().resolveSchema(new SerdeRecord<>(
                    new SerdeMetadata(topic.name(), false),
                    (SpecificRecord) SpecificData.newInstance(JobCompleted.class, JobCompleted.getClassSchema())));
        }
        assertThat(references(get("/subjects/" + encode(EventSchemas.subject(topic)) + "/versions/latest")))
                .isNotEmpty();

        // when: the services start with today's registration
        EventSchemas.register(registry, List.of(topic));

        // then: a second version of the same schema, standing alone, and the level set after it
        assertThat(versions(topic)).hasSize(2);
        JsonNode latest = get("/subjects/" + encode(EventSchemas.subject(topic)) + "/versions/latest");
        assertThat(references(latest)).isEmpty();
        assertThat(new Schema.Parser().parse(latest.get("schema").asString())).isEqualTo(JobCompleted.getClassSchema());
        assertThat(get("/config/" + encode(EventSchemas.subject(topic))).get("compatibilityLevel").asString())
                .isEqualTo(EventSchemas.COMPATIBILITY);
    }

    private static <V extends SpecificRecord> Topic<V> registeredTestTopic(Class<V> type) {
        Topic<V> topic = new Topic<>("compat-test-" + UUID.randomUUID(), type, false);
        EventSchemas.register(registry, List.of(topic));
        return topic;
    }

    private static ObjectNode schemaOf(Topic<?> topic) {
        return (ObjectNode) JSON.readTree(SpecificData.get().getSchema(topic.valueType()).toString());
    }

    private static ObjectNode field(ObjectNode schema, String name) {
        for (JsonNode field : schema.get("fields")) {
            if (field.get("name").asString().equals(name)) {
                return (ObjectNode) field;
            }
        }
        throw new AssertionError("no field " + name);
    }

    private static void removeField(ObjectNode schema, String name) {
        ArrayNode fields = (ArrayNode) schema.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asString().equals(name)) {
                fields.remove(i);
                return;
            }
        }
        throw new AssertionError("no field " + name);
    }

    private static List<Integer> versions(Topic<?> topic) throws Exception {
        List<Integer> versions = new ArrayList<>();
        get("/subjects/" + encode(EventSchemas.subject(topic)) + "/versions").forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    private static JsonNode references(JsonNode version) {
        return version.has("references") ? version.get("references") : JSON.createArrayNode();
    }

    private static HttpResponse<String> register(Topic<?> topic, ObjectNode schema) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.confluentCompatibleUrl() + "/subjects/"
                        + encode(EventSchemas.subject(topic)) + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(registry.confluentCompatibleUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}
