package io.migratekit.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dotted paths into a JSON request body ({@code source_vm.disks[0].id}), for the tests that change
 * one field at a time. Owns nothing but the path syntax.
 */
final class JsonPaths {

    private JsonPaths() {
    }

    /** The paths of every leaf (not an object, not an array) of a JSON object that matches. */
    static List<String> leaves(JsonNode node, Predicate<JsonNode> wanted) {
        List<String> found = new ArrayList<>();
        collect(node, "", wanted, found);
        return found;
    }

    private static void collect(JsonNode node, String path, Predicate<JsonNode> wanted, List<String> found) {
        if (node.isObject()) {
            node.properties().forEach(e -> collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                    wanted, found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", wanted, found);
            }
        } else if (wanted.test(node)) {
            found.add(path);
        }
    }

    /** Replaces the value at a path given by {@link #leaves}. */
    static void replace(ObjectNode root, String path, JsonNode value) {
        JsonNode parent = root;
        String[] steps = path.split("\\.");
        for (int i = 0; i < steps.length - 1; i++) {
            parent = child(parent, steps[i]);
        }
        String last = steps[steps.length - 1];
        int bracket = last.indexOf('[');
        if (bracket < 0) {
            ((ObjectNode) parent).set(last, value);
        } else {
            ((ArrayNode) parent.get(last.substring(0, bracket))).set(index(last, bracket), value);
        }
    }

    /** The last field name of a path, without an array index: what a validation message names. */
    static String lastName(String path) {
        String last = path.substring(path.lastIndexOf('.') + 1);
        int bracket = last.indexOf('[');
        return bracket < 0 ? last : last.substring(0, bracket);
    }

    private static JsonNode child(JsonNode node, String step) {
        int bracket = step.indexOf('[');
        return bracket < 0 ? node.get(step) : node.get(step.substring(0, bracket)).get(index(step, bracket));
    }

    private static int index(String step, int bracket) {
        return Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
    }
}
