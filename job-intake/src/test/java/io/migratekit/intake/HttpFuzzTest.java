package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ReplicationRequested;
import java.net.http.HttpResponse;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Any body sent to the running API (real HTTP, real broker) is answered 202 or 4xx — never 5xx —
 * with an error text for a 4xx; a 202 put exactly its request on Kafka and a 4xx put nothing.
 */
class HttpFuzzTest {

    private static IntakeStack stack;
    private static PlayedPipeline pipeline;
    private static Http http;
    private final JsonMapper json = JsonMapper.builder().build();

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

    @Property(tries = 120)
    void anyBodyIsAcceptedOrRefusedAndOnlyAcceptedOnesArePublished(@ForAll("bodies") String body) {
        HttpResponse<String> response = http.post("/api/v1/replications", IntakeStack.OPERATOR_TOKEN, body,
                "Prefer", "respond-async");

        List<ConsumerRecord<String, ReplicationRequested>> published = pipeline.remainingRequests();
        JsonNode answer = json.readTree(response.body());
        Statistics.collect(response.statusCode());
        if (response.statusCode() == 202) {
            assertThat(published).hasSize(1);
            assertThat(published.get(0).value().getCorrelationId()).isEqualTo(answer.get("request_id").asString());
        } else {
            assertThat(response.statusCode()).isIn(400, 413);
            assertThat(answer.get("error").asString()).isNotBlank();
            assertThat(answer.get("details").asString()).isNotBlank();
            assertThat(published).isEmpty();
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        return RequestBodies.bodies();
    }
}
