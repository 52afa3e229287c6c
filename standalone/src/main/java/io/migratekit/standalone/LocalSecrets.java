package io.migratekit.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The standalone stack's secrets: the operator API token, the management token, the VMA's
 * callback token, the PostgreSQL password, the simulated vCenter password and the simulated
 * CloudStack's key pair. Each is generated at random on first start and kept in a file
 * readable by its owner only, under {@code <data>/secrets}; never printed (only their paths are).
 * The services receive the tokens as SHA-256 hashes.
 */
final class LocalSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    LocalSecrets(Path dataDir) {
        this.directory = dataDir.resolve("secrets");
    }

    Path apiTokenFile() {
        return directory.resolve("api-token");
    }

    String apiToken() {
        return readOrCreate(apiTokenFile());
    }

    String vmaToken() {
        return readOrCreate(directory.resolve("vma-token"));
    }

    /** The token that opens the services' management endpoints beyond the health status. */
    Path managementTokenFile() {
        return directory.resolve("management-token");
    }

    String managementToken() {
        return readOrCreate(managementTokenFile());
    }

    /** The PostgreSQL superuser's password, also the registry's login to its database. */
    String postgresPassword() {
        return readOrCreate(directory.resolve("postgres-password"));
    }

    String vcenterPassword() {
        return readOrCreate(directory.resolve("vcenter-password"));
    }

    String cloudStackApiKey() {
        return readOrCreate(directory.resolve("cloudstack-api-key"));
    }

    /** The file holding the CloudStack secret key: the services read it from there ({@code secret-file}). */
    Path cloudStackSecretKeyFile() {
        return directory.resolve("cloudstack-secret-key");
    }

    String cloudStackSecretKey() {
        return readOrCreate(cloudStackSecretKeyFile());
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String readOrCreate(Path file) {
        try {
            if (!Files.exists(directory)) {
                Files.createDirectories(directory);
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException raced) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file + ": " + e.getMessage(), e);
        }
    }
}
