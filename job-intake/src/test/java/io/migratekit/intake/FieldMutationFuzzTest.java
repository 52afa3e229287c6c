package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ReplicationRequested;
import io.migratekit.intake.request.SampleBodies;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drill 7 of docs/reliability.md, property-based: the seed's full body with one field (any leaf,
 * nested ones included) replaced by any JSON value — strings of any characters and length, numbers
 * of any size, booleans, null, arrays, objects — sent to the running API. It is accepted (202, and
 * exactly that request published) or refused with 400/413 whose details name the replaced field,
 * with nothing published. jqwik reports the seed of every run (and of a failure, to replay it with
 * {@code @Property(seed = ...)}).
 */
class FieldMutationFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String VM = UUID.randomUUID().toString();
    private static final List<String> FIELDS = JsonPaths.leaves(JSON.readTree(SampleBodies.full(VM)), node -> true);

    private static IntakeStack stack;
    private static PlayedPipeline pipeline;
    private static Http http;

    @BeforeContainer
    static void start() {
        stack = IntakeStack.get();
        pipeline = new PlayedPipeline(stack.infra.bootstrapServers(), stack.registry);
        http = new Http(stack.baseUrl);
    }

    @AfterContainer
    static void stop() {
        pipeline.close();
    }

    @Property(tries = 300)
    void oneFieldWithAnyValueIsAcceptedOrRefusedNamingThatField(@ForAll("fields") String field,
            @ForAll("values") JsonNode value) {
        ObjectNode body = (ObjectNode) JSON.readTree(SampleBodies.full(VM));
        JsonPaths.replace(body, field, value);

        HttpResponse<String> response = http.post("/api/v1/replications", IntakeStack.OPERATOR_TOKEN, body.toString(),
                "Prefer", "respond-async");

        List<ConsumerRecord<String, ReplicationRequested>> published = pipeline.remainingRequests();
        JsonNode answer = JSON.readTree(response.body());
        Statistics.collect(response.statusCode());
        if (response.statusCode() == 202) {
            assertThat(published).hasSize(1);
            assertThat(published.get(0).value().getCorrelationId()).isEqualTo(answer.get("request_id").asString());
        } else {
            assertThat(response.statusCode()).as(response.body()).isIn(400, 413);
            assertThat(answer.get("details").asString()).as("%s = %s", field, abbreviate(value))
                    .contains(response.statusCode() == 413 ? "exceeds" : JsonPaths.lastName(field));
            assertThat(published).isEmpty();
        }
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of(FIELDS);
    }

    @Provide
    Arbitrary<JsonNode> values() {
        Arbitrary<JsonNode> strings = Arbitraries.strings().all().ofMaxLength(300).map(NODES::stringNode);
        Arbitrary<JsonNode> longStrings = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1000)
                .ofMaxLength(20_000).map(NODES::stringNode);
        Arbitrary<JsonNode> injections = Arbitraries.of(BadInputDrillTest.INJECTIONS).map(NODES::stringNode);
        Arbitrary<JsonNode> numbers = Arbitraries.oneOf(Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20), BigInteger.TEN.pow(40))
                        .map(NODES::numberNode));
        Arbitrary<JsonNode> others = Arbitraries.of(NODES.booleanNode(true), NODES.nullNode(), NODES.arrayNode(),
                NODES.objectNode(), NODES.arrayNode().add("x").add(1), NODES.objectNode().put("nested", "x"));
        return Arbitraries.frequencyOf(Tuple.of(4, strings), Tuple.of(1, longStrings),
                Tuple.of(2, injections), Tuple.of(3, numbers),
                Tuple.of(2, others));
    }

    private static String abbreviate(JsonNode value) {
        String text = value.toString();
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
