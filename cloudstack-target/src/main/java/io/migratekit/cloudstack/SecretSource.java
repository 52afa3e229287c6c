package io.migratekit.cloudstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a CloudStack secret key is read from: a file (its content, surrounding whitespace removed) or
 * an environment variable. Holds the reference only, never the secret; {@link #toString()} names the
 * reference so a configuration can be shown and logged.
 *
 * @param kind      file or environment variable
 * @param reference the file path or the variable's name
 */
public record SecretSource(Kind kind, String reference) {

    public enum Kind {
        FILE,
        ENV
    }

    public SecretSource {
        Objects.requireNonNull(kind, "kind");
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("a secret source needs a file path or a variable name");
        }
    }

    public static SecretSource file(String path) {
        return new SecretSource(Kind.FILE, path);
    }

    public static SecretSource env(String variable) {
        return new SecretSource(Kind.ENV, variable);
    }

    /**
     * Reads the secret.
     *
     * @param environment the process environment (e.g. {@code System::getenv})
     * @throws IllegalStateException saying which file or variable is missing or empty (never its content)
     */
    public byte[] read(Function<String, String> environment) {
        String secret;
        if (kind == Kind.FILE) {
            try {
                secret = Files.readString(Path.of(reference), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("the secret key file " + reference + " cannot be read ("
                        + e.getClass().getSimpleName() + ")");
            }
        } else {
            String value = environment.apply(reference);
            if (value == null) {
                throw new IllegalStateException("the environment variable " + reference
                        + " that should hold the secret key is not set");
            }
            secret = value.strip();
        }
        if (secret.isEmpty()) {
            throw new IllegalStateException("the secret key in " + this + " is empty");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return kind == Kind.FILE ? "file " + reference : "environment variable " + reference;
    }
}
