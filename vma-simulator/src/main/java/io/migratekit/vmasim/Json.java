package io.migratekit.vmasim;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's single Jackson 3 mapper and the lenient field readers used for request bodies,
 * inventory files and fault definitions.
 *
 * <p>Owns JSON parsing and writing only; the meaning of fields belongs to the callers. Readers
 * throw {@link HttpError} (400) for wrong types so that a bad request body becomes a plain-text 400.
 */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static byte[] write(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    /** Parses a request body that must be a JSON object; an empty body is an empty object. */
    static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            return object();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw HttpError.badRequest("invalid JSON body: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw HttpError.badRequest("request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** A string field; numbers and booleans are accepted as their text; missing or null gives null. */
    static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asString();
        }
        throw HttpError.badRequest("field '" + field + "' must be a string");
    }

    /** A string field with a default for missing or null. */
    static String text(JsonNode parent, String field, String defaultValue) {
        String value = text(parent, field);
        return value != null ? value : defaultValue;
    }

    /** An integral field; numeric strings are accepted; missing or null gives the default. */
    static long integer(JsonNode parent, String field, long defaultValue) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return defaultValue;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return Math.round(node.asDouble());
        }
        if (node.isString()) {
            try {
                return Long.parseLong(node.stringValue().trim());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("field '" + field + "' must be an integer");
            }
        }
        throw HttpError.badRequest("field '" + field + "' must be an integer");
    }

    /** A numeric field; missing or null gives the default. */
    static double number(JsonNode parent, String field, double defaultValue) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return defaultValue;
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isString()) {
            try {
                return Double.parseDouble(node.stringValue().trim());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("field '" + field + "' must be a number");
            }
        }
        throw HttpError.badRequest("field '" + field + "' must be a number");
    }

    /** A boolean field; "true"/"false" strings are accepted; missing or null gives the default. */
    static boolean bool(JsonNode parent, String field, boolean defaultValue) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return defaultValue;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString() && ("true".equalsIgnoreCase(node.stringValue()) || "false".equalsIgnoreCase(node.stringValue()))) {
            return Boolean.parseBoolean(node.stringValue());
        }
        throw HttpError.badRequest("field '" + field + "' must be a boolean");
    }

    /** An array field; missing or null gives an empty array. */
    static ArrayNode arrayField(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull() || node.isMissingNode()) {
            return array();
        }
        if (!node.isArray()) {
            throw HttpError.badRequest("field '" + field + "' must be an array");
        }
        return (ArrayNode) node;
    }
}
