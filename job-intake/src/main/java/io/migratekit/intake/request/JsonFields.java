package io.migratekit.intake.request;

import io.migratekit.intake.api.ApiProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/**
 * Typed, bounded access to the fields of one JSON object, with error details that name the field
 * by its full path ({@code source_vm.disks[1].size_gb}). Absent and {@code null} fields read as
 * absent; an empty string reads as absent for optional strings (the original clients send
 * {@code ""} for "not set"). Unknown fields are ignored. Never echoes a value in an error.
 */
final class JsonFields {

    private final JsonNode object;
    private final String path;

    private JsonFields(JsonNode object, String path) {
        this.object = object;
        this.path = path;
    }

    /** The fields of {@code node}, which must be a JSON object. */
    static JsonFields of(JsonNode node, String path, String what) {
        if (node == null || !node.isObject()) {
            throw ApiProblem.invalidPayload(what + " must be a JSON object");
        }
        return new JsonFields(node, path);
    }

    String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean isPresent(String field) {
        JsonNode value = object.get(field);
        return value != null && !value.isNull();
    }

    JsonNode raw(String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A string, or null when absent, null or empty. */
    String optionalString(String field, int maxLength) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw ApiProblem.invalidPayload(name(field) + " must be a string");
        }
        String text = value.asString();
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() > maxLength) {
            throw ApiProblem.invalidPayload(name(field) + " is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !validSurrogateAt(text, i)) {
                throw ApiProblem.invalidPayload(name(field) + " contains control characters or invalid Unicode");
            }
        }
        return text;
    }

    /** A string that must carry more than blanks, or null when absent (the caller decides what absent means). */
    String nonBlankString(String field, int maxLength) {
        String text = optionalString(field, maxLength);
        return text == null || text.isBlank() ? null : text;
    }

    Integer optionalInt(String field, int min, int max) {
        Long value = optionalLong(field, min, max);
        return value == null ? null : value.intValue();
    }

    Long optionalLong(String field, long min, long max) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiProblem.invalidPayload(name(field) + " must be an integer");
        }
        long number = value.asLong();
        if (number < min || number > max) {
            throw ApiProblem.invalidPayload(name(field) + " must be between " + min + " and " + max);
        }
        return number;
    }

    Boolean optionalBoolean(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiProblem.invalidPayload(name(field) + " must be true or false");
        }
        return value.asBoolean();
    }

    /** The fields of a nested object, or null when absent. */
    JsonFields optionalObject(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiProblem.invalidPayload(name(field) + " must be a JSON object");
        }
        return new JsonFields(value, name(field));
    }

    /** Each object of an array field, read by {@code reader}; empty when absent. */
    <T> List<T> optionalObjects(String field, int maxItems, BiFunction<JsonFields, Integer, T> reader) {
        JsonNode value = raw(field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiProblem.invalidPayload(name(field) + " must be an array");
        }
        if (value.size() > maxItems) {
            throw ApiProblem.invalidPayload(name(field) + " has more than " + maxItems + " entries");
        }
        List<T> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = name(field) + "[" + i + "]";
            if (item == null || !item.isObject()) {
                throw ApiProblem.invalidPayload(itemPath + " must be a JSON object");
            }
            items.add(reader.apply(new JsonFields(item, itemPath), i));
        }
        return List.copyOf(items);
    }

    private static boolean validSurrogateAt(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
