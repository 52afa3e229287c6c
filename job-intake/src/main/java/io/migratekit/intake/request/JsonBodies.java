package io.migratekit.intake.request;

import io.migratekit.intake.api.ApiProblem;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request body as one strict JSON document: bounded nesting, no duplicate keys, nothing
 * after the value. Anything else is a 400 "Invalid request payload" naming where it broke, never
 * what it said.
 */
final class JsonBodies {

    static final int MAX_NESTING = 32;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBodies() {
    }

    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiProblem.invalidPayload("the request body is empty");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiProblem.invalidPayload("the request body is not valid JSON" + location(e));
        }
    }

    private static String location(JacksonException e) {
        if (e.getLocation() == null || e.getLocation().getLineNr() < 0) {
            return "";
        }
        return " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
