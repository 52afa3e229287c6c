package io.migratekit.intake.callback;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The callback listener for the VMA copy engine (environment: {@code MIGRATEKIT_INTAKE_CALLBACK_LISTENER_PORT},
 * {@code ..._ADDRESS}, {@code ..._ALLOWED_SOURCES_0}, {@code ..._ALLOWED_SOURCES_1}, ...). Without a port
 * there is no listener; with one, at least one allowed source is required.
 */
@ConfigurationProperties("migratekit.intake.callback-listener")
public class CallbackListenerProperties {

    /** Port of the listener (0: any free port); unset: no listener. */
    private Integer port;
    /** Address the listener binds to: the one the VMA's tunnel reaches. */
    private String address = "127.0.0.1";
    /** Source addresses or CIDR blocks whose callbacks are accepted (the VMA tunnel's end). */
    private List<String> allowedSources = new ArrayList<>();

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public List<String> getAllowedSources() {
        return allowedSources;
    }

    public void setAllowedSources(List<String> allowedSources) {
        this.allowedSources = allowedSources;
    }
}
