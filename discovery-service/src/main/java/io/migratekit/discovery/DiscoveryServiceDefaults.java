package io.migratekit.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Adds this service's own defaults ({@value #RESOURCE}: service name, port 8083, discovery settings)
 * beneath every other setting, and only to {@link DiscoveryServiceApplication}. A root
 * {@code application.properties} would instead shadow the other services' files when all services
 * share one classpath (the standalone launcher), and would override what a launcher passes to
 * {@code SpringApplicationBuilder.properties(...)}; here the launcher's values win.
 */
public class DiscoveryServiceDefaults implements EnvironmentPostProcessor {

    static final String RESOURCE = "io/migratekit/discovery/discovery-service-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!application.getAllSources().contains(DiscoveryServiceApplication.class)) {
            return;
        }
        Map<String, Object> merged = new HashMap<>();
        try {
            PropertiesLoaderUtils.loadProperties(new ClassPathResource(RESOURCE))
                    .forEach((key, value) -> merged.put((String) key, value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> given = sources.get(DefaultPropertiesPropertySource.NAME);
        if (given != null && given.getSource() instanceof Map<?, ?> values) {
            values.forEach((key, value) -> merged.put(String.valueOf(key), value));
            sources.replace(DefaultPropertiesPropertySource.NAME, new DefaultPropertiesPropertySource(merged));
        } else {
            sources.addLast(new DefaultPropertiesPropertySource(merged));
        }
    }
}
