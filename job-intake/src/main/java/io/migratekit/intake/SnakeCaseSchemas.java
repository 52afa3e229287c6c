package io.migratekit.intake;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Names the properties of the documented schemas as the API writes them (snake_case, like
 * {@code spring.jackson.property-naming-strategy}); springdoc reads the Java names.
 */
class SnakeCaseSchemas implements OpenApiCustomizer {

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        for (Schema schema : openApi.getComponents().getSchemas().values()) {
            Map<String, Schema> properties = schema.getProperties();
            if (properties != null) {
                Map<String, Schema> renamed = new LinkedHashMap<>();
                properties.forEach((name, property) -> renamed.put(snake(name), property));
                schema.setProperties(renamed);
            }
            List<String> required = schema.getRequired();
            if (required != null) {
                schema.setRequired(required.stream().map(SnakeCaseSchemas::snake).toList());
            }
        }
    }

    static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
