package io.migratekit.discovery;

import io.migratekit.infra.SharedTestInfrastructure;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * discovery-service started the way the standalone launcher starts it: from code, with
 * {@link SpringApplicationBuilder} and properties, against the shared broker and registry, on a random
 * HTTP port, in the production consumer group. One vCenter login is configured, for {@link #VCENTER}.
 */
final class RunningService implements AutoCloseable {

    static final String VCENTER = "vc-sim.test";
    static final String VCENTER_USER = "svc-discovery@vsphere.test";
    static final String VCENTER_PASSWORD = "only-a-test-password";
    static final String GROUP = "discovery-service";

    private final ConfigurableApplicationContext context;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static RunningService start(SharedTestInfrastructure infra, String vmaUrl, Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("migratekit.registry.url", infra.registryBaseUrl());
        properties.put("migratekit.vma.url", vmaUrl);
        properties.put("migratekit.vma.credentials[0].vcenter-host", VCENTER);
        properties.put("migratekit.vma.credentials[0].username", VCENTER_USER);
        properties.put("migratekit.vma.credentials[0].password", VCENTER_PASSWORD);
        properties.put("server.port", "0");
        properties.putAll(more);
        // The platform's defaults file outranks SpringApplicationBuilder properties for the keys it sets
        // (spring.kafka.*), so the broker address goes in as a command-line argument.
        return new RunningService(new SpringApplicationBuilder(DiscoveryServiceApplication.class)
                .main(DiscoveryServiceApplication.class)
                .properties(properties)
                .run("--spring.kafka.bootstrap-servers=" + infra.bootstrapServers()));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
