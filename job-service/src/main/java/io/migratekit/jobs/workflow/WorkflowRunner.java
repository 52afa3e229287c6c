package io.migratekit.jobs.workflow;

import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.platform.EventLog;
import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link MigrationWorkflow} of many jobs at once on a bounded pool of threads, publishes
 * each job's result and remembers the job as handled (in {@code processed_events}) once Kafka has
 * acknowledged the result, so a redelivered {@code JobCreated} is skipped. A job whose result could
 * not be published completes exceptionally and is redelivered. Owns its thread pool.
 */
public class WorkflowRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkflowRunner.class);

    private final MigrationWorkflow workflow;
    private final EventPublisher publisher;
    private final ProcessedEvents processed;
    private final Duration publishTimeout;
    private final Clock clock;
    private final ExecutorService executor;

    public WorkflowRunner(MigrationWorkflow workflow, EventPublisher publisher, ProcessedEvents processed,
            int concurrency, Duration publishTimeout, Clock clock) {
        this.workflow = workflow;
        this.publisher = publisher;
        this.processed = processed;
        this.publishTimeout = publishTimeout;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("job-workflow-"));
    }

    /** Starts the job's workflow; completes when its result is published (or it was handled before). */
    public CompletableFuture<Void> submit(JobCreated job) {
        return CompletableFuture.runAsync(() -> handle(job), executor);
    }

    private void handle(JobCreated job) {
        if (processed.contains(job.getEventId())) {
            EventLog.handled(log, job, "already_handled");
            return;
        }
        SpecificRecord result = workflow.run(job);
        publish(job, result);
        processed.record(job.getEventId(), clock.instant());
        EventLog.handled(log, job, result instanceof JobStarted
                ? "job_started" : "job_failed_" + ((JobFailed) result).getReason());
    }

    private void publish(JobCreated job, SpecificRecord result) {
        try {
            if (result instanceof JobStarted started) {
                publisher.publish(Topics.JOB_STARTED, job.getVmwareVmId(), started)
                        .get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                publisher.publish(Topics.JOB_FAILED, job.getVmwareVmId(), (JobFailed) result)
                        .get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkflowInterruptedException(job.getJobId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the result of job " + job.getJobId() + " could not be published: " + e, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("job workflows still running after 30 s at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
