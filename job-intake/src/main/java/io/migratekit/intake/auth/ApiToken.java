package io.migratekit.intake.auth;

import io.migratekit.platform.BearerTokens;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One configured API token: a name, the SHA-256 of the token (never the token itself) and a role.
 * The hash is kept as bytes for a constant-time comparison.
 */
public record ApiToken(String name, byte[] sha256, Role role) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    /**
     * Builds a token from its configuration; the message of a refusal names the problem but never
     * repeats the configured hash.
     *
     * @param index the position in {@code migratekit.security.tokens}, for the error message
     */
    public static ApiToken fromConfig(int index, String name, String sha256Hex, String role) {
        String where = "migratekit.security.tokens[" + index + "]";
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ".name must be 1-128 characters of letters, digits, '.', '_', '@' or '-'");
        }
        if (!BearerTokens.isSha256Hex(sha256Hex)) {
            throw new IllegalArgumentException(where + ".sha256 (token '" + name
                    + "') must be the SHA-256 of the token as 64 hexadecimal digits");
        }
        Role parsed;
        try {
            parsed = Role.fromConfig(role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".role (token '" + name + "'): " + e.getMessage(), e);
        }
        return new ApiToken(name, BearerTokens.parseSha256Hex(sha256Hex), parsed);
    }

    @Override
    public String toString() {
        return "ApiToken[name=" + name + ", role=" + role.configName() + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiToken token && token.name.equals(name) && token.role == role
                && Arrays.equals(token.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
