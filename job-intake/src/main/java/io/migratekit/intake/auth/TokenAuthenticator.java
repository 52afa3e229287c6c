package io.migratekit.intake.auth;

import io.migratekit.platform.BearerTokens;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code Authorization} header into a principal, or says why it cannot: the presented
 * bearer token is hashed with SHA-256 and compared in constant time with every configured hash,
 * without stopping at the first match (the platform's {@link BearerTokens} scheme). With no token configured,
 * nothing authenticates. Owns the configured tokens; does not decide what a role may do
 * ({@link Role}) and never logs or returns a token.
 */
public final class TokenAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);

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
        BearerTokens.Presented presented = BearerTokens.fromHeader(authorizationHeader);
        if (presented.token() == null) {
            return new Result(null, presented.failure());
        }
        int matched = BearerTokens.match(BearerTokens.sha256(presented.token()),
                tokens.stream().map(ApiToken::sha256).toList());
        if (matched < 0) {
            return new Result(null, "Invalid bearer token");
        }
        ApiToken token = tokens.get(matched);
        return new Result(new ApiPrincipal(token.name(), token.role()), null);
    }
}
