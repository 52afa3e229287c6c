package io.migratekit.intake.events;

import io.migratekit.events.JobCreated;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one live listener of job events in job-intake: one consumer thread reading every partition
 * of the job topics ({@link JobEvent#TOPICS}), and of the failover topics the console shows
 * ({@link JobEvent#FAILOVER_TOPICS}), from their end, handing each job event to the
 * subscribers of its job (however many event streams are open, this is the only consumer that
 * follows them live) and remembering the latest jobs announced by {@code JobCreated}, so a job is
 * known here before the read-model projector wrote it. Every {@code JobCreated} is decoded; any
 * other job event only when its key, the job's VM, has a subscriber, so the events of the jobs
 * nobody follows cost no decoding; a failover event is decoded only while someone subscribed to
 * every event, and goes only to them. A subscriber must not block: it is called on this thread. Owns
 * the subscriptions (by job, and counted by VM; and those to every event, the console's, during
 * which every record is decoded) and the bounded memory of recent jobs (the consumer
 * and its thread are {@link TopicListener}'s); not the streams themselves.
 */
public final class JobEventFeed extends TopicListener implements LiveJobEvents {

    private static final Logger log = LoggerFactory.getLogger(JobEventFeed.class);

    private static final String JOB_CREATED = Topics.JOB_CREATED.name();
    private static final List<Topic<?>> TOPICS = Stream.concat(JobEvent.TOPICS.stream(),
            JobEvent.FAILOVER_TOPICS.stream()).toList();
    private static final Set<String> FAILOVER_TOPIC_NAMES = JobEvent.FAILOVER_TOPICS.stream().map(Topic::name)
            .collect(Collectors.toUnmodifiableSet());

    private final ConcurrentMap<String, List<Consumer<JobEvent>>> subscribers = new ConcurrentHashMap<>();
    private final List<Consumer<JobEvent>> everyEventSubscribers = new CopyOnWriteArrayList<>();
    private final WatchedVms followedVms = new WatchedVms();
    private final Map<String, KnownJob> recentJobs;

    private JobEventFeed(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration startTimeout, int recentJobLimit) {
        super(kafkaProperties, bootstrapServers, clientId, registry, startTimeout, TOPICS,
                "the job and failover event topics");
        this.recentJobs = recentJobs(recentJobLimit);
    }

    /** A feed on the given consumer and deserializer, not started (tests hand records to it themselves). */
    JobEventFeed(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Deserializer<Object> deserializer,
            int recentJobLimit) {
        super(consumer, deserializer, "job-events", Duration.ofSeconds(1), TOPICS,
                "the job and failover event topics");
        this.recentJobs = recentJobs(recentJobLimit);
    }

    private static Map<String, KnownJob> recentJobs(int recentJobLimit) {
        return new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, KnownJob> eldest) {
                return size() > recentJobLimit;
            }
        };
    }

    /**
     * Starts listening and returns once every partition is positioned at its end: an event
     * committed after this returns reaches the subscribers.
     *
     * @param recentJobLimit how many of the latest created jobs are remembered
     */
    public static JobEventFeed start(Map<String, Object> kafkaProperties, String bootstrapServers, String clientId,
            RegistrySettings registry, Duration startTimeout, int recentJobLimit) {
        JobEventFeed feed = new JobEventFeed(kafkaProperties, bootstrapServers, clientId, registry, startTimeout,
                recentJobLimit);
        feed.startListening();
        return feed;
    }

    /** Calls {@code subscriber} on the listener thread. */
    @Override
    public AutoCloseable subscribe(String jobId, String vmwareVmId, Consumer<JobEvent> subscriber) {
        // The VM is followed before the subscriber is added and until after it is removed: no event
        // read while the subscription lasts is passed over undecoded.
        followedVms.watch(vmwareVmId);
        subscribers.compute(jobId, (id, list) -> {
            List<Consumer<JobEvent>> updated = list == null ? new CopyOnWriteArrayList<>() : list;
            updated.add(subscriber);
            return updated;
        });
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                subscribers.computeIfPresent(jobId, (id, list) -> {
                    list.remove(subscriber);
                    return list.isEmpty() ? null : list;
                });
                followedVms.unwatch(vmwareVmId);
            }
        };
    }

    /**
     * Calls {@code subscriber} on the listener thread with every job and failover event; while it
     * lasts, every record is decoded.
     */
    @Override
    public AutoCloseable subscribeAll(Consumer<JobEvent> subscriber) {
        everyEventSubscribers.add(subscriber);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                everyEventSubscribers.remove(subscriber);
            }
        };
    }

    @Override
    public Optional<KnownJob> recentJob(String jobId) {
        synchronized (recentJobs) {
            return Optional.ofNullable(recentJobs.get(jobId));
        }
    }

    /** Jobs with at least one subscriber. */
    public int subscribedJobs() {
        return subscribers.size();
    }

    /**
     * Every {@code JobCreated} (the memory of recent jobs needs them all); another job event only of a
     * followed VM; a failover event only for the subscribers to every event.
     */
    @Override
    protected boolean wanted(String topic, String key) {
        if (FAILOVER_TOPIC_NAMES.contains(topic)) {
            return !everyEventSubscribers.isEmpty();
        }
        return JOB_CREATED.equals(topic) || key == null || !everyEventSubscribers.isEmpty() || followedVms.watched(key);
    }

    @Override
    protected void handle(Object value) {
        if (value instanceof JobCreated created) {
            synchronized (recentJobs) {
                recentJobs.put(created.getJobId(), KnownJob.of(created));
            }
        }
        String jobId = JobEvent.jobIdOf(value);
        if (jobId != null && (subscribers.containsKey(jobId) || !everyEventSubscribers.isEmpty())) {
            JobEvent.of(value).ifPresent(event -> {
                dispatch(event, subscribers.getOrDefault(event.jobId(), List.of()));
                dispatch(event, everyEventSubscribers);
            });
        } else if (jobId == null && !everyEventSubscribers.isEmpty()) {
            JobEvent.ofFailover(value).ifPresent(event -> dispatch(event, everyEventSubscribers));
        }
    }

    private void dispatch(JobEvent event, List<Consumer<JobEvent>> listeners) {
        for (Consumer<JobEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("a subscriber of {} {} failed on {}: {}", event.jobId() == null ? "VM" : "job",
                        event.jobId() == null ? event.vmwareVmId() : event.jobId(), event.type(), e.toString());
            }
        }
    }
}
