package io.migratekit.infra;

import java.nio.file.Path;

/**
 * The parent JVM that {@link ChildGuardTest} kills with SIGKILL: {@code CrashedParentMain <data dir> <password>}
 * starts PostgreSQL with a password and the registry with a pid file on that directory, stores a row, prints
 * {@code READY <postgres pid> <registry pid>} and waits to be killed.
 */
public final class CrashedParentMain {

    private CrashedParentMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        PostgresServer postgres = PostgresServer.builder().dataDir(dataDir.resolve("postgres")).password(args[1])
                .withoutShutdownHook().start();
        String registryJdbc = postgres.createDatabase("registry");
        postgres.createDatabase("kept");
        try (var connection = postgres.dataSource("kept").getConnection();
                var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS job (id int primary key); INSERT INTO job VALUES (42)");
        }
        RegistryServer registry = RegistryServer.builder().pidFile(dataDir.resolve("registry.pid"))
                .logFile(dataDir.resolve("registry.log"))
                .postgresStorage(registryJdbc, postgres.username(), postgres.password()).withoutShutdownHook().start();
        long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(
                dataDir.resolve("postgres/postmaster.pid")).get(0).strip());
        System.out.println("READY " + postmaster + " " + registryPid(dataDir) + " " + registry.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static long registryPid(Path dataDir) throws Exception {
        return Long.parseLong(java.nio.file.Files.readString(dataDir.resolve("registry.pid")).strip());
    }
}
