package io.migratekit.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Following a job through the REST API as a client does: its server-sent event stream
 * ({@code GET /replications/{job_id}/events}) read whole — the response ends when the job ends —
 * and cut into its events, and bounded waits for the read model to show an expected state.
 */
final class JobEventStreams {

    /** One server-sent event: its id, its type and its JSON data. */
    record JobEvent(String id, String type, JsonNode data) {
    }

    /** An opened stream: its answer arrives once the job has ended. */
    record OpenStream(CompletableFuture<HttpResponse<String>> answer) {

        /** Every event of the stream; fails when the stream did not end within the wait. */
        List<JobEvent> untilEnd() {
            HttpResponse<String> response = answer.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .join();
            if (response.statusCode() != 200) {
                throw new AssertionError("event stream answered " + response.statusCode() + ": " + response.body());
            }
            return parse(response.body());
        }
    }

    static final Duration WAIT = Duration.ofSeconds(150);

    private JobEventStreams() {
    }

    /**
     * Opens the job's event stream with the operator token, on a connection of its own: a stream's connection
     * ends with the stream, and must not go back to the pool the test's other requests are sent on.
     */
    static OpenStream open(Pipeline pipeline, String jobId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(pipeline.stack.apiUrl() + "/replications/" + jobId
                        + "/events"))
                .header("Authorization", "Bearer " + pipeline.stack.apiToken())
                .header("Accept", "text/event-stream").GET().build();
        HttpClient ownClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return new OpenStream(ownClient.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** The events of an SSE body: blocks of {@code id:}, {@code event:} and {@code data:} lines. */
    static List<JobEvent> parse(String body) {
        List<JobEvent> events = new ArrayList<>();
        for (String block : body.split("\\r?\\n\\r?\\n")) {
            String id = null;
            String type = null;
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\\r?\\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String value = line.substring(colon + 1).replaceFirst("^ ", "");
                switch (line.substring(0, colon)) {
                    case "id" -> id = value;
                    case "event" -> type = value;
                    case "data" -> data.append(value);
                    default -> { }
                }
            }
            if (type != null) {
                events.add(new JobEvent(id, type, Pipeline.JSON.readTree(data.toString())));
            }
        }
        return events;
    }

    /** {@code [{"disk_id", "change_id"}]} as disk id → change id. */
    static Map<String, String> changeIds(JsonNode array) {
        Map<String, String> ids = new HashMap<>();
        array.forEach(item -> ids.put(item.get("disk_id").asString(), item.get("change_id").asString()));
        return ids;
    }

    /** The answer of {@code get} once its JSON is as wanted (bounded wait). */
    static JsonNode await(String what, Supplier<HttpResponse<String>> get, Predicate<JsonNode> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> response;
        do {
            response = get.get();
            if (response.statusCode() == 200 && wanted.test(Pipeline.json(response))) {
                return Pipeline.json(response);
            }
            ReplicationFlowE2ETest.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + " not as expected within " + WAIT + ": " + response.statusCode() + " "
                + response.body());
    }

    /** The types of the events, in order. */
    static List<String> types(List<JobEvent> events) {
        return events.stream().map(JobEvent::type).toList();
    }
}
