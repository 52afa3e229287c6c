package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ChangeIdRecorded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * The callback listener as the deployed copy engine meets it: change-id callbacks without an
 * Authorization header, accepted only from the configured source (here 127.0.0.2, which the test
 * binds its socket to) and only on the two change-id routes; the API port still wants its token.
 */
class CallbackListenerIntegrationTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 9, 20, 8, 0, 0, 0, ZoneOffset.UTC);

    private static IntakeStack stack;
    private static PlayedPipeline pipeline;
    private static ReadModelRows rows;

    @BeforeAll
    static void start() {
        stack = IntakeStack.get();
        pipeline = new PlayedPipeline(stack.infra.bootstrapServers(), stack.registry);
        rows = new ReadModelRows(stack.db);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    /** An HTTP answer read off the socket. */
    private record Answer(int status, String body) {
    }

    @Test
    void callbacksWithoutAnAuthorizationHeaderFromTheConfiguredSourceAreAccepted() throws Exception {
        // given: a running incremental job with a base for disk-2000
        String vm = newVmId();
        String job = "job-cb-" + vm;
        String name = "cb-" + vm.substring(0, 8);
        rows.job(job, "ctx-" + vm, vm, name, "replicating", T0);
        rows.disk(job, "disk-2000", "ctx-" + vm, vm, "52 aa/1", null, T0);

        // when: the copy engine asks for the base and posts the new id, without any token
        Answer lookup = call(IntakeStack.CALLBACK_SOURCE, "GET", "/api/v1/replications/changeid?vm_path=/DC1/vm/"
                + name + "&disk_id=disk-2000", null, null);
        Answer recorded = call(IntakeStack.CALLBACK_SOURCE, "POST", "/api/v1/replications/" + job + "/changeid",
                null, "{\"change_id\": \"52 aa/2\", \"disk_id\": \"disk-2000\", \"previous_change_id\": \"52 aa/1\"}");

        // then
        assertThat(lookup.status()).isEqualTo(200);
        assertJson(lookup.body(), """
                {"vm_path": "/DC1/vm/%s", "disk_id": "disk-2000", "change_id": "52 aa/1",
                 "message": "Previous change ID found"}
                """.formatted(name));
        assertThat(recorded.status()).isEqualTo(200);
        assertJson(recorded.body(), """
                {"job_id": "%s", "disk_id": "disk-2000", "change_id": "52 aa/2",
                 "message": "Change ID recorded successfully"}
                """.formatted(job));
        ConsumerRecord<String, ChangeIdRecorded> published = pipeline.nextChangeId(vm);
        assertThat(published.value().getJobId()).isEqualTo(job);
        assertThat(published.value().getChangeId()).isEqualTo("52 aa/2");
        assertThat(pipeline.remainingChangeIds()).filteredOn(record -> vm.equals(record.key())).isEmpty();
    }

    @Test
    void callbacksFromElsewhereAreRefusedAndTheApiPortStillWantsItsToken() throws Exception {
        // given
        String vm = newVmId();
        String job = "job-cb-" + vm;
        rows.job(job, "ctx-" + vm, vm, "cb-" + vm.substring(0, 8), "replicating", T0);
        rows.disk(job, "disk-2000", "ctx-" + vm, vm, null, null, T0);
        String post = "/api/v1/replications/" + job + "/changeid";
        String body = "{\"change_id\": \"52 bb/2\", \"disk_id\": \"disk-2000\"}";

        // when
        Answer otherSource = call("127.0.0.1", "POST", post, null, body);
        Answer otherSourceWithToken = call("127.0.0.1", "POST", post, IntakeStack.VMA_TOKEN, body);
        Answer badToken = call(IntakeStack.CALLBACK_SOURCE, "POST", post, "not-a-token", body);
        Answer readOnlyToken = call(IntakeStack.CALLBACK_SOURCE, "POST", post, IntakeStack.READ_ONLY_TOKEN, body);
        Answer otherRoute = call(IntakeStack.CALLBACK_SOURCE, "GET", "/api/v1/replications/" + job, null, null);
        Answer actuator = call(IntakeStack.CALLBACK_SOURCE, "GET", "/actuator/health", null, null);
        HttpResponse<String> apiWithoutToken = new Http(stack.baseUrl).post(post, null, body);

        // then
        assertThat(otherSource.status()).isEqualTo(403);
        assertThat(otherSource.body()).contains("\"error\":\"Forbidden\"", "Callbacks are accepted only from the "
                + "configured source addresses; 127.0.0.1 is not one of them");
        assertThat(otherSourceWithToken.status()).isEqualTo(403);
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(readOnlyToken.status()).isEqualTo(403);
        assertThat(readOnlyToken.body()).contains("Role read-only may not call the change-id callbacks");
        assertThat(otherRoute.status()).isEqualTo(404);
        assertThat(otherRoute.body()).contains("The callback listener serves only GET /api/v1/replications/changeid "
                + "and POST /api/v1/replications/{job_id}/changeid");
        assertThat(actuator.status()).isEqualTo(404);
        assertThat(apiWithoutToken.statusCode()).isEqualTo(401);
        assertThat(pipeline.remainingChangeIds()).filteredOn(record -> vm.equals(record.key())).isEmpty();
    }

    /** One HTTP/1.1 exchange with the callback listener from a socket bound to {@code source}. */
    private static Answer call(String source, String method, String pathAndQuery, String token, String body)
            throws IOException {
        URI listener = URI.create(stack.callbackUrl);
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder()
                .append(method).append(' ').append(pathAndQuery.replace(" ", "%20")).append(" HTTP/1.1\r\n")
                .append("Host: ").append(listener.getHost()).append(':').append(listener.getPort()).append("\r\n")
                .append("Accept: application/json\r\nConnection: close\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket(InetAddress.getByName(listener.getHost()), listener.getPort(),
                InetAddress.getByName(source), 0)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            String raw = received.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            String entity = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            return new Answer(status, dechunk(raw, entity));
        }
    }

    /** The entity of a chunked answer without its chunk sizes. */
    private static String dechunk(String raw, String entity) {
        if (!raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase().contains("transfer-encoding: chunked")) {
            return entity;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = entity.indexOf("\r\n", at);
            int size = Integer.parseInt(entity.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(entity, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static void assertJson(String actual, String expected) {
        try {
            JSONAssert.assertEquals(expected, actual, JSONCompareMode.STRICT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String newVmId() {
        return "4205" + UUID.randomUUID().toString().substring(4);
    }
}
