package io.migratekit.vmasim;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The VMA calls whose answers a fault can garble ({@link VmFaults#malformedJson}). Owns the names
 * of the calls in the fault JSON; not how a call answers (that is the API handler).
 */
public enum VmaCall {
    DISCOVER, REPLICATE, PROGRESS;

    /** The calls listed in a fault JSON array of names ({@code ["discover", "progress"]}); absent means none. */
    static Set<VmaCall> parse(JsonNode names) {
        Set<VmaCall> calls = EnumSet.noneOf(VmaCall.class);
        if (names == null || names.isNull() || names.isMissingNode()) {
            return calls;
        }
        if (!names.isArray()) {
            throw HttpError.badRequest("malformed_json must be an array of: " + allNames());
        }
        for (JsonNode name : names) {
            calls.add(Arrays.stream(values()).filter(c -> c.name().equalsIgnoreCase(name.asString().trim()))
                    .findFirst().orElseThrow(() -> HttpError.badRequest("malformed_json must name calls among: "
                            + allNames() + ", not '" + name.asString() + "'")));
        }
        return calls;
    }

    static void write(Set<VmaCall> calls, ArrayNode into) {
        calls.forEach(call -> into.add(call.name().toLowerCase(Locale.ROOT)));
    }

    private static String allNames() {
        return Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
