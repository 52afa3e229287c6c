package io.migratekit.cssim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The simulator's single Jackson 3 mapper and CloudStack's date format. Owns JSON plumbing only. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final DateTimeFormatter CLOUDSTACK_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** CloudStack writes dates as {@code 2026-12-06T10:15:00+0000}. */
    static String date(long epochMillis) {
        return CLOUDSTACK_DATE.format(Instant.ofEpochMilli(epochMillis));
    }
}
