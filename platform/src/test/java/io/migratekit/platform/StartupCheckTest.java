package io.migratekit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.platform.fixture.FixtureApplication;
import io.migratekit.schemas.EventSchemas;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

/** A service whose broker or registry is missing stops once, saying which one, where, and what to set. */
class StartupCheckTest {

    @Test
    void anUnreachableBrokerIsNamedWithItsAddressAndSetting() throws Exception {
        int closedPort = closedPort();

        assertThatThrownBy(() -> start("--spring.kafka.bootstrap-servers=127.0.0.1:" + closedPort,
                "--migratekit.registry.url=http://127.0.0.1:" + closedPort))
                .satisfies(e -> {
                    DependencyUnavailableException missing = find(e);
                    assertThat(missing.getMessage()).startsWith("Kafka is unreachable at 127.0.0.1:" + closedPort);
                    FailureAnalysis analysis = new DependencyUnavailableFailureAnalyzer().analyze(e);
                    assertThat(analysis.getAction()).contains("SPRING_KAFKA_BOOTSTRAP_SERVERS");
                });
    }

    @Test
    void anUnreachableRegistryIsNamedWhenKafkaIsUp() throws Exception {
        int closedPort = closedPort();

        assertThatThrownBy(() -> start("--spring.kafka.bootstrap-servers="
                + SharedTestInfrastructure.get().bootstrapServers(),
                "--migratekit.registry.url=http://127.0.0.1:" + closedPort))
                .satisfies(e -> {
                    DependencyUnavailableException missing = find(e);
                    assertThat(missing.getMessage())
                            .startsWith("The schema registry is unreachable at http://127.0.0.1:" + closedPort);
                    assertThat(missing.setting()).isEqualTo("MIGRATEKIT_REGISTRY_URL");
                });
    }

    @Test
    void withBothUpTheServiceStartsAndCreatesTheTopicsWithTheirSchemasRegistered() throws Exception {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        try (ConfigurableApplicationContext context = start(
                "--spring.kafka.bootstrap-servers=" + infra.bootstrapServers(),
                "--migratekit.registry.url=" + infra.registryBaseUrl())) {
            assertThat(context.getBean(EventPublisher.class)).isNotNull();
        }
        // every topic's value subject: FULL compatibility, its latest version standing alone
        HttpClient http = HttpClient.newHttpClient();
        for (Topic<?> topic : Topics.all()) {
            String subject = infra.registryBaseUrl() + "/apis/ccompat/v7/%s/" + EventSchemas.subject(topic);
            String config = http.send(HttpRequest.newBuilder(URI.create(subject.formatted("config"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String latest = http.send(HttpRequest.newBuilder(URI.create(subject.formatted("subjects") + "/versions/latest"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(config).as(topic.name()).contains("\"compatibilityLevel\":\"FULL\"");
            assertThat(latest).as(topic.name()).contains("\"subject\"").doesNotContain("\"references\":[{");
        }
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(FixtureApplication.class).web(WebApplicationType.NONE)
                .run(concat(args, "--migratekit.startup-timeout=3s"));
    }

    private static String[] concat(String[] args, String extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }

    private static DependencyUnavailableException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DependencyUnavailableException missing) {
                return missing;
            }
        }
        throw new AssertionError("no DependencyUnavailableException in " + e);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
