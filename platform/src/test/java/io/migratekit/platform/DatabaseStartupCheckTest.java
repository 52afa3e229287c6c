package io.migratekit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.infra.PostgresServer;
import io.migratekit.infra.SharedTestInfrastructure;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The database start-up check against a closed port and the real PostgreSQL: a missing database is
 * named with its JDBC URL, never its credentials, and the variable to set.
 */
class DatabaseStartupCheckTest {

    @Test
    void anUnreachableDatabaseIsNamedWithItsUrlWithoutCredentialsAndTheSetting() throws Exception {
        int closedPort = closedPort();
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/migratekit?user=mk&password=s3cret&sslmode=disable";

        assertThatThrownBy(() -> DatabaseStartupCheck.check(url, "mk", "other-s3cret", Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, missing -> {
                    assertThat(missing.getMessage()).startsWith("PostgreSQL is unreachable at jdbc:postgresql://"
                            + "127.0.0.1:" + closedPort + "/migratekit?sslmode=disable: no answer within 2 s (");
                    assertThat(missing.getMessage()).doesNotContain("s3cret").doesNotContain("user=mk");
                    assertThat(missing.address()).isEqualTo("jdbc:postgresql://127.0.0.1:" + closedPort
                            + "/migratekit?sslmode=disable");
                    assertThat(missing.setting()).isEqualTo("SPRING_DATASOURCE_URL");
                    FailureAnalysis analysis = new DependencyUnavailableFailureAnalyzer().analyze(missing);
                    assertThat(analysis.getDescription()).isEqualTo(missing.getMessage());
                    assertThat(analysis.getAction())
                            .isEqualTo("Start PostgreSQL or point the service at it with SPRING_DATASOURCE_URL.");
                });
    }

    @Test
    void aReachableDatabasePasses() {
        PostgresServer postgres = SharedTestInfrastructure.get().postgres();
        String url = SharedTestInfrastructure.get().newDatabase("startup_check");

        assertThatCode(() -> DatabaseStartupCheck.check(url, postgres.username(), postgres.password(),
                Duration.ofSeconds(5))).doesNotThrowAnyException();
    }

    @Test
    void aRefusedLoginIsNamedAtOnceWithTheCredentialSettings() {
        PostgresServer postgres = SharedTestInfrastructure.get().postgres();
        String url = SharedTestInfrastructure.get().newDatabase("startup_check");

        assertThatThrownBy(() -> DatabaseStartupCheck.check(url, "nobody-" + System.nanoTime(), "wrong-secret",
                Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, refused -> {
                    assertThat(refused.getMessage()).startsWith("PostgreSQL at " + url + " refused the login (");
                    assertThat(refused.getMessage()).doesNotContain("wrong-secret");
                    assertThat(refused.setting()).isEqualTo("SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD");
                });
    }

    @Test
    void credentialsAreCutOutOfEveryFormOfUrl() {
        assertThat(DatabaseStartupCheck.withoutCredentials("jdbc:postgresql://db:5432/mk"))
                .isEqualTo("jdbc:postgresql://db:5432/mk");
        assertThat(DatabaseStartupCheck.withoutCredentials("jdbc:postgresql://mk:s3cret@db:5432/mk?ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/mk?ssl=true");
        assertThat(DatabaseStartupCheck.withoutCredentials("jdbc:postgresql://db/mk?password=s3cret&user=mk"))
                .isEqualTo("jdbc:postgresql://db/mk");
        assertThat(DatabaseStartupCheck.withoutCredentials("jdbc:postgresql://db/mk?ssl=true&PASSWORD=s3cret&x=1"))
                .isEqualTo("jdbc:postgresql://db/mk?ssl=true&x=1");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
