package io.migratekit.intake.events;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of every job and every failover for the console's one stream per browser ({@code GET /api/v1/events}),
 * resumable: each event read from the shared {@link LiveJobEvents} feed gets a stream id
 * {@code <epoch>-<sequence>} and the latest {@code capacity} of them are kept in memory, so a
 * client that reconnects with {@code Last-Event-ID} gets what it missed. A client whose id is not
 * in memory any more (it was away too long, or job-intake restarted: a new epoch) gets a
 * {@value #RESYNC} event instead and reloads its data; a new client gets {@value #READY}. The feed
 * is subscribed when the first console connects and stays subscribed (from then on job-intake
 * decodes every job and failover event, which the per-job streams alone avoid). Owns the sequence and the
 * memory; the streams are {@link JobEventStream}'s.
 */
public final class ConsoleEvents {

    /** The first event of a new stream, or of one resumed: its id is where the client stands. */
    public static final String READY = "ready";
    /** The first event of a stream whose {@code Last-Event-ID} cannot be resumed: reload everything. */
    public static final String RESYNC = "resync";

    private static final Logger log = LoggerFactory.getLogger(ConsoleEvents.class);

    private final LiveJobEvents feed;
    private final int capacity;
    private final Clock clock;
    private final String epoch = UUID.randomUUID().toString().substring(0, 8);
    private final Deque<JobEvent> recent = new ArrayDeque<>();
    private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    private long lastSequence;
    private AutoCloseable subscription;

    /** One attached client: its first events (a control event, then any it missed) and its detach handle. */
    public record Attached(List<JobEvent> first, AutoCloseable detach) {
    }

    /** @param capacity how many of the latest events are kept for clients that reconnect */
    public ConsoleEvents(LiveJobEvents feed, int capacity, Clock clock) {
        this.feed = feed;
        this.capacity = capacity;
        this.clock = clock;
    }

    /**
     * Hands every event from now on to {@code listener} (which must not block) and answers the events
     * the client is to get first: {@value #READY} (its id the client's, or the latest) followed by the
     * events after {@code lastEventId}, or {@value #RESYNC} when those are no longer known. An event
     * may reach the listener and also be among the first: the stream drops it by id.
     */
    public Attached attach(String lastEventId, Consumer<JobEvent> listener) {
        List<JobEvent> first = new ArrayList<>();
        synchronized (this) {
            if (subscription == null) {
                subscription = feed.subscribeAll(this::accept);
            }
            listeners.add(listener);
            String latest = id(lastSequence);
            long resumeAfter = resumable(lastEventId);
            if (lastEventId == null || lastEventId.isBlank()) {
                first.add(control(READY, latest, Map.of("resumed", false)));
            } else if (resumeAfter < 0) {
                first.add(control(RESYNC, latest, Map.of("reason", "events after " + lastEventId
                        + " are no longer kept (the latest " + capacity + " are); reload")));
            } else {
                first.add(control(READY, lastEventId, Map.of("resumed", true)));
                recent.stream().filter(event -> sequenceOf(event.eventId()) > resumeAfter).forEach(first::add);
            }
        }
        return new Attached(first, () -> listeners.remove(listener));
    }

    /** The sequence to resume after, or -1 when the id is not this epoch's or older than the memory. */
    private long resumable(String lastEventId) {
        if (lastEventId == null || !lastEventId.startsWith(epoch + "-")) {
            return -1;
        }
        long sequence = sequenceOf(lastEventId);
        long oldestKept = recent.isEmpty() ? lastSequence + 1 : sequenceOf(recent.peekFirst().eventId());
        return sequence >= oldestKept - 1 && sequence <= lastSequence ? sequence : -1;
    }

    /** An event of the feed (its listener thread). */
    private void accept(JobEvent event) {
        JobEvent numbered;
        synchronized (this) {
            numbered = event.renumbered(id(++lastSequence));
            recent.addLast(numbered);
            if (recent.size() > capacity) {
                recent.removeFirst();
            }
        }
        for (Consumer<JobEvent> listener : listeners) {
            try {
                listener.accept(numbered);
            } catch (RuntimeException e) {
                log.warn("a console stream failed on {}: {}", event.type(), e.toString());
            }
        }
    }

    /** Clients attached now. */
    public int attached() {
        return listeners.size();
    }

    private String id(long sequence) {
        return epoch + "-" + sequence;
    }

    private static long sequenceOf(String id) {
        int dash = id.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private JobEvent control(String type, String id, Map<String, Object> data) {
        return new JobEvent(type, id, null, null, clock.instant(), data);
    }
}
