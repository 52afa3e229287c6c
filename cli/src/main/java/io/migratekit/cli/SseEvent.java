package io.migratekit.cli;

import java.util.Optional;

/**
 * One server-sent event (its {@code id}, {@code event} type and {@code data}), and the parser that
 * cuts a stream's lines into events: fields until a blank line, comments and unknown fields
 * skipped, several {@code data:} lines joined by newlines. Pure.
 */
public record SseEvent(String id, String type, String data) {

    /** Accumulates the lines of one event at a time. */
    public static final class Parser {

        private String id;
        private String type;
        private StringBuilder data;

        /** Feeds one line; answers the event a blank line completes. */
        public Optional<SseEvent> line(String line) {
            if (line.isEmpty()) {
                Optional<SseEvent> event = type == null && data == null ? Optional.empty()
                        : Optional.of(new SseEvent(id, type == null ? "message" : type,
                                data == null ? "" : data.toString()));
                id = null;
                type = null;
                data = null;
                return event;
            }
            int colon = line.indexOf(':');
            if (colon == 0) {
                return Optional.empty();
            }
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> type = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
            return Optional.empty();
        }
    }
}
