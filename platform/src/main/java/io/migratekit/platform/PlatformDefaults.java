package io.migratekit.platform;

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
 * Puts the defaults of every service beneath everything else a service is given (its environment,
 * command line, or a launcher's {@code SpringApplicationBuilder.properties(...)}): first the shared
 * {@value #PLATFORM_RESOURCE} (Kafka, registry, health), then the service's own
 * {@code service-defaults.properties} found next to its application class (port, name, service
 * settings). Services keep no root {@code application.properties}: with all services on one
 * classpath (the standalone launcher) such a file would be read by every one of them.
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    static final String PLATFORM_RESOURCE = "migratekit-platform-defaults.properties";
    static final String SERVICE_RESOURCE = "service-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> merged = new HashMap<>(load(new ClassPathResource(PLATFORM_RESOURCE)));
        for (Object source : application.getAllSources()) {
            if (source instanceof Class<?> type) {
                ClassPathResource own = new ClassPathResource(
                        type.getPackageName().replace('.', '/') + "/" + SERVICE_RESOURCE);
                if (own.exists()) {
                    merged.putAll(load(own));
                }
            }
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

    private static Map<String, Object> load(ClassPathResource resource) {
        Map<String, Object> values = new HashMap<>();
        try {
            PropertiesLoaderUtils.loadProperties(resource).forEach((key, value) -> values.put((String) key, value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource.getPath(), e);
        }
        return values;
    }
}
