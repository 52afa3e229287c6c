package io.migratekit.vma;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * vCenter credentials by vCenter host, from configuration only. They are passed to the VMA on the
 * calls that need them and nowhere else: never in events, logs, the database or error messages
 * ({@link #toString()} shows hosts, never passwords).
 */
public final class VcenterCredentials {

    /** One vCenter's login. */
    public record Login(String vcenterHost, String username, String password) {
        @Override
        public String toString() {
            return "Login[vcenterHost=" + vcenterHost + ", username=" + username + ", password=<redacted>]";
        }
    }

    private final List<Login> logins;
    private final Login fallback;

    /**
     * @param logins   per-host logins
     * @param fallback login for any host without its own, or null for none
     */
    public VcenterCredentials(List<Login> logins, Login fallback) {
        this.logins = List.copyOf(logins);
        this.fallback = fallback;
    }

    /** The login for this vCenter host, else the fallback, else empty. */
    public Optional<Login> forHost(String vcenterHost) {
        if (vcenterHost != null) {
            String wanted = vcenterHost.toLowerCase(Locale.ROOT);
            for (Login login : logins) {
                if (login.vcenterHost() != null && login.vcenterHost().toLowerCase(Locale.ROOT).equals(wanted)) {
                    return Optional.of(login);
                }
            }
        }
        return Optional.ofNullable(fallback);
    }

    @Override
    public String toString() {
        return "VcenterCredentials[hosts=" + logins.stream().map(Login::vcenterHost).toList()
                + ", fallback=" + (fallback != null) + "]";
    }
}
