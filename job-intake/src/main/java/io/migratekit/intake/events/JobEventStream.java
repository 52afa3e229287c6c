package io.migratekit.intake.events;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's server-sent event stream: of one job, or of every job (the console's, which does
 * not end with a job's terminal event). Live events that arrive while the job's past is
 * being replayed are held back, then sent after the past without the ones the replay already had
 * (same event id), so the client gets every event once and in order; the stream completes after
 * the job's terminal event. Events wait in a bounded outbox and are written by the shared sender
 * threads, never by the feed's listener thread: a slow client that lets its outbox overflow is
 * disconnected. Owns its outbox and the end of its stream; not the feed, not the replay.
 */
final class JobEventStream {

    private static final Logger log = LoggerFactory.getLogger(JobEventStream.class);

    private final String what;
    private final boolean endsWithJob;
    private final SseEmitter emitter;
    private final Executor senders;
    private final int capacity;
    private final Consumer<JobEventStream> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Deque<JobEvent> outbox = new ArrayDeque<>();
    private List<JobEvent> held = new ArrayList<>();
    private AutoCloseable subscription;
    private boolean endQueued;
    private boolean overflowed;
    private boolean sending;
    private boolean heartbeatDue;

    JobEventStream(String jobId, SseEmitter emitter, Executor senders, int capacity, Consumer<JobEventStream> onClose) {
        this("job " + jobId, true, emitter, senders, capacity, onClose);
    }

    /**
     * @param what        the job id, or what the stream carries (for logs)
     * @param endsWithJob whether the stream ends after a terminal event
     */
    JobEventStream(String what, boolean endsWithJob, SseEmitter emitter, Executor senders, int capacity,
            Consumer<JobEventStream> onClose) {
        this.what = what;
        this.endsWithJob = endsWithJob;
        this.emitter = emitter;
        this.senders = senders;
        this.capacity = capacity;
        this.onClose = onClose;
        emitter.onCompletion(this::close);
        emitter.onError(error -> close());
        emitter.onTimeout(emitter::complete);
    }

    SseEmitter emitter() {
        return emitter;
    }

    synchronized void subscribed(AutoCloseable subscription) {
        this.subscription = subscription;
        if (closed.get()) {
            unsubscribe();
        }
    }

    /** A live event from the feed (listener thread: never blocks). */
    synchronized void live(JobEvent event) {
        if (closed.get()) {
            return;
        }
        if (held != null) {
            if (held.size() >= capacity) {
                overflow();
            } else {
                held.add(event);
            }
            return;
        }
        queue(event);
        schedule();
    }

    /**
     * The job's past, then the live events held meanwhile that the past did not have.
     *
     * @param endedWithoutEnd the job is known to have ended but its terminal event is no longer on
     *                        the topics: the stream ends after the past
     */
    synchronized void replayed(List<JobEvent> past, boolean endedWithoutEnd) {
        Set<String> replayedIds = past.stream().map(JobEvent::eventId).collect(Collectors.toSet());
        past.forEach(this::queue);
        held.stream().filter(event -> !replayedIds.contains(event.eventId())).forEach(this::queue);
        held = null;
        endQueued |= endedWithoutEnd;
        schedule();
    }

    private void queue(JobEvent event) {
        if (endQueued || overflowed) {
            return;
        }
        if (outbox.size() >= capacity) {
            overflow();
            return;
        }
        outbox.add(event);
        endQueued = endsWithJob && event.terminal();
    }

    private void overflow() {
        log.warn("event stream of {} closed: the client does not read fast enough ({} events waiting)", what,
                capacity);
        overflowed = true;
        outbox.clear();
        schedule();
    }

    /**
     * Sends an SSE comment when nothing else is waiting: keeps proxies from cutting a quiet stream and
     * finds a client that went away (the write fails), so its slot is freed.
     */
    synchronized void heartbeat() {
        if (held == null && !closed.get()) {
            heartbeatDue = true;
            schedule();
        }
    }

    private void schedule() {
        if (!sending && (!outbox.isEmpty() || overflowed || heartbeatDue || (endQueued && held == null))) {
            sending = true;
            senders.execute(this::send);
        }
    }

    /** On a sender thread: writes what waits, then ends the stream if the job ended. */
    private void send() {
        while (true) {
            JobEvent next;
            boolean heartbeat;
            synchronized (this) {
                next = outbox.poll();
                heartbeat = next == null && heartbeatDue && !endQueued && !overflowed;
                heartbeatDue = false;
                if (next == null && !heartbeat && !endQueued && !overflowed) {
                    sending = false;
                    return;
                }
            }
            if (next == null && !heartbeat) {
                // The slot is free as soon as the stream ends, not when the container reports it.
                close();
                emitter.complete();
                return;
            }
            try {
                emitter.send(heartbeat ? SseEmitter.event().comment("keep-alive")
                        : SseEmitter.event().id(next.eventId()).name(next.type())
                                .data(next.data(), MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                log.debug("event stream of {} ended by the client: {}", what, e.toString());
                close();
                return;
            }
        }
    }

    /** Stops listening and frees the stream's slot. Idempotent. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                unsubscribe();
                outbox.clear();
            }
            onClose.accept(this);
        }
    }

    private void unsubscribe() {
        if (subscription == null) {
            return;
        }
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("unsubscribing the event stream of {}: {}", what, e.toString());
        }
        subscription = null;
    }
}
