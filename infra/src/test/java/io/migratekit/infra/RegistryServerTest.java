package io.migratekit.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServerTest {

    private static final String SCHEMA = "{\"schema\": \"{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"Vm\\\", "
            + "\\\"fields\\\": [{\\\"name\\\": \\\"id\\\", \\\"type\\\": \\\"string\\\"}]}\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersSystemInfoAndTheConfluentCompatibleApi() throws Exception {
        // given
        String baseUrl = SharedTestInfrastructure.get().registryBaseUrl();

        // when
        HttpResponse<String> info = get(baseUrl + "/apis/registry/v3/system/info");
        HttpResponse<String> subjects = get(baseUrl + "/apis/ccompat/v7/subjects");

        // then
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"version\"");
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(subjects.body()).startsWith("[");
    }

    @Test
    void registersASchemaThroughTheConfluentCompatibleApi() throws Exception {
        // given
        String baseUrl = SharedTestInfrastructure.get().registryBaseUrl();

        // when
        HttpResponse<String> registered = post(baseUrl + "/apis/ccompat/v7/subjects/vm-value/versions", SCHEMA);

        // then
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(get(baseUrl + "/apis/ccompat/v7/subjects").body()).contains("\"vm-value\"");
    }

    @Test
    void keepsSchemasInPostgresAcrossARestart(@TempDir Path logs) throws Exception {
        // given a registry on PostgreSQL storage that registered a schema, then stopped
        PostgresServer postgres = SharedTestInfrastructure.get().postgres();
        String jdbcUrl = SharedTestInfrastructure.get().newDatabase("registry");
        String password = "secret-" + System.nanoTime();
        String schemaId;
        try (RegistryServer registry = startOnPostgres(jdbcUrl, postgres.username(), password, logs.resolve("first.log"))) {
            HttpResponse<String> registered =
                    post(registry.baseUrl() + "/apis/ccompat/v7/subjects/vm-value/versions", SCHEMA);
            assertThat(registered.statusCode()).isEqualTo(200);
            schemaId = registered.body().replaceAll("\\D", "");
        }

        // when a registry starts again on the same database
        try (RegistryServer restarted = startOnPostgres(jdbcUrl, postgres.username(), password, logs.resolve("second.log"))) {
            HttpResponse<String> schema = get(restarted.baseUrl() + "/apis/ccompat/v7/schemas/ids/" + schemaId);

            // then the schema is still there under its id, and the password never reached the log
            assertThat(schema.statusCode()).isEqualTo(200);
            assertThat(schema.body()).contains("Vm");
            assertThat(Files.readString(restarted.logFile())).doesNotContain(password);
        }
        assertThat(Files.readString(logs.resolve("first.log"))).doesNotContain(password);
    }

    @Test
    void namesThePortWhenItIsTaken() throws Exception {
        try (ServerSocket occupant = new ServerSocket()) {
            // given
            occupant.bind(new InetSocketAddress("127.0.0.1", 0));
            int taken = occupant.getLocalPort();

            // when / then
            assertThatThrownBy(() -> RegistryServer.builder().port(taken).start())
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("127.0.0.1:" + taken);
        }
    }

    @Test
    void saysWhereItLookedWhenTheDistributionIsMissing(@TempDir Path emptyHome) {
        assertThatThrownBy(() -> RegistryServer.builder().home(emptyHome).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(emptyHome.toString());
    }

    private static RegistryServer startOnPostgres(String jdbcUrl, String username, String password, Path logFile) {
        return RegistryServer.builder().postgresStorage(jdbcUrl, username, password).logFile(logFile).start();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
