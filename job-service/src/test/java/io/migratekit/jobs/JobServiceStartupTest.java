package io.migratekit.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.platform.DependencyUnavailableException;
import io.migratekit.platform.DependencyUnavailableFailureAnalyzer;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * job-service started against a PostgreSQL that is not there (Kafka and the registry are): it stops
 * once, before Flyway runs, naming PostgreSQL, the JDBC URL without its credentials, and the variable
 * to set.
 */
class JobServiceStartupTest {

    @Test
    void anUnreachableDatabaseStopsTheServiceBeforeFlywayWithItsUrlAndTheSetting() throws Exception {
        // given
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/migratekit?password=in-the-url-secret";

        // when
        assertThatThrownBy(() -> new SpringApplicationBuilder(JobServiceApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + infra.bootstrapServers(),
                "--migratekit.registry.url=" + infra.registryBaseUrl(),
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=migratekit",
                "--spring.datasource.password=only-for-this-test",
                "--migratekit.startup-timeout=3s",
                "--migratekit.streams.state-dir=" + Files.createTempDirectory("job-service-startup")))
                // then
                .satisfies(e -> {
                    DependencyUnavailableException missing = find(e);
                    assertThat(missing.getMessage()).startsWith("PostgreSQL is unreachable at jdbc:postgresql://"
                            + "127.0.0.1:" + closedPort + "/migratekit: no answer within 3 s (");
                    assertThat(missing.getMessage()).doesNotContain("secret").doesNotContain("only-for-this-test");
                    FailureAnalysis analysis = new DependencyUnavailableFailureAnalyzer().analyze(e);
                    assertThat(analysis.getDescription()).isEqualTo(missing.getMessage());
                    assertThat(analysis.getAction())
                            .isEqualTo("Start PostgreSQL or point the service at it with SPRING_DATASOURCE_URL.");
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(t.getClass().getName()).doesNotStartWith("org.flywaydb");
                    }
                });
    }

    private static DependencyUnavailableException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DependencyUnavailableException missing) {
                return missing;
            }
        }
        throw new AssertionError("no DependencyUnavailableException in " + e, e);
    }
}
