package io.migratekit.vmasim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import tools.jackson.databind.JsonNode;

/**
 * One HTTP response to write: status, content type and body. Errors are plain text, like the real
 * VMA's. Owns nothing but the value.
 */
record SimResponse(int status, String contentType, byte[] body) {

    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";

    static SimResponse json(int status, JsonNode node) {
        return new SimResponse(status, JSON, Json.write(node));
    }

    static SimResponse ok(JsonNode node) {
        return json(200, node);
    }

    /** 200 with a JSON content type and the first half of the node's JSON: what a VMA cut off mid-answer sends. */
    static SimResponse truncated(JsonNode node) {
        byte[] whole = Json.write(node);
        return new SimResponse(200, JSON, Arrays.copyOf(whole, whole.length / 2));
    }

    static SimResponse text(int status, String message) {
        return new SimResponse(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** No answer at all: the connection is closed once the request was handled. */
    static final SimResponse CONNECTION_DROPPED = new SimResponse(0, null, new byte[0]);

    static SimResponse noContent() {
        return new SimResponse(204, null, new byte[0]);
    }
}
