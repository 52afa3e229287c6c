package io.migratekit.cli;

import tools.jackson.databind.JsonNode;

/** Reading the API's JSON answers: a field as text or number, with null for absent or JSON null. */
final class Json {

    private Json() {
    }

    static String text(JsonNode node, String field) {
        return text(node, field, null);
    }

    static String text(JsonNode node, String field, String orElse) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? orElse : value.asString();
    }

    static Double number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isNumber() ? null : value.asDouble();
    }

    static long whole(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isNumber() ? 0L : value.asLong();
    }

    static boolean has(JsonNode node, String field) {
        return text(node, field) != null;
    }
}
