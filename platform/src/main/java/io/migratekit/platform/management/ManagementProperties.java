package io.migratekit.platform.management;

import io.migratekit.platform.BearerTokens;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The management token: {@code migratekit.management.token-sha256}, the SHA-256 (64 hex digits) of
 * each accepted token, comma-separated (environment {@code MIGRATEKIT_MANAGEMENT_TOKEN_SHA256}).
 * No default: without one, only the open health answers.
 */
@ConfigurationProperties("migratekit.management")
public class ManagementProperties {

    private List<String> tokenSha256 = new ArrayList<>();

    public List<String> getTokenSha256() {
        return tokenSha256;
    }

    public void setTokenSha256(List<String> tokenSha256) {
        this.tokenSha256 = tokenSha256;
    }

    /** The configured hashes as bytes; a value that is not a SHA-256 in hex stops the service, named by position. */
    public List<byte[]> tokenHashes() {
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < tokenSha256.size(); i++) {
            String value = tokenSha256.get(i);
            if (value == null || value.isBlank()) {
                continue;
            }
            if (!BearerTokens.isSha256Hex(value)) {
                throw new IllegalArgumentException("migratekit.management.token-sha256[" + i
                        + "] must be the SHA-256 of the management token as 64 hexadecimal digits");
            }
            hashes.add(BearerTokens.parseSha256Hex(value));
        }
        return hashes;
    }
}
