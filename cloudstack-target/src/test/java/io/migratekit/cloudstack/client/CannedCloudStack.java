package io.migratekit.cloudstack.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A tiny HTTP server for contract tests: answers {@code /client/api} with canned CloudStack JSON,
 * queued per command, and captures every request as sent (method, content type, decoded form). It
 * checks each signature its own way (as CloudStack's ApiServer does) and answers 401 when it does
 * not match. A command with nothing queued is answered 530 "no canned answer", which fails the test
 * that did not expect the call.
 */
public final class CannedCloudStack implements AutoCloseable {

    /** A request as the server received it. */
    public record Captured(String method, String contentType, String rawBody, Map<String, String> params) {

        public String command() {
            return params.get("command");
        }

        /** The command's own parameters: without the envelope (command, response, apikey, signature...). */
        public Map<String, String> own() {
            Map<String, String> own = new TreeMap<>(params);
            for (String envelope : List.of("command", "response", "apikey", "signatureversion", "expires", "signature")) {
                own.remove(envelope);
            }
            return own;
        }
    }

    private record Answer(int status, String body) {
    }

    private final String secret;
    private final HttpServer server;
    private final Map<String, Deque<Answer>> queued = new HashMap<>();
    private final Map<String, Answer> always = new HashMap<>();
    private final List<Captured> captured = new ArrayList<>();
    private volatile long delayMillis;

    public CannedCloudStack(String secret) throws IOException {
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/client/api", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an answer for the next call of {@code command}. */
    public synchronized CannedCloudStack answer(String command, int status, String json) {
        queued.computeIfAbsent(command.toLowerCase(Locale.ROOT), c -> new ArrayDeque<>()).add(new Answer(status, json));
        return this;
    }

    /** Answers 200 with {@code {"<command>response": <inner>}} once. */
    public CannedCloudStack ok(String command, String inner) {
        return answer(command, 200, "{\"" + command.toLowerCase(Locale.ROOT) + "response\":" + inner + "}");
    }

    /** Answers a queryAsyncJobResult for this job once. */
    public CannedCloudStack job(String jobId, int status, String jobResult) {
        return ok("queryAsyncJobResult", "{\"jobid\":\"" + jobId + "\",\"jobstatus\":" + status
                + (jobResult == null ? "" : ",\"jobresultcode\":" + (status == 2 ? 530 : 0) + ",\"jobresult\":" + jobResult)
                + "}");
    }

    /** Answers every call of {@code command} that has nothing queued. */
    public synchronized CannedCloudStack always(String command, int status, String json) {
        always.put(command.toLowerCase(Locale.ROOT), new Answer(status, json));
        return this;
    }

    /** Every later answer is sent only after this pause. */
    public CannedCloudStack delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    public synchronized List<Captured> requests() {
        return List.copyOf(captured);
    }

    public List<String> commands() {
        return requests().stream().map(Captured::command).collect(Collectors.toList());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String raw = "POST".equals(exchange.getRequestMethod()) ? body : exchange.getRequestURI().getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw == null || raw.isEmpty() ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        Answer answer;
        synchronized (this) {
            captured.add(new Captured(exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, params));
            String command = String.valueOf(params.get("command")).toLowerCase(Locale.ROOT);
            if (!signatureMatches(params)) {
                answer = new Answer(401, "{\"" + command + "response\":{\"uuidList\":[],\"errorcode\":401,"
                        + "\"errortext\":\"unable to verify user credentials and/or request signature\"}}");
            } else {
                Deque<Answer> queue = queued.get(command);
                answer = queue != null && !queue.isEmpty() ? queue.poll() : always.get(command);
                if (answer == null) {
                    answer = new Answer(530, "{\"" + command + "response\":{\"errorcode\":530,\"cserrorcode\":9999,"
                            + "\"errortext\":\"no canned answer for " + command + "\"}}");
                }
            }
        }
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Verifies like CloudStack: sorted names, values encoded with %20, lower-cased, HMAC-SHA1, Base64. */
    private boolean signatureMatches(Map<String, String> params) {
        String given = params.get("signature");
        if (given == null) {
            return false;
        }
        String signed = new TreeMap<>(params).entrySet().stream().filter(e -> !e.getKey().equals("signature"))
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&")).toLowerCase(Locale.ROOT);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))).equals(given);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
