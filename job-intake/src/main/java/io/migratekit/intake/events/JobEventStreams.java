package io.migratekit.intake.events;

import io.migratekit.intake.api.ApiProblem;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.apache.kafka.common.KafkaException;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Opens the event streams of jobs ({@code GET /api/v1/replications/{job_id}/events}): finds the job,
 * takes one of a bounded number of stream slots, subscribes to the shared live feed, then replays
 * the job's past from the topics, so a client gets the events so far followed by the live ones, and
 * a job that already ended gives its past and an ended stream; and the console's stream of every
 * job ({@link #openAll}). Owns the slots; the events come from
 * {@link LiveJobEvents} and {@link PastJobEvents}, the writing from {@link JobEventStream}.
 */
public class JobEventStreams {

    public static final String TOO_MANY_STREAMS = "Too many event streams";
    public static final String EVENTS_UNAVAILABLE = "Job events unavailable";

    private final JobDirectory jobs;
    private final LiveJobEvents feed;
    private final PastJobEvents replay;
    private final Executor senders;
    private final Settings settings;
    private final Semaphore slots;
    private final Set<JobEventStream> open = ConcurrentHashMap.newKeySet();

    /**
     * @param maxStreams    streams open at once over all clients
     * @param timeout       longest life of one stream (the client reconnects after it)
     * @param jobWait       how long to wait for a job id that is not known yet before 404
     * @param outboxLimit   events that may wait for one client before it is disconnected
     * @param heartbeat     how often a quiet stream gets a comment (to find clients that went away)
     */
    public record Settings(int maxStreams, Duration timeout, Duration jobWait, int outboxLimit, Duration heartbeat) {
    }

    public JobEventStreams(JobDirectory jobs, LiveJobEvents feed, PastJobEvents replay, Executor senders,
            Settings settings) {
        this.jobs = jobs;
        this.feed = feed;
        this.replay = replay;
        this.senders = senders;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxStreams());
    }

    /**
     * The job's event stream.
     *
     * @throws ApiProblem 404 for an unknown job, 503 when every slot is taken or the past cannot be read
     */
    public SseEmitter open(String jobId) {
        KnownJob job = jobs.find(jobId, settings.jobWait()).orElseThrow(() ->
                ApiProblem.notFound("Replication job not found", "No replication job " + jobId));
        takeSlot();
        JobEventStream stream = new JobEventStream(jobId, new SseEmitter(settings.timeout().toMillis()), senders,
                settings.outboxLimit(), this::closed);
        open.add(stream);
        try {
            // Subscribed before the replay reads up to the end: no event falls between the two.
            stream.subscribed(feed.subscribe(jobId, job.vmwareVmId(), stream::live));
            List<JobEvent> past = replay.replay(job);
            stream.replayed(past, past.stream().noneMatch(JobEvent::terminal) && jobs.ended(jobId));
        } catch (IllegalStateException | KafkaException e) {
            stream.close();
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, EVENTS_UNAVAILABLE,
                    "The past events of job " + jobId + " could not be read from the pipeline; retry later");
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        return stream.emitter();
    }

    /**
     * The console's stream of every job's events ({@code GET /api/v1/events}), resumed after
     * {@code lastEventId} when {@link ConsoleEvents} still has what followed it; it takes a slot like
     * a job's stream and does not end with a job.
     *
     * @throws ApiProblem 503 when every slot is taken
     */
    public SseEmitter openAll(ConsoleEvents console, String lastEventId) {
        takeSlot();
        JobEventStream stream = new JobEventStream("every job (console)", false,
                new SseEmitter(settings.timeout().toMillis()), senders, settings.outboxLimit(), this::closed);
        open.add(stream);
        ConsoleEvents.Attached attached = console.attach(lastEventId, stream::live);
        stream.subscribed(attached.detach());
        stream.replayed(attached.first(), false);
        return stream.emitter();
    }

    private void takeSlot() {
        if (!slots.tryAcquire()) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, TOO_MANY_STREAMS, settings.maxStreams()
                    + " event streams are open, the most this service serves; retry later");
        }
    }

    private void closed(JobEventStream stream) {
        open.remove(stream);
        slots.release();
    }

    /** Heartbeats every open stream (called every {@link Settings#heartbeat()}). */
    public void heartbeat() {
        open.forEach(JobEventStream::heartbeat);
    }

    /** Streams open now. */
    public int openStreams() {
        return settings.maxStreams() - slots.availablePermits();
    }
}
