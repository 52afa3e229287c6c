package io.migratekit.vmasim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.node.ObjectNode;

/**
 * One HTTP request as the handlers see it: method, decoded path segments, query parameters and the
 * raw body. Owns decoding only; routing is the handlers' job.
 */
record SimRequest(String method, List<String> segments, Map<String, String> query, byte[] body) {

    static SimRequest of(String method, String rawPath, String rawQuery, byte[] body) {
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                query.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
        }
        return new SimRequest(method, Collections.unmodifiableList(segments), Collections.unmodifiableMap(query), body);
    }

    /** The body as a JSON object (400 if it is not one). */
    ObjectNode json() {
        return Json.parseObject(body);
    }

    /** Segment i, or null. */
    String segment(int i) {
        return i < segments.size() ? segments.get(i) : null;
    }

    boolean is(String m) {
        return method.equalsIgnoreCase(m);
    }
}
