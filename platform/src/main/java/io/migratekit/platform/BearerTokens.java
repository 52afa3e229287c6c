package io.migratekit.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The bearer-token scheme every MigrateKit endpoint shares (the REST API's tokens, the management
 * token): the token is taken from an {@code Authorization: Bearer <token>} header, hashed with
 * SHA-256 and compared in constant time with configured hashes, so only hashes are ever configured.
 * Holds no token; decides nothing about what a token may do.
 */
public final class BearerTokens {

    private static final String BEARER = "bearer ";
    /** Longer headers are refused before hashing. */
    private static final int MAX_TOKEN_LENGTH = 4096;
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private BearerTokens() {
    }

    /** The token of a header, or why there is none (then {@code token} is null). */
    public record Presented(String token, String failure) {
    }

    /** Reads the token of an {@code Authorization} header. */
    public static Presented fromHeader(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new Presented(null, "Missing bearer token");
        }
        String header = authorizationHeader.trim();
        if (header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return new Presented(null, "Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(BEARER.length()).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return new Presented(null, "Invalid bearer token");
        }
        return new Presented(token, null);
    }

    /** SHA-256 of a token's UTF-8 bytes (what a configured {@code sha256} holds, in hex). */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether a configured value is a SHA-256 in hex (64 hexadecimal digits, surrounding blanks allowed). */
    public static boolean isSha256Hex(String value) {
        return value != null && HEX_SHA256.matcher(value.trim()).matches();
    }

    /** The bytes of a SHA-256 in hex; check {@link #isSha256Hex} first. */
    public static byte[] parseSha256Hex(String value) {
        return HexFormat.of().parseHex(value.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The index of the first configured hash the presented token's hash equals, or -1; compares with
     * every hash without stopping early, each in constant time.
     */
    public static int match(byte[] presentedSha256, List<byte[]> configured) {
        int matched = -1;
        for (int i = 0; i < configured.size(); i++) {
            if (MessageDigest.isEqual(configured.get(i), presentedSha256) && matched < 0) {
                matched = i;
            }
        }
        return matched;
    }
}
