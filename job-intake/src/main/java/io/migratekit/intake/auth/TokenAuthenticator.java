package io.migratekit.intake.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code Authorization} header into a principal, or says why it cannot: the presented
 * bearer token is hashed with SHA-256 and compared in constant time ({@link MessageDigest#isEqual})
 * with every configured hash, without stopping at the first match. With no token configured,
 * nothing authenticates. Owns the configured tokens; does not decide what a role may do
 * ({@link Role}) and never logs or returns a token.
 */
public final class TokenAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);
    private static final String BEARER = "bearer ";
    /** Longer headers are refused before hashing. */
    private static final int MAX_TOKEN_LENGTH = 4096;

    private final List<ApiToken> tokens;

    public TokenAuthenticator(List<ApiToken> tokens) {
        Set<String> names = new HashSet<>();
        for (ApiToken token : tokens) {
            if (!names.add(token.name())) {
                throw new IllegalArgumentException("token name '" + token.name() + "' is configured twice");
            }
        }
        this.tokens = List.copyOf(tokens);
    }

    /**
     * The authenticator of the configured tokens; says at start-up how many there are, and warns
     * loudly when there is none (every API request is then refused).
     */
    public static TokenAuthenticator fromConfiguration(List<ApiToken> tokens) {
        TokenAuthenticator authenticator = new TokenAuthenticator(tokens);
        if (tokens.isEmpty()) {
            log.warn("No API token is configured (migratekit.security.tokens[N].name/.sha256/.role): every API "
                    + "request will be refused with 401");
        } else {
            log.info("{} API token(s) configured: {}", tokens.size(), tokens);
        }
        return authenticator;
    }

    public boolean hasTokens() {
        return !tokens.isEmpty();
    }

    public int tokenCount() {
        return tokens.size();
    }

    /** The outcome of one authentication: a principal, or the reason there is none. */
    public record Result(ApiPrincipal principal, String failure) {
        public boolean authenticated() {
            return principal != null;
        }
    }

    public Result authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new Result(null, "Missing bearer token");
        }
        String header = authorizationHeader.trim();
        if (header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return new Result(null, "Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(BEARER.length()).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return new Result(null, "Invalid bearer token");
        }
        byte[] presented = sha256(token);
        ApiToken matched = null;
        for (ApiToken candidate : tokens) {
            if (MessageDigest.isEqual(candidate.sha256(), presented) && matched == null) {
                matched = candidate;
            }
        }
        return matched == null ? new Result(null, "Invalid bearer token")
                : new Result(new ApiPrincipal(matched.name(), matched.role()), null);
    }

    /** SHA-256 of a token's UTF-8 bytes (what {@code migratekit.security.tokens[N].sha256} holds, in hex). */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
