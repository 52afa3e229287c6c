package io.migratekit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published catalog agrees with the code: one AsyncAPI channel per topic of {@link Topics} (its
 * address, writers, readers, cleanup policy), each message's payload the topic's schema as the
 * {@code .avsc} files define it, parseable alone; and the committed {@code docs/asyncapi.json} is
 * exactly what {@link EventCatalog} generates (regenerate it with {@code EventCatalog.main}).
 */
class EventCatalogDocumentTest {

    static final Path COMMITTED = Path.of("..", "docs", "asyncapi.json");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyTopicIsAChannelWithItsSchemaWritersAndReaders() {
        JsonNode document = JSON.readTree(EventCatalog.asyncApi(EventCatalog.DEFAULT_RETENTION));

        assertThat(document.get("asyncapi").asString()).isEqualTo("3.0.0");
        List<String> addresses = new ArrayList<>();
        document.get("channels").forEach(channel -> addresses.add(channel.get("address").asString()));
        assertThat(addresses).containsExactlyElementsOf(Topics.all().stream().map(Topic::name).toList());
        assertThat(document.get("operations").size()).isEqualTo(Topics.all().size());
        for (Topic<?> topic : Topics.all()) {
            Schema schema = SpecificData.get().getSchema(topic.valueType());
            JsonNode channel = document.get("channels").get(schema.getName());
            assertThat(channel.get("address").asString()).isEqualTo(topic.name());
            assertThat(strings(channel.get("x-writers"))).as(topic.name()).isNotEmpty()
                    .containsExactlyElementsOf(topic.writers());
            assertThat(strings(channel.get("x-readers"))).as(topic.name()).isNotEmpty()
                    .containsExactlyElementsOf(topic.readers());
            assertThat(channel.get("bindings").get("kafka").get("topicConfiguration").get("cleanup.policy").get(0)
                    .asString()).isEqualTo(topic.compacted() ? "compact" : "delete");
            JsonNode message = document.get("components").get("messages").get(schema.getName());
            assertThat(message.get("payload").get("schemaFormat").asString()).isEqualTo(EventCatalog.AVRO_FORMAT);
            assertThat(message.get("bindings").get("kafka").get("key").get("type").asString()).isEqualTo("string");
            Schema documented = new Schema.Parser().parse(EventCatalog.payloadSchema(document, schema.getName()).toString());
            assertThat(documented).as(topic.name()).isEqualTo(schema);
        }
    }

    @Test
    void theCommittedDocumentIsTheGeneratedOne() throws Exception {
        assertThat(Files.readString(COMMITTED))
                .as("docs/asyncapi.json is out of date: regenerate it with EventCatalog.main(\"docs/asyncapi.json\")")
                .isEqualTo(EventCatalog.asyncApi(EventCatalog.DEFAULT_RETENTION));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }
}
