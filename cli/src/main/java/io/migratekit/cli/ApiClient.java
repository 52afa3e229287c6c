package io.migratekit.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API as the command line calls it, over the JDK HTTP client with the bearer token:
 * JSON answers, error answers turned into a {@link CliFailure} carrying the server's
 * {@code error}/{@code details} (4xx: refused, 5xx: failed), a connection that cannot be made into
 * "unreachable", and a job's server-sent event stream as lines. Owns no decision about what a
 * command does with an answer.
 */
public final class ApiClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Long enough for a synchronous replication request, which answers once the pipeline decided. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(150);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A JSON answer with its status. */
    public record Answer(int status, JsonNode body) {
    }

    /** A path segment, encoded (VM names can contain anything). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET that must succeed. */
    public JsonNode get(String path) {
        return checked(send(request(path).GET())).body();
    }

    /** GET where a 404 means "there is none". */
    public Optional<JsonNode> find(String path) {
        Answer answer = send(request(path).GET());
        return answer.status() == 404 ? Optional.empty() : Optional.of(checked(answer).body());
    }

    /** POST of a JSON body (or none) that must succeed. */
    public Answer post(String path, JsonNode body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        return checked(send(request(path).header("Content-Type", "application/json").POST(publisher)));
    }

    /**
     * Reads a server-sent event stream line by line until it ends or {@code consumer} answers
     * false; the stream is closed either way.
     */
    public void stream(String path, Predicate<String> consumer) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                int status = response.statusCode();
                checked(new Answer(status, parse(status, String.join("\n", lines.toList()))));
                throw CliFailure.of(ExitCodes.FAILED, "the event stream answered HTTP " + status);
            }
            for (Iterator<String> next = lines.iterator(); next.hasNext(); ) {
                if (!consumer.test(next.next())) {
                    return;
                }
            }
        } catch (UncheckedIOException e) {
            throw unreachable(e.getCause());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Answer send(HttpRequest.Builder request) {
        HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), parse(response.statusCode(), response.body()));
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.of(ExitCodes.FAILED, "interrupted");
        }
    }

    private CliFailure unreachable(IOException e) {
        String why = e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                ? "cannot connect" : "the connection failed";
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage();
        return CliFailure.of(ExitCodes.UNREACHABLE, "the API at " + base + " is unreachable (" + why + detail + ")");
    }

    private static Answer checked(Answer answer) {
        if (answer.status() >= 400) {
            JsonNode body = answer.body();
            throw CliFailure.ofAnswer(answer.status(), Json.text(body, "error", "HTTP " + answer.status()),
                    Json.text(body, "details", null));
        }
        return answer;
    }

    /** The body as JSON; a body that is not JSON becomes {@code {"error": "HTTP <status>", "details": <text>}}. */
    private static JsonNode parse(int status, String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            String text = body.length() > 300 ? body.substring(0, 300) + "…" : body;
            return JSON.createObjectNode().put("error", "HTTP " + status).put("details", text.strip());
        }
    }
}
