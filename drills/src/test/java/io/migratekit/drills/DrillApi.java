package io.migratekit.drills;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The drills' HTTP calls: the public API of job-intake with the operator token, and the simulator's
 * inventory. Owns the client and the request bodies; asserts nothing.
 */
final class DrillApi {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One answer: status (0 when no answer came in time), body, and how long it took. */
    /** Where a 503 "not acknowledged" answer says the request's outcome may still appear. */
    private static final Pattern OUTCOME_URL = Pattern.compile("/api/v1/replication-requests/([A-Za-z0-9-]+)");

    /** The request id of a 503 that says the broker may still have written the request, as a user reads it. */
    static Optional<String> unacknowledgedRequestId(Answer answer) {
        if (answer.body() == null || !answer.body().has("details")) {
            return Optional.empty();
        }
        Matcher url = OUTCOME_URL.matcher(answer.body().get("details").asString());
        return url.find() ? Optional.of(url.group(1)) : Optional.empty();
    }

    record Answer(int status, JsonNode body, String raw, Duration took, String requestId) {
    }

    /** A VM of the simulator's inventory. */
    record Vm(String id, String name, String path, String datacenter) {
    }

    private final DrillStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DrillApi(DrillStack stack) {
        this.stack = stack;
    }

    List<Vm> inventory() {
        JsonNode root = JSON.readTree(send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl() + "/sim/inventory"))
                .GET(), Duration.ofSeconds(10)).raw());
        List<Vm> vms = new ArrayList<>();
        for (JsonNode vm : root.get("vms")) {
            vms.add(new Vm(vm.get("id").asString(), vm.get("name").asString(), vm.get("path").asString(),
                    vm.get("datacenter").asString()));
        }
        return vms;
    }

    /** Adds {@code count} VMs ({@code prefix-001}...) with one 2 GB disk each to the simulator's inventory. */
    void addVms(String prefix, int count) {
        ObjectNode body = JSON.createObjectNode();
        var vms = body.putArray("vms");
        for (int i = 1; i <= count; i++) {
            ObjectNode vm = vms.addObject();
            vm.put("name", String.format(java.util.Locale.ROOT, "%s-%03d", prefix, i));
            vm.put("folder", "drills");
            vm.put("power_state", "poweredOn");
            vm.put("guest_os", "linux");
            vm.put("num_cpu", 1);
            vm.put("memory_mb", 1024);
            ObjectNode disk = vm.putArray("disks").addObject();
            disk.put("capacity_gb", 2);
            disk.put("datastore", "ds-drills");
            disk.put("provisioning_type", "thin");
        }
        Answer answer = send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl() + "/sim/inventory"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                Duration.ofSeconds(10));
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException("the simulator refused the VMs: " + answer.status() + " " + answer.raw());
        }
    }

    /** The status of every job the simulator knows. */
    List<String> simulatorJobs() {
        JsonNode jobs = JSON.readTree(send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl() + "/sim/jobs")).GET(),
                Duration.ofSeconds(10)).raw());
        List<String> statuses = new ArrayList<>();
        jobs.forEach(job -> statuses.add(job.get("status").asString()));
        return statuses;
    }

    /** Replaces the simulator's faults of one VM (JSON, see the simulator's admin API). */
    void simulatorFaults(String vmId, String faults) {
        Answer answer = send(HttpRequest.newBuilder(URI.create(stack.simulatorUrl() + "/sim/faults/" + vmId))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(faults)),
                Duration.ofSeconds(10));
        if (answer.status() != 200 && answer.status() != 204) {
            throw new IllegalStateException("the simulator refused faults for " + vmId + ": " + answer.raw());
        }
    }

    /** POST /api/v1/replications with {@code Prefer: respond-async}: 202 and the request id when the broker took it. */
    Answer requestReplicationAsync(Vm vm, Duration timeout) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode source = body.putObject("source_vm");
        source.put("id", vm.id());
        source.put("name", vm.name());
        source.put("path", vm.path());
        source.put("datacenter", vm.datacenter());
        source.put("vcenter_host", "vcenter.drill.local");
        body.put("ossea_config_id", 1);
        return send(api("/api/v1/replications").header("Content-Type", "application/json")
                .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.ofString(body.toString())), timeout);
    }

    /** One asynchronous replication request per VM; returns the request ids, failing unless each was accepted. */
    Set<String> requestEachOnce(List<Vm> vms) {
        Set<String> accepted = new HashSet<>();
        for (Vm vm : vms) {
            Answer answer = requestReplicationAsync(vm, Duration.ofSeconds(10));
            if (answer.status() != 202) {
                throw new IllegalStateException("the replication request of " + vm.name() + " was not accepted: "
                        + answer.status() + " " + answer.raw());
            }
            accepted.add(answer.requestId());
        }
        return accepted;
    }

    /** POST /api/v1/failovers, synchronous. */
    Answer requestFailover(String vmName, String type) {
        ObjectNode body = JSON.createObjectNode();
        body.put("vm_name", vmName);
        body.put("failover_type", type);
        return send(api("/api/v1/failovers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), Duration.ofSeconds(30));
    }

    /** A synchronous JSON call of the API (POST or PUT). */
    Answer send(String method, String path, String json) {
        return send(api(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)), Duration.ofSeconds(60));
    }

    Answer get(String path) {
        return send(api(path).GET(), Duration.ofSeconds(15));
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .header("Authorization", "Bearer " + stack.apiToken());
    }

    private Answer send(HttpRequest.Builder request, Duration timeout) {
        long begin = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            JsonNode body = null;
            try {
                body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (RuntimeException notJson) {
                body = null;
            }
            String requestId = body != null && body.has("request_id") ? body.get("request_id").asString() : null;
            return new Answer(response.statusCode(), body, response.body(), took, requestId);
        } catch (HttpTimeoutException e) {
            return new Answer(0, null, "no answer within " + timeout, Duration.ofNanos(System.nanoTime() - begin),
                    null);
        } catch (IOException e) {
            return new Answer(-1, null, e.toString(), Duration.ofNanos(System.nanoTime() - begin), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
