package io.migratekit.vmasim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Shared helpers for the simulator tests: an HTTP client, request bodies and a stub OMA. */
final class SimTestSupport {

    static final String VCENTER = "vcenter.example.test";
    static final String USERNAME = "sim-operator";
    static final String PASSWORD = "not-a-real-secret-7f3a";

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private SimTestSupport() {
    }

    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    static HttpResponse<String> post(String url, JsonNode body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    }

    static HttpResponse<String> delete(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).DELETE().build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return MAPPER.readTree(response.body());
    }

    static ObjectNode discoverBody(String filter) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("vcenter", VCENTER);
        o.put("username", USERNAME);
        o.put("password", PASSWORD);
        o.put("datacenter", "DemoDC");
        o.put("filter", filter);
        return o;
    }

    static ObjectNode replicateBody(String jobId, SimVm vm, String omaUrl) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("job_id", jobId);
        o.put("vcenter", VCENTER);
        o.put("username", USERNAME);
        o.put("password", PASSWORD);
        o.putArray("vm_paths").add(vm.path());
        o.put("oma_url", omaUrl);
        ArrayNode targets = o.putArray("nbd_targets");
        int port = 10809;
        for (SimDisk d : vm.disks()) {
            ObjectNode t = targets.addObject();
            t.put("device_path", "nbd://127.0.0.1:" + port + "/migration-vol-" + d.key());
            t.put("vmware_disk_key", String.valueOf(d.key()));
        }
        return o;
    }

    static ObjectNode powerBody(boolean force) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("vcenter", VCENTER);
        o.put("username", USERNAME);
        o.put("password", PASSWORD);
        o.put("force", force);
        o.put("timeout", 300);
        return o;
    }

    static String powerStateUrl(VmaSimulator sim, String vmId) {
        return sim.baseUrl() + "/api/v1/vm/" + vmId + "/power-state?vcenter=" + VCENTER + "&username=" + USERNAME
                + "&password=" + PASSWORD;
    }

    /**
     * A tiny OMA for the change-id callbacks: records every call in order, answers GET changeid
     * from a configurable map, and can fail or hold POSTs.
     */
    static final class StubOma implements AutoCloseable {

        record Call(String method, String path, Map<String, String> query, String authorization, JsonNode body) {
            String diskId() {
                return "GET".equals(method) ? query.get("disk_id") : body.path("disk_id").asString();
            }
        }

        private final HttpServer server;
        private final ExecutorService pool;
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final Map<String, String> changeIds = new ConcurrentHashMap<>();
        final AtomicInteger postFailuresLeft = new AtomicInteger();
        volatile boolean alwaysFailPosts;
        final Map<String, CountDownLatch> postGates = new ConcurrentHashMap<>();

        StubOma() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
            pool = Executors.newFixedThreadPool(4);
            server.setExecutor(pool);
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<Call> calls() {
            synchronized (calls) {
                return new ArrayList<>(calls);
            }
        }

        List<Call> callsFor(String jobOrPath) {
            List<Call> list = new ArrayList<>();
            for (Call c : calls()) {
                if (c.path().contains("/" + jobOrPath + "/") || jobOrPath.equals(c.query().get("vm_path"))) {
                    list.add(c);
                }
            }
            return list;
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] raw;
                try (InputStream in = ex.getRequestBody()) {
                    raw = in.readAllBytes();
                }
                Map<String, String> query = new HashMap<>();
                String q = ex.getRequestURI().getRawQuery();
                if (q != null) {
                    for (String pair : q.split("&")) {
                        int eq = pair.indexOf('=');
                        query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
                JsonNode body = raw.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(raw);
                String path = ex.getRequestURI().getPath();
                Call call = new Call(ex.getRequestMethod(), path, query, ex.getRequestHeaders().getFirst("Authorization"), body);
                calls.add(call);
                if ("GET".equals(call.method()) && path.equals("/api/v1/replications/changeid")) {
                    ObjectNode o = MAPPER.createObjectNode();
                    String key = query.get("vm_path") + "|" + query.get("disk_id");
                    o.put("vm_path", query.get("vm_path"));
                    o.put("disk_id", query.get("disk_id"));
                    o.put("change_id", changeIds.getOrDefault(key, ""));
                    o.put("message", "ok");
                    reply(ex, 200, o.toString());
                    return;
                }
                if ("POST".equals(call.method()) && path.startsWith("/api/v1/replications/") && path.endsWith("/changeid")) {
                    CountDownLatch gate = postGates.get(call.diskId());
                    if (gate != null) {
                        gate.await(20, TimeUnit.SECONDS);
                    }
                    if (alwaysFailPosts || postFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        reply(ex, 500, "database unavailable");
                        return;
                    }
                    ObjectNode o = MAPPER.createObjectNode();
                    o.put("job_id", path.split("/")[4]);
                    o.put("disk_id", call.diskId());
                    o.put("change_id", body.path("change_id").asString());
                    o.put("message", "recorded");
                    reply(ex, 200, o.toString());
                    return;
                }
                reply(ex, 404, "404 page not found");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void reply(HttpExchange ex, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
