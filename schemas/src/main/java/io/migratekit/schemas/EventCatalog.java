package io.migratekit.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published event catalog: an AsyncAPI 3.0 document of every topic of {@link Topics} — its
 * channel (address), key, value schema (the self-contained Avro schema of the topic's generated
 * class, i.e. of its {@code .avsc} files), who writes and who reads it, its retention, and the
 * guarantees a consumer can rely on (order per VM, at-least-once, dedupe by {@code event_id},
 * transactional writers). Generated from the code, never edited by hand: {@code docs/asyncapi.json}
 * is this document with the default layout (a test fails when they disagree), and job-intake serves
 * it with the layout it runs with. Owns the document's content; not where it is served.
 */
public final class EventCatalog {

    /** The retention the committed document states (the services' default, {@code migratekit.topics.retention}). */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    static final String AVRO_FORMAT = "application/vnd.apache.avro+json;version=1.9.0";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private EventCatalog() {
    }

    /** Writes the committed document ({@code docs/asyncapi.json}) to the path given as the only argument. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), asyncApi(DEFAULT_RETENTION));
    }

    /** The document as JSON text, for a topic retention of {@code retention}. */
    public static String asyncApi(Duration retention) {
        return JSON.writeValueAsString(document(retention)) + "\n";
    }

    static ObjectNode document(Duration retention) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "MigrateKit job and failover events");
        info.put("version", "1");
        info.put("description", String.join("\n\n",
                "Every event of the MigrateKit control plane (VMware to CloudStack migration), one event type per topic.",
                "Wire format: Confluent's (magic byte 0, 4-byte big-endian schema id, Avro binary body). The writer "
                        + "schema is fetched by its id from the registry's Confluent-compatible API "
                        + "(`GET {registry}/apis/ccompat/v7/schemas/ids/{id}`); every registered schema is self-contained "
                        + "(no references), subject `<topic>-value`, compatibility FULL enforced by the registry. Schemas "
                        + "evolve only by adding fields with defaults; enums have a default symbol.",
                "Key: the VMware VM id (BIOS UUID) as a UTF-8 string. Every event of one VM is on one partition (the "
                        + "same partition number on every topic: same key, same partition count), in the order it "
                        + "happened (per-VM order); there is no order across VMs. Exception: the scheduler's topics are "
                        + "keyed by the field the channel names (schedule_id or group_id), in order per schedule or group.",
                "Delivery: at-least-once to consumers. Producers are idempotent (acks=all); some writers write "
                        + "transactionally, so consumers must read with isolation.level=read_committed. A consumer that "
                        + "restarts from its committed offsets may see an event again: drop duplicates by `event_id`.",
                "Every event carries `event_id` (UUID), `occurred_at` (timestamp-millis, UTC), `correlation_id` (the "
                        + "replication request id or the failover id) and `vmware_vm_id` (the key). Job events carry "
                        + "the requesting principal, scheduler metadata and the failover id of a final sync."));
        doc.put("defaultContentType", "application/octet-stream");

        ObjectNode server = doc.putObject("servers").putObject("kafka");
        server.put("host", "{bootstrap}");
        server.put("protocol", "kafka");
        server.put("description", "The pipeline's Kafka cluster. The schema registry is Apicurio Registry 3; read "
                + "schemas through its Confluent-compatible API, <registry base URL>/apis/ccompat/v7.");
        server.putObject("variables").putObject("bootstrap")
                .put("description", "bootstrap servers (the standalone stack's by default)")
                .put("default", "127.0.0.1:9092");
        ObjectNode serverBinding = server.putObject("bindings").putObject("kafka");
        // The standalone stack's registry; a deployment's is <its base URL>/apis/ccompat/v7.
        serverBinding.put("schemaRegistryUrl", "http://127.0.0.1:8080/apis/ccompat/v7");
        serverBinding.put("schemaRegistryVendor", "confluent");
        serverBinding.put("bindingVersion", "0.5.0");

        ObjectNode channels = doc.putObject("channels");
        ObjectNode operations = doc.putObject("operations");
        ObjectNode messages = doc.putObject("components").putObject("messages");
        for (Topic<?> topic : Topics.all()) {
            Schema schema = SpecificData.get().getSchema(topic.valueType());
            String event = schema.getName();
            channels.set(event, channel(topic, event, retention));
            messages.set(event, message(topic, schema));
            ObjectNode operation = operations.putObject("receive" + event);
            operation.put("action", "receive");
            operation.putObject("channel").put("$ref", "#/channels/" + event);
            operation.put("summary", "Read " + event + " from " + topic.name() + " (at-least-once; dedupe by event_id).");
            operation.putArray("messages").addObject().put("$ref", "#/channels/" + event + "/messages/" + event);
        }
        return doc;
    }

    private static ObjectNode channel(Topic<?> topic, String event, Duration retention) {
        ObjectNode channel = JSON.createObjectNode();
        channel.put("address", topic.name());
        channel.put("title", event);
        channel.put("description", "Written by " + String.join(", ", topic.writers()) + "; read by "
                + String.join(", ", topic.readers()) + ". " + keyText(topic) + " "
                + (topic.compacted()
                        ? "Compacted: the latest record per VM is kept forever, so a new consumer reading from the "
                                + "beginning gets the current state of every VM."
                        : "Retention " + retention.toDays() + " days."));
        channel.putObject("messages").putObject(event).put("$ref", "#/components/messages/" + event);
        ArrayNode writers = channel.putArray("x-writers");
        topic.writers().forEach(writers::add);
        ArrayNode readers = channel.putArray("x-readers");
        topic.readers().forEach(readers::add);
        ObjectNode binding = channel.putObject("bindings").putObject("kafka");
        binding.put("topic", topic.name());
        ObjectNode config = binding.putObject("topicConfiguration");
        config.putArray("cleanup.policy").add(topic.compacted() ? "compact" : "delete");
        config.put("retention.ms", topic.compacted() ? -1 : retention.toMillis());
        binding.put("bindingVersion", "0.5.0");
        return channel;
    }

    private static ObjectNode message(Topic<?> topic, Schema schema) {
        ObjectNode message = JSON.createObjectNode();
        message.put("name", schema.getName());
        message.put("title", schema.getFullName());
        if (schema.getDoc() != null) {
            message.put("summary", schema.getDoc());
        }
        message.put("contentType", "application/octet-stream");
        message.putObject("correlationId").put("description", "the replication request id or the failover id")
                .put("location", "$message.payload#/correlation_id");
        ObjectNode payload = message.putObject("payload");
        payload.put("schemaFormat", AVRO_FORMAT);
        payload.set("schema", JSON.readTree(schema.toString()));
        ObjectNode binding = message.putObject("bindings").putObject("kafka");
        binding.putObject("key").put("type", "string")
                .put("description", Topic.VM_KEY.equals(topic.keyField())
                        ? "VMware VM id (BIOS UUID), UTF-8; every event of one VM is on one partition"
                        : "the event's " + topic.keyField() + ", UTF-8; every event of one such id is on one partition");
        binding.put("schemaIdLocation", "payload");
        binding.put("schemaIdPayloadEncoding", "confluent");
        binding.put("schemaLookupStrategy", "TopicIdStrategy");
        binding.put("bindingVersion", "0.5.0");
        message.put("x-subject", EventSchemas.subject(topic));
        return message;
    }

    private static String keyText(Topic<?> topic) {
        return Topic.VM_KEY.equals(topic.keyField()) ? "Keyed by VMware VM id (per-VM order)."
                : "Keyed by " + topic.keyField() + " (order per " + topic.keyField() + ").";
    }

    /** The Avro schema of one channel's message in a parsed document (for tests and tools). */
    static JsonNode payloadSchema(JsonNode document, String event) {
        return document.get("components").get("messages").get(event).get("payload").get("schema");
    }
}
