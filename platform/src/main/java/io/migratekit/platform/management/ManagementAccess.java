package io.migratekit.platform.management;

import io.migratekit.platform.BearerTokens;
import java.util.List;
import java.util.Set;

/**
 * Who may read which management (actuator) endpoint of a service — one rule for every service:
 * the health an orchestrator probes ({@code health}, {@code health/liveness},
 * {@code health/readiness} under the base path) is open to anyone and shows only the status to an
 * anonymous caller; every other management path (metrics, prometheus, env, one health component,
 * the endpoint list) needs the management token, which also shows health's details. With no
 * token configured, nothing but the open health answers. Paths outside the base path are not its
 * business. Plain Java; holds the configured hashes, never a token.
 */
public final class ManagementAccess {

    /** What a request to a path gets. */
    public enum Access {
        /** Not a management path: another part of the service decides. */
        NOT_MANAGEMENT,
        /** Open health, answered with the status only. */
        STATUS_ONLY,
        /** A valid management token: everything, health with its details. */
        AUTHORIZED,
        /** Refused (401), for the reason given. */
        REFUSED
    }

    /** The access and, when refused, why. */
    public record Verdict(Access access, String reason) {
    }

    private final String basePath;
    private final Set<String> openPaths;
    private final List<byte[]> tokenHashes;

    /**
     * @param basePath    the actuator's base path, e.g. {@code /actuator}
     * @param tokenHashes SHA-256 of each accepted management token
     */
    public ManagementAccess(String basePath, List<byte[]> tokenHashes) {
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.openPaths = Set.of(this.basePath + "/health", this.basePath + "/health/liveness",
                this.basePath + "/health/readiness");
        this.tokenHashes = List.copyOf(tokenHashes);
    }

    public boolean hasTokens() {
        return !tokenHashes.isEmpty();
    }

    /**
     * @param path                the request's path within the application (decoded, normalised)
     * @param authorizationHeader the request's {@code Authorization} header, or null
     */
    public Verdict decide(String path, String authorizationHeader) {
        if (!path.equals(basePath) && !path.startsWith(basePath + "/")) {
            return new Verdict(Access.NOT_MANAGEMENT, null);
        }
        boolean open = openPaths.contains(path);
        BearerTokens.Presented presented = BearerTokens.fromHeader(authorizationHeader);
        if (presented.token() != null
                && BearerTokens.match(BearerTokens.sha256(presented.token()), tokenHashes) >= 0) {
            return new Verdict(Access.AUTHORIZED, null);
        }
        if (open) {
            return new Verdict(Access.STATUS_ONLY, null);
        }
        if (tokenHashes.isEmpty()) {
            return new Verdict(Access.REFUSED, path + " needs the management token, and none is configured "
                    + "(migratekit.management.token-sha256, environment MIGRATEKIT_MANAGEMENT_TOKEN_SHA256)");
        }
        return new Verdict(Access.REFUSED, path + " needs the management token (Authorization: Bearer <token>): "
                + (presented.token() == null ? presented.failure() : "Invalid bearer token"));
    }
}
