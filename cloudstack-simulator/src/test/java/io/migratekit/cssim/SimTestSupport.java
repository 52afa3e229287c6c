package io.migratekit.cssim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

import tools.jackson.databind.JsonNode;

/**
 * Test helpers: a simulator on a temporary data directory with a freshly generated key pair, and
 * a small signing client (GET or form POST) that returns status and JSON.
 */
final class SimTestSupport {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    private SimTestSupport() {
    }

    static String randomKey() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A configuration on this data directory with a new key pair and the given job delay. */
    static SimulatorConfig.Builder config(Path dataDir, Duration jobDelay) {
        return SimulatorConfig.builder().dataDir(dataDir).apiKey(randomKey()).secretKey(randomKey()).jobDelay(jobDelay);
    }

    /** One answer: the HTTP status and the object inside {@code <command>response}. */
    record Reply(int status, String envelopeKey, JsonNode body) {
    }

    /** Signs and sends API calls with a key pair. */
    static final class Client {
        private final String endpoint;
        private final String apiKey;
        private final String secretKey;

        Client(CloudStackSimulator sim) {
            this(sim.endpoint(), sim.config().apiKey(), sim.config().secretKey());
        }

        Client(String endpoint, String apiKey, String secretKey) {
            this.endpoint = endpoint;
            this.apiKey = apiKey;
            this.secretKey = secretKey;
        }

        /** The parameters of a call, signed; {@code tamper} may change them after signing. */
        Map<String, String> signed(String command, Map<String, String> params, Instant expires, UnaryOperator<Map<String, String>> tamper) {
            Map<String, String> all = new LinkedHashMap<>(params);
            all.put("command", command);
            all.put("response", "json");
            all.put("apikey", apiKey);
            all.put("signatureversion", "3");
            all.put("expires", expires.toString());
            all.put("signature", Signatures.hmac(Signatures.stringToSign(all), secretKey));
            return tamper.apply(all);
        }

        Reply get(String command, Map<String, String> params) {
            return send(false, signed(command, params, Instant.now().plusSeconds(300), m -> m));
        }

        Reply post(String command, Map<String, String> params) {
            return send(true, signed(command, params, Instant.now().plusSeconds(300), m -> m));
        }

        Reply send(boolean post, Map<String, String> params) {
            StringJoiner form = new StringJoiner("&");
            params.forEach((k, v) -> form.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            HttpRequest request = post
                    ? HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build()
                    : HttpRequest.newBuilder(URI.create(endpoint + "?" + form)).GET().build();
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
                JsonNode json = Json.MAPPER.readTree(r.body());
                assertThat(json.size()).as("one envelope key in %s", r.body()).isEqualTo(1);
                String key = json.propertyNames().iterator().next();
                return new Reply(r.statusCode(), key, json.get(key));
            } catch (Exception e) {
                throw new AssertionError("call failed: " + e, e);
            }
        }

        /** Polls queryAsyncJobResult until the job is no longer pending; returns its final answer. */
        JsonNode awaitJob(String jobId) {
            JsonNode[] last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
                Reply r = get("queryAsyncJobResult", Map.of("jobid", jobId));
                assertThat(r.status()).isEqualTo(200);
                last[0] = r.body();
                return r.body().get("jobstatus").asInt() != 0;
            });
            return last[0];
        }

        /** Runs an async command to success and returns its {@code jobresult}. */
        JsonNode run(String command, Map<String, String> params) {
            Reply r = post(command, params);
            assertThat(r.status()).as("%s answered %s", command, r.body()).isEqualTo(200);
            JsonNode job = awaitJob(r.body().get("jobid").asString());
            assertThat(job.get("jobstatus").asInt()).as("job of %s: %s", command, job).isEqualTo(1);
            return job.get("jobresult");
        }

        /** Runs an async command expected to fail and returns its {@code jobresult} (errorcode, errortext). */
        JsonNode runFailing(String command, Map<String, String> params) {
            Reply r = post(command, params);
            assertThat(r.status()).as("%s answered %s", command, r.body()).isEqualTo(200);
            JsonNode job = awaitJob(r.body().get("jobid").asString());
            assertThat(job.get("jobstatus").asInt()).as("job of %s: %s", command, job).isEqualTo(2);
            assertThat(job.get("jobresultcode").asInt()).isEqualTo(530);
            return job.get("jobresult");
        }

        /** Creates a data volume of this many GiB in the appliance's zone; returns its id. */
        String createVolume(CloudStackSimulator sim, String name, int gib) {
            return run("createVolume", Map.of("name", name, "size", String.valueOf(gib),
                    "diskofferingid", sim.config().diskOffering().id(), "zoneid", sim.config().zone().id()))
                    .get("volume").get("id").asString();
        }

        JsonNode attach(String volumeId, String vmId) {
            return run("attachVolume", Map.of("id", volumeId, "virtualmachineid", vmId)).get("volume");
        }
    }
}
