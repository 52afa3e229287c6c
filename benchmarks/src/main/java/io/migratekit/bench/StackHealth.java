package io.migratekit.bench;

import io.migratekit.standalone.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether every service of the stack reports UP on its actuator health endpoint (readiness includes
 * Kafka, the registry, the database and, for job-service, the decision streams running). Polls; owns
 * an HTTP client only.
 */
final class StackHealth {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Health URLs of the stack's services, by service name. */
    static Map<String, String> healthUrls(Stack stack) {
        Map<String, String> urls = new LinkedHashMap<>();
        stack.endpoints().forEach((name, endpoint) -> {
            if (endpoint.startsWith("http://") && endpoint.endsWith("/actuator/health")) {
                urls.put(name, endpoint);
            } else if (endpoint.startsWith("http://") && endpoint.endsWith("/api/v1")) {
                urls.put(name, endpoint.substring(0, endpoint.length() - "/api/v1".length()) + "/actuator/health");
            }
        });
        return urls;
    }

    /** Waits until every service is UP; returns the services still not UP when the timeout came (empty: all UP). */
    Map<String, String> awaitUp(Stack stack, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> notUp;
        do {
            notUp = new LinkedHashMap<>();
            for (Map.Entry<String, String> service : healthUrls(stack).entrySet()) {
                String status = status(service.getValue());
                if (!"UP".equals(status)) {
                    notUp.put(service.getKey(), status);
                }
            }
            if (notUp.isEmpty()) {
                return notUp;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return notUp;
    }

    private String status(String url) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode status = JSON.readTree(response.body()).get("status");
            return status == null ? "HTTP " + response.statusCode() : status.asString();
        } catch (IOException | RuntimeException e) {
            return "unreachable";
        }
    }
}
