package io.migratekit.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.cloudstack.client.CloudStackClient;
import io.migratekit.cloudstack.client.CloudStackModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The standalone stack starts, every part is healthy, a request goes through the whole pipeline
 * (fresh discovery by the simulator, the decision) and answers, it stops cleanly, and a second
 * start on the same data directory still knows what the first one did.
 */
class StandaloneSmokeTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PGTEST1 = """
            {"source_vm": {"id": "420559a1-2606-22a4-fc18-b03d13e3cf95", "name": "pgtest1",
              "path": "/DemoDC/vm/databases/pgtest1", "datacenter": "DemoDC", "vcenter_host": "vcenter.demo.local"},
             "ossea_config_id": 1, "start_replication": false}""";

    @TempDir
    Path dataDir;

    @Test
    void startsHealthyAnswersThroughThePipelineStopsAndKeepsItsData() throws Exception {
        // given: a first start on an empty data directory
        Map<String, String> endpoints;
        String token;
        String volumeId;
        try (Stack stack = Stack.start(StandaloneConfig.onFreePorts(dataDir))) {
            endpoints = stack.endpoints();
            token = stack.apiToken();

            // then: every service reports UP and the token file is private to its owner
            for (String service : new String[] {"job-intake", "discovery-service", "job-service", "progress-service"}) {
                String health = endpoints.get(service).replaceFirst("/api/v1$", "/actuator/health");
                HttpResponse<String> response = get(health, null);
                assertThat(response.statusCode()).as(service + " " + response.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).get("status").asString()).as(service).isEqualTo("UP");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stack.apiTokenFile())))
                    .isEqualTo("rw-------");

            // when: a VM is added to management through the API
            HttpResponse<String> created = post(stack.apiUrl() + "/replications", token, PGTEST1);

            // then: fresh discovery and the decision answered with the new context
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode context = JSON.readTree(created.body());
            assertThat(context.get("vm_name").asString()).isEqualTo("pgtest1");
            assertThat(context.get("vmware_vm_id").asString()).isEqualTo("420559a1-2606-22a4-fc18-b03d13e3cf95");
            assertThat(context.get("current_status").asString()).isEqualTo("discovered");
            assertThat(context.get("context_id").asString()).startsWith("ctx-pgtest1-");

            // and: the CloudStack simulator's key pair is private to its owner, and a volume is created there
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dataDir.resolve("secrets/cloudstack-secret-key")))).isEqualTo("rw-------");
            CloudStackClient cloud = client(stack);
            volumeId = cloud.awaitObject("createVolume", cloud.createVolume("smoke-volume", 1,
                    stack.cloudStack().config().diskOffering().id(), stack.cloudStack().config().zone().id()).jobId(),
                    "volume", CloudStackModel.Volume.class).id();
        }

        // when: the stack starts again on the same data directory
        try (Stack again = Stack.start(StandaloneConfig.onFreePorts(dataDir))) {
            // then: the same token still works and the VM is still managed
            assertThat(again.apiToken()).isEqualTo(token);
            HttpResponse<String> duplicate = post(again.apiUrl() + "/replications", token, PGTEST1);
            assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(409);
            assertThat(JSON.readTree(duplicate.body()).get("error").asString())
                    .isEqualTo("VM already exists in management");
            // and: the target cloud still has the volume, under the same key pair
            assertThat(client(again).volume(volumeId)).hasValueSatisfying(
                    volume -> assertThat(volume.name()).isEqualTo("smoke-volume"));
        }
    }

    /** Our CloudStack client on the stack's simulator, with the key pair the stack keeps. */
    private static CloudStackClient client(Stack stack) throws Exception {
        return new CloudStackClient(stack.cloudStack().endpoint(), stack.cloudStack().config().apiKey(),
                stack.cloudStack().config().secretKey().getBytes(StandardCharsets.UTF_8),
                CloudStackClient.Timing.defaults(), Clock.systemUTC());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
