package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventTest {

    private static List<SseEvent> parse(String... lines) {
        SseEvent.Parser parser = new SseEvent.Parser();
        List<SseEvent> events = new ArrayList<>();
        for (String line : lines) {
            parser.line(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void eventsAreCutAtBlankLinesWithTheirIdTypeAndData() {
        List<SseEvent> events = parse("id:e1", "event:JobCreated", "data:{\"a\":1}", "",
                "id: e2", "event: JobProgress", "data: {\"b\":2}", "");

        assertThat(events).containsExactly(new SseEvent("e1", "JobCreated", "{\"a\":1}"),
                new SseEvent("e2", "JobProgress", "{\"b\":2}"));
    }

    @Test
    void commentsAndUnknownFieldsAreSkippedAndDataLinesJoined() {
        List<SseEvent> events = parse(": keep-alive", "", "retry: 5", "data: one", "data: two", "", "");

        assertThat(events).containsExactly(new SseEvent(null, "message", "one\ntwo"));
    }

    @Test
    void anEventNotEndedByABlankLineIsNotDelivered() {
        assertThat(parse("event: JobCompleted", "data: {}")).isEmpty();
    }
}
