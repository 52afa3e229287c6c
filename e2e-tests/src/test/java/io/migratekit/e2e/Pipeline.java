package io.migratekit.e2e;

import io.migratekit.standalone.Stack;
import io.migratekit.standalone.StandaloneConfig;
import io.migratekit.vmasim.SimVm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One standalone stack for every end-to-end test of this JVM (started on first use, stopped at
 * exit), plus the HTTP calls and request bodies the tests share. Each test uses its own VMs.
 * Public for the tests of the command line ({@code io.migratekit.e2e.cli}), which share the stack.
 */
public final class Pipeline {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    /** One minute of a failover's final-sync deadline lasts this long on the test stack (failover-service reads it). */
    static final Duration FAILOVER_DEADLINE_MINUTE = Duration.ofSeconds(3);
    private static final AtomicInteger VM_SEQUENCE = new AtomicInteger();
    private static Pipeline instance;

    public final Stack stack;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Pipeline(Stack stack) {
        this.stack = stack;
    }

    public static synchronized Pipeline get() {
        if (instance == null) {
            try {
                System.setProperty("migratekit.failover.final-sync-deadline-unit",
                        FAILOVER_DEADLINE_MINUTE.toMillis() + "ms");
                Stack stack = Stack.start(StandaloneConfig.onFreePorts(Files.createTempDirectory("migratekit-e2e-")));
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "e2e-stack-stop"));
                instance = new Pipeline(stack);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** A new VM in the simulator's inventory, with that many disks, unique to the calling test. */
    public SimVm newVm(String prefix, int disks) {
        SimVm.Builder builder = SimVm.builder(prefix + "-" + VM_SEQUENCE.incrementAndGet()).folder("e2e");
        for (int i = 0; i < disks; i++) {
            builder.diskGb(20L + 10L * i);
        }
        return stack.simulator().inventory().add(builder);
    }

    /** The seed's external-API body for a VM, as an editable JSON object. */
    public static ObjectNode requestFor(SimVm vm) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode source = body.putObject("source_vm");
        source.put("id", vm.id());
        source.put("name", vm.name());
        source.put("path", vm.path());
        source.put("datacenter", vm.datacenter());
        source.put("vcenter_host", "vcenter.e2e.local");
        source.put("cpus", 2);
        source.put("memory_mb", 8192);
        source.put("power_state", "poweredOn");
        source.put("os_type", "linux");
        source.putArray("disks");
        source.putArray("networks");
        body.put("ossea_config_id", 1);
        return body;
    }

    public HttpResponse<String> post(String path, Object body) {
        return await(postAsync(path, body, stack.apiToken()));
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, Object body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + stack.apiToken()).GET().build();
        return await(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> response) {
        return response.join();
    }
}
