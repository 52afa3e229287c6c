package io.migratekit.drills;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.migratekit.cloudstack.SimulatedCloudStack;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetVmSpec;
import io.migratekit.cloudstack.VolumeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves one {@link SimulatedCloudStack} over loopback HTTP to the service processes (through
 * {@link RemoteTargetPlatform}), so that job-service and failover-service in separate JVMs see the
 * same volumes and VMs, and the platform outlives a killed service as a real CloudStack would. Owns
 * the HTTP server and the translation of calls; the platform's rules are the simulation's. One
 * route per {@link TargetPlatform} method, {@code POST /<method>} with the arguments as a JSON array;
 * answers {@code {"value": ...}}, or 409 with the operation and message of a refusal.
 */
public final class TargetPlatformServer implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final SimulatedCloudStack platform;
    private final HttpServer server;

    private TargetPlatformServer(SimulatedCloudStack platform, HttpServer server) {
        this.platform = platform;
        this.server = server;
    }

    public static TargetPlatformServer start(SimulatedCloudStack platform) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            TargetPlatformServer served = new TargetPlatformServer(platform, server);
            server.createContext("/", served::handle);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
            return served;
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the simulated CloudStack on loopback", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public SimulatedCloudStack platform() {
        return platform;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String method = exchange.getRequestURI().getPath().substring(1);
            JsonNode arguments = JSON.readTree(in.readAllBytes());
            int status = 200;
            Map<String, Object> answer = new LinkedHashMap<>();
            try {
                answer.put("value", invoke(method, arguments));
            } catch (TargetPlatformException e) {
                status = 409;
                answer.put("operation", e.operation().name());
                answer.put("message", e.getMessage());
            } catch (RuntimeException e) {
                status = 400;
                answer.put("message", e.toString());
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Object invoke(String method, JsonNode args) {
        return switch (method) {
            case "createVolume" -> platform.createVolume(JSON.treeToValue(args.get(0), VolumeRequest.class));
            case "findVolume" -> platform.findVolume(args.get(0).asString()).orElse(null);
            case "attachToAppliance" -> platform.attachToAppliance(args.get(0).asString());
            case "detachFromAppliance" -> {
                platform.detachFromAppliance(args.get(0).asString());
                yield null;
            }
            case "deleteVolume" -> {
                platform.deleteVolume(args.get(0).asString());
                yield null;
            }
            case "createVmFromVolumes" -> platform.createVmFromVolumes(
                    JSON.treeToValue(args.get(0), TargetVmSpec.class), strings(args.get(1)));
            case "createVmFromSnapshots" -> platform.createVmFromSnapshots(
                    JSON.treeToValue(args.get(0), TargetVmSpec.class), strings(args.get(1)));
            case "findVm" -> platform.findVm(args.get(0).asString()).orElse(null);
            case "powerOn" -> {
                platform.powerOn(args.get(0).asString());
                yield null;
            }
            case "deleteVm" -> {
                platform.deleteVm(args.get(0).asString());
                yield null;
            }
            default -> throw new IllegalArgumentException("no target platform method " + method);
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
