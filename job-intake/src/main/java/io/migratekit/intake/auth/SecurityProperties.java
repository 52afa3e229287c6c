package io.migratekit.intake.auth;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The API tokens, from configuration only ({@code migratekit.security.tokens[N].name},
 * {@code .sha256}, {@code .role}; environment {@code MIGRATEKIT_SECURITY_TOKENS_0_NAME} …). Only
 * SHA-256 hashes are configured, never tokens; there is no default token.
 */
@ConfigurationProperties("migratekit.security")
public class SecurityProperties {

    private final List<Token> tokens = new ArrayList<>();

    public List<Token> getTokens() {
        return tokens;
    }

    /** Validated tokens; throws with a message naming the faulty entry (never its hash). */
    public List<ApiToken> apiTokens() {
        List<ApiToken> parsed = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            parsed.add(ApiToken.fromConfig(i, token.getName(), token.getSha256(), token.getRole()));
        }
        return parsed;
    }

    /** One configured token. */
    public static class Token {
        private String name;
        private String sha256;
        private String role;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getSha256() {
            return sha256;
        }

        public void setSha256(String sha256) {
            this.sha256 = sha256;
        }

        public String getRole() {
            return role;
        }

        public void setRole(String role) {
            this.role = role;
        }

        @Override
        public String toString() {
            return "Token[name=" + name + ", role=" + role + ", sha256=<redacted>]";
        }
    }
}
