package io.migratekit.intake.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The order and the end of one client's stream, without a web server: what the client is sent
 * (recorded by the emitter), in which order, and when the stream ends and frees its slot.
 */
class JobEventStreamTest {

    private final RecordingEmitter emitter = new RecordingEmitter();
    private final AtomicInteger closed = new AtomicInteger();

    @Test
    void liveEventsDuringTheReplayFollowThePastWithoutTheOnesItHadAndTheStreamEndsAfterTheTerminalOne() {
        JobEventStream stream = new JobEventStream("job-1", emitter, Runnable::run, 10, s -> closed.incrementAndGet());
        JobEvent created = event("e1", "JobCreated");
        JobEvent started = event("e2", "JobStarted");
        JobEvent progress = event("e3", "JobProgress");
        JobEvent completed = event("e4", "JobCompleted");

        // given: while the past is read, the feed delivers an event the past also has and a newer one
        stream.live(started);
        stream.live(progress);
        assertThat(emitter.sent).isEmpty();

        // when: the past arrives, then the job's end and a late duplicate
        stream.replayed(List.of(created, started), false);
        stream.live(completed);
        stream.live(event("e5", "JobProgress"));

        // then: each event once, in order, the stream completed once and its slot freed once
        assertThat(emitter.sent).containsExactly("e1 JobCreated", "e2 JobStarted", "e3 JobProgress", "e4 JobCompleted");
        assertThat(emitter.completions).isEqualTo(1);
        assertThat(closed).hasValue(1);
    }

    @Test
    void aJobThatEndedWithoutItsTerminalEventOnTheTopicsEndsAfterItsPast() {
        JobEventStream stream = new JobEventStream("job-1", emitter, Runnable::run, 10, s -> closed.incrementAndGet());

        stream.replayed(List.of(event("e1", "JobCreated")), true);

        assertThat(emitter.sent).containsExactly("e1 JobCreated");
        assertThat(emitter.completions).isEqualTo(1);
        assertThat(closed).hasValue(1);
    }

    @Test
    void aClientThatLetsItsOutboxOverflowIsDisconnectedAndQuietStreamsGetHeartbeats() {
        List<Runnable> pending = new ArrayList<>();
        JobEventStream stream = new JobEventStream("job-1", emitter, pending::add, 2, s -> closed.incrementAndGet());
        stream.replayed(List.of(), false);
        stream.heartbeat();
        pending.remove(0).run();
        assertThat(emitter.sent).containsExactly(":keep-alive");

        // when: three events wait for a sender that has not run yet (room for two)
        stream.live(event("e1", "JobProgress"));
        stream.live(event("e2", "JobProgress"));
        stream.live(event("e3", "JobProgress"));
        pending.forEach(Runnable::run);

        // then: nothing of them is sent, the stream ends and frees its slot
        assertThat(emitter.sent).containsExactly(":keep-alive");
        assertThat(emitter.completions).isEqualTo(1);
        assertThat(closed).hasValue(1);
    }

    private static JobEvent event(String id, String type) {
        return new JobEvent(type, id, "job-1", "vm-1", Instant.EPOCH, Map.of("event_id", id));
    }

    /** Records what would be written to the client, as "id type" or the comment. */
    private static final class RecordingEmitter extends SseEmitter {
        final List<String> sent = new ArrayList<>();
        int completions;

        @Override
        public void send(SseEventBuilder builder) {
            String text = builder.build().stream().map(part -> String.valueOf(part.getData()))
                    .collect(Collectors.joining());
            String id = field(text, "id:");
            sent.add(id == null ? text.strip() : id + " " + field(text, "event:"));
        }

        @Override
        public synchronized void complete() {
            completions++;
        }

        private static String field(String text, String name) {
            return text.lines().filter(line -> line.startsWith(name)).map(line -> line.substring(name.length()))
                    .findFirst().orElse(null);
        }
    }
}
