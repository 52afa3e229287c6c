package io.migratekit.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

    @Test
    void createsADatabaseAndRunsAQuery() throws Exception {
        // given
        SharedTestInfrastructure infrastructure = SharedTestInfrastructure.get();
        PostgresServer postgres = infrastructure.postgres();

        // when
        String jdbcUrl = infrastructure.newDatabase("Jobs-Test");

        // then
        try (Connection connection = DriverManager.getConnection(jdbcUrl, postgres.username(), postgres.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database(), current_setting('server_version_num')::int")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).startsWith("db_jobs_test_");
            assertThat(rows.getInt(2)).isGreaterThanOrEqualTo(170000);
        }
    }

    @Test
    void createDatabaseIsIdempotent() {
        // given
        PostgresServer postgres = SharedTestInfrastructure.get().postgres();
        String first = postgres.createDatabase("idempotent_db");

        // when
        String second = postgres.createDatabase("idempotent_db");

        // then
        assertThat(second).isEqualTo(first).endsWith("/idempotent_db");
    }

    @Test
    void keepsDataAcrossARestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        // given a server that stored a row, then stopped
        try (PostgresServer postgres = PostgresServer.start(dataDir, 0)) {
            postgres.createDatabase("kept");
            execute(postgres.dataSource("kept"), "CREATE TABLE job (id int primary key); INSERT INTO job VALUES (42)");
        }

        // when a server starts again on the same directory
        try (PostgresServer restarted = PostgresServer.start(dataDir, 0);
             Connection connection = restarted.dataSource("kept").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM job")) {

            // then the row is still there
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void namesThePortWhenItIsTaken() throws Exception {
        try (ServerSocket occupant = new ServerSocket()) {
            // given
            occupant.bind(new InetSocketAddress("127.0.0.1", 0));
            int taken = occupant.getLocalPort();

            // when / then
            assertThatThrownBy(() -> PostgresServer.start(null, taken))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining(":" + taken)
                    .hasMessageContaining("PostgreSQL");
        }
    }

    @Test
    void rejectsADatabaseNameThatIsNotAPlainIdentifier() {
        PostgresServer postgres = SharedTestInfrastructure.get().postgres();

        assertThatThrownBy(() -> postgres.createDatabase("x; DROP DATABASE postgres"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void execute(DataSource dataSource, String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
