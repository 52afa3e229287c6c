package io.migratekit.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Merges {@code migratekit-platform-defaults.properties} into the lowest-precedence property source
 * of every service (Spring's default properties), so the shared Kafka, registry and health settings
 * are written once and anything else — the service's files, the environment, a launcher's
 * {@code SpringApplicationBuilder.properties(...)} — overrides them. Owns no service-specific setting.
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    static final String RESOURCE = "migratekit-platform-defaults.properties";
    /** The name Spring Boot gives the default properties and keeps last. */
    static final String DEFAULT_PROPERTIES = "defaultProperties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> merged = new HashMap<>();
        try {
            merged.putAll(new ResourcePropertySource(RESOURCE, new ClassPathResource(RESOURCE)).getSource());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        PropertySource<?> existing = environment.getPropertySources().get(DEFAULT_PROPERTIES);
        if (existing instanceof MapPropertySource map) {
            merged.putAll(map.getSource());
        }
        MapPropertySource defaults = new MapPropertySource(DEFAULT_PROPERTIES, merged);
        if (existing != null) {
            environment.getPropertySources().replace(DEFAULT_PROPERTIES, defaults);
        } else {
            environment.getPropertySources().addLast(defaults);
        }
    }
}
