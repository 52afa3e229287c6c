package io.migratekit.progress.streams;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.platform.EventLog;
import io.migratekit.platform.KeyConsistency;
import io.migratekit.progress.ProgressMetrics;
import io.migratekit.progress.follow.Decision;
import io.migratekit.progress.follow.FollowedJob;
import io.migratekit.progress.follow.JobFollowRules;
import io.migratekit.progress.follow.PollOutcome;
import io.migratekit.progress.poll.ProgressPoller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code followed-jobs} processor of one stream task: it owns the task's share of the
 * {@code followed-jobs-store} and the in-memory poll schedule derived from it.
 *
 * <p>Input events ({@code JobStarted}, {@code ChangeIdRecorded}, {@code JobCompleted}, {@code JobFailed})
 * are handed to {@link JobFollowRules}. A wall-clock punctuator starts the polls that are due through
 * the shared {@link ProgressPoller} (asynchronous, capped in flight) and applies the outcomes that came
 * back, again through the rules. Every decision is applied on the stream thread — store write, emitted
 * events, schedule — so under {@code exactly_once_v2} the state change and its events commit together.
 *
 * <p>It does not decide anything itself, does not talk HTTP, and keeps no poll state that matters
 * after a restart: on {@link #init} every followed job in the store is simply due.
 */
final class FollowProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(FollowProcessor.class);

    /** How the processor runs: punctuation tick, how long ended jobs are remembered, how often they are purged. */
    record Options(Duration tick, Duration endedRetention, Duration purgeInterval) {
    }

    private static final class Slot {
        long dueAt;
        long launchedAt;
        boolean inFlight;
        /** An immediate poll was asked for while one was in flight: that one's answer predates the request. */
        boolean superseded;

        Slot(long dueAt) {
            this.dueAt = dueAt;
        }
    }

    private record Result(String jobId, PollOutcome outcome) {
    }

    private final JobFollowRules rules;
    private final ProgressPoller poller;
    private final ProgressMetrics metrics;
    private final Options options;
    private final Map<String, Slot> schedule = new HashMap<>();
    private final Queue<Result> results = new ConcurrentLinkedQueue<>();

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, FollowedJob> store;
    private String taskName;
    private long nextPurgeAt;
    private volatile boolean open;
    private volatile int followed;

    FollowProcessor(JobFollowRules rules, ProgressPoller poller, ProgressMetrics metrics, Options options) {
        this.rules = rules;
        this.poller = poller;
        this.metrics = metrics;
        this.options = options;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = context.getStateStore(FollowTopology.STORE);
        this.taskName = context.applicationId() + "/" + context.taskId();
        long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, FollowedJob> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, FollowedJob> entry = all.next();
                if (entry.value != null && entry.value.following()) {
                    schedule.put(entry.key, new Slot(now));
                }
            }
        }
        followed = schedule.size();
        if (followed > 0) {
            log.info("task {} resumes following {} job(s)", context.taskId(), followed);
        }
        open = true;
        metrics.taskStarted(taskName, () -> followed);
        nextPurgeAt = now;
        context.schedule(options.tick(), PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord event = record.value();
        if (event == null) {
            log.warn("ignored a record without value (key {}) on a progress input topic", record.key());
            return;
        }
        // Filed under another VM's key: poison for the platform's dead-letter handler, not a job to follow.
        KeyConsistency.require(record.key(), event);
        long now = context.currentSystemTimeMs();
        String jobId = jobIdOf(event);
        Decision decision;
        try {
            decision = decide(event, jobId, now);
        } catch (RuntimeException e) {
            throw new UnprocessableEventException("cannot follow on " + event.getSchema().getName() + " of job "
                    + jobId + ": " + e, e);
        }
        apply(jobId, decision, now);
        EventLog.handled(log, event, decision.outcome());
    }

    private static String jobIdOf(SpecificRecord event) {
        if (event instanceof JobStarted started) {
            return started.getJobId();
        } else if (event instanceof ChangeIdRecorded recorded) {
            return recorded.getJobId();
        } else if (event instanceof JobCompleted completed) {
            return completed.getJobId();
        } else if (event instanceof JobFailed failed) {
            return failed.getJobId();
        }
        throw new UnprocessableEventException("unexpected event type " + event.getSchema().getFullName(), null);
    }

    private Decision decide(SpecificRecord event, String jobId, long now) {
        FollowedJob existing = store.get(jobId);
        if (event instanceof JobStarted started) {
            return rules.onJobStarted(existing, started, now);
        } else if (event instanceof ChangeIdRecorded recorded) {
            return rules.onChangeIdRecorded(existing, recorded, now);
        } else if (event instanceof JobCompleted completed) {
            return rules.onJobEnded(existing, jobId, completed.getVmwareVmId(), completed.getContextId(),
                    completed.getCorrelationId(), now);
        }
        JobFailed failed = (JobFailed) event;
        return rules.onJobEnded(existing, jobId, failed.getVmwareVmId(), failed.getContextId(),
                failed.getCorrelationId(), now);
    }

    @Override
    public void close() {
        open = false;
        metrics.taskStopped(taskName);
        results.clear();
    }

    private void onTick(long now) {
        startDuePolls(now);
        applyOutcomes(now);
        if (now >= nextPurgeAt) {
            purge(now);
            nextPurgeAt = now + options.purgeInterval().toMillis();
        }
    }

    private void startDuePolls(long now) {
        List<Map.Entry<String, Slot>> due = new ArrayList<>();
        for (Map.Entry<String, Slot> entry : schedule.entrySet()) {
            Slot slot = entry.getValue();
            if (!slot.inFlight && slot.dueAt <= now) {
                due.add(entry);
            }
        }
        due.sort(Comparator.comparingLong(e -> e.getValue().dueAt));
        for (Map.Entry<String, Slot> entry : due) {
            String jobId = entry.getKey();
            Slot slot = entry.getValue();
            slot.inFlight = true;
            slot.launchedAt = now;
            boolean started = poller.tryPoll(jobId, outcome -> {
                if (open) {
                    results.add(new Result(jobId, outcome));
                }
            });
            if (!started) {
                slot.inFlight = false;
                break;
            }
            metrics.pollLag(now - slot.dueAt);
        }
    }

    private void applyOutcomes(long now) {
        Result result;
        while ((result = results.poll()) != null) {
            metrics.poll(result.outcome().metricName());
            Slot slot = schedule.get(result.jobId());
            if (slot == null) {
                continue;
            }
            slot.inFlight = false;
            if (slot.superseded) {
                slot.superseded = false;
                slot.dueAt = now;
                continue;
            }
            Decision decision;
            try {
                decision = rules.onPoll(store.get(result.jobId()), result.outcome(), now);
            } catch (RuntimeException e) {
                // One job's unreadable state must not stop the others: it is retried at its next poll.
                slot.dueAt = now + rules.settings().pollInterval().toMillis();
                log.error("could not decide on the poll outcome of job {}: {}", result.jobId(), e.toString(), e);
                continue;
            }
            // A failure to write the decision fails the task: its transaction, store write included, is aborted.
            apply(result.jobId(), decision, now);
        }
    }

    private void apply(String jobId, Decision decision, long now) {
        if (decision.stateChanged()) {
            store.put(jobId, decision.state());
        }
        for (SpecificRecord event : decision.events()) {
            emit(decision.state(), event, now);
        }
        Slot slot = schedule.get(jobId);
        switch (decision.nextPoll()) {
            case NOW -> {
                if (slot == null) {
                    schedule.put(jobId, new Slot(now));
                } else if (slot.inFlight) {
                    slot.superseded = true;
                } else {
                    slot.dueAt = now;
                }
            }
            case REGULAR -> {
                if (slot != null) {
                    slot.dueAt = slot.launchedAt + rules.settings().pollInterval().toMillis();
                }
            }
            case BACKOFF -> {
                if (slot != null) {
                    slot.dueAt = now + rules.settings().backoffMillis(decision.state().consecutiveFailures());
                }
            }
            case STOP -> schedule.remove(jobId);
            case UNCHANGED -> {
            }
        }
        followed = schedule.size();
    }

    private void emit(FollowedJob job, SpecificRecord event, long now) {
        String sink;
        if (event instanceof JobProgress) {
            sink = FollowTopology.JOB_PROGRESS_SINK;
        } else if (event instanceof JobCompleted) {
            sink = FollowTopology.JOB_COMPLETED_SINK;
        } else if (event instanceof JobFailed) {
            sink = FollowTopology.JOB_FAILED_SINK;
        } else {
            throw new IllegalStateException("no sink for " + event.getSchema().getFullName());
        }
        context.forward(new Record<>(job.vmwareVmId(), event, now), sink);
        metrics.emitted(event.getSchema().getName());
        EventLog.handled(log, event, "emitted");
    }

    private void purge(long now) {
        List<String> forget = new ArrayList<>();
        try (KeyValueIterator<String, FollowedJob> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, FollowedJob> entry = all.next();
                if (entry.value != null && rules.purgeable(entry.value, now, options.endedRetention())) {
                    forget.add(entry.key);
                }
            }
        }
        for (String jobId : forget) {
            store.delete(jobId);
        }
        if (!forget.isEmpty()) {
            log.info("task {} forgot {} ended job(s) older than {}", context.taskId(), forget.size(),
                    options.endedRetention());
        }
    }
}
