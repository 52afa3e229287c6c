package io.migratekit.platform;

import io.migratekit.vma.VcenterCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the VMA is, where it calls us back, and the vCenter logins it needs — from configuration
 * only (environment: {@code MIGRATEKIT_VMA_URL}, {@code MIGRATEKIT_VMA_CREDENTIALS_0_VCENTER_HOST},
 * {@code ..._USERNAME}, {@code ..._PASSWORD}, or {@code MIGRATEKIT_VMA_DEFAULT_USERNAME} /
 * {@code _PASSWORD} for every vCenter). There are no default credentials.
 */
@ConfigurationProperties("migratekit.vma")
public class VmaProperties {

    /** Base URL of the VMA. */
    private String url = "http://127.0.0.1:8081";
    /** Our REST API as the VMA's copy engine reaches it (the replicate call's oma_url). */
    private String omaUrl = "http://127.0.0.1:8082";
    /** Deadline of one discovery call. */
    private Duration discoveryTimeout = Duration.ofSeconds(15);
    /** Deadline of the other calls. */
    private Duration callTimeout = Duration.ofSeconds(30);
    private final List<Credential> credentials = new ArrayList<>();
    private String defaultUsername;
    private String defaultPassword;

    public VcenterCredentials vcenterCredentials() {
        List<VcenterCredentials.Login> logins = credentials.stream()
                .map(c -> new VcenterCredentials.Login(c.getVcenterHost(), c.getUsername(), c.getPassword()))
                .toList();
        VcenterCredentials.Login fallback = defaultUsername == null || defaultUsername.isBlank()
                ? null : new VcenterCredentials.Login(null, defaultUsername, defaultPassword);
        return new VcenterCredentials(logins, fallback);
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getOmaUrl() {
        return omaUrl;
    }

    public void setOmaUrl(String omaUrl) {
        this.omaUrl = omaUrl;
    }

    public Duration getDiscoveryTimeout() {
        return discoveryTimeout;
    }

    public void setDiscoveryTimeout(Duration discoveryTimeout) {
        this.discoveryTimeout = discoveryTimeout;
    }

    public Duration getCallTimeout() {
        return callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    public List<Credential> getCredentials() {
        return credentials;
    }

    public String getDefaultUsername() {
        return defaultUsername;
    }

    public void setDefaultUsername(String defaultUsername) {
        this.defaultUsername = defaultUsername;
    }

    public String getDefaultPassword() {
        return defaultPassword;
    }

    public void setDefaultPassword(String defaultPassword) {
        this.defaultPassword = defaultPassword;
    }

    @Override
    public String toString() {
        return "VmaProperties[url=" + url + ", omaUrl=" + omaUrl + ", credentials=" + vcenterCredentials() + "]";
    }

    /** One vCenter's login. */
    public static class Credential {
        private String vcenterHost;
        private String username;
        private String password;

        public String getVcenterHost() {
            return vcenterHost;
        }

        public void setVcenterHost(String vcenterHost) {
            this.vcenterHost = vcenterHost;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        @Override
        public String toString() {
            return "Credential[vcenterHost=" + vcenterHost + ", username=" + username + ", password=<redacted>]";
        }
    }
}
