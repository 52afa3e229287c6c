package io.migratekit.failover.engine;

import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetVm;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.StepStatus;
import io.migratekit.failover.FailoverMetrics;
import io.migratekit.failover.process.FailoverEvents;
import io.migratekit.failover.process.FailoverProcess;
import io.migratekit.failover.process.FailoverRules;
import io.migratekit.failover.process.Next;
import io.migratekit.failover.process.Sizing;
import io.migratekit.failover.process.StepRecord;
import io.migratekit.failover.steps.PowerOutcome;
import io.migratekit.failover.steps.SourceVmPower;
import io.migratekit.failover.steps.TargetVmBuilder;
import io.migratekit.failover.store.FailoverStore;
import io.migratekit.failover.store.StaleProcessException;
import io.migratekit.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves failovers along their steps from their durable record: reads the record, asks
 * {@link FailoverRules} what comes next, does it (VMA power calls, the final sync's request, the
 * target platform), publishes the step's event and records the result, again and again until the
 * failover waits for an event or ended. Every action is safe to repeat after a crash: the power
 * calls and the target VM's creation are idempotent, events keep their ids, and a step's start is
 * recorded once.
 *
 * <p>Owns a bounded pool of workers (one failover runs on one worker at a time; triggers that arrive
 * while it runs make it run again) and one timer thread (final-sync deadlines, retries after an
 * unexpected error). It does not consume events: {@link FailoverInbox} records them and triggers it.
 */
public class FailoverRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FailoverRunner.class);
    private static final Duration SIZING_RETRY = Duration.ofSeconds(1);

    private final FailoverStore store;
    private final FailoverEvents events;
    private final FailoverPublisher publisher;
    private final SourceVmPower power;
    private final TargetVmBuilder target;
    private final FailoverMetrics metrics;
    private final Clock clock;
    private final Settings settings;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor timers;
    /** Failovers queued or running; the value says whether to run again once the current run ends. */
    private final ConcurrentHashMap<String, Boolean> scheduled = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ScheduledFuture<?>> deadlines = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param workers            threads running steps
     * @param finalSyncMinute    the length of one minute of {@code final_sync_deadline_minutes}
     * @param sizingWait         how long the target VM step waits for the VM's size in the read model
     * @param retryBackoff       the wait before trying again after an unexpected error
     */
    public record Settings(int workers, Duration finalSyncMinute, Duration sizingWait, Duration retryBackoff) {
    }

    public FailoverRunner(FailoverStore store, FailoverEvents events, FailoverPublisher publisher, SourceVmPower power,
            TargetVmBuilder target, FailoverMetrics metrics, Clock clock, Settings settings) {
        this.store = store;
        this.events = events;
        this.publisher = publisher;
        this.power = power;
        this.target = target;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = settings;
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("failover-step-"));
        this.timers = new ScheduledThreadPoolExecutor(1, threads("failover-timer-"));
        this.timers.setRemoveOnCancelPolicy(true);
    }

    /** Makes the failover run (now, or again once its current run ends). */
    public void trigger(String failoverId) {
        if (closed) {
            return;
        }
        boolean[] submit = {false};
        scheduled.compute(failoverId, (id, rerun) -> {
            if (rerun == null) {
                submit[0] = true;
                return Boolean.FALSE;
            }
            return Boolean.TRUE;
        });
        if (submit[0]) {
            try {
                workers.execute(() -> drive(failoverId));
            } catch (RejectedExecutionException e) {
                scheduled.remove(failoverId);
            }
        }
    }

    /** Resumes every failover that has something left to do, each from its recorded step. */
    public void resumeAll() {
        List<String> unfinished = store.unfinished();
        if (!unfinished.isEmpty()) {
            log.info("resuming {} unfinished failover(s): {}", unfinished.size(), unfinished);
        }
        unfinished.forEach(this::trigger);
    }

    private void drive(String failoverId) {
        while (!closed) {
            boolean more;
            try {
                more = advance(failoverId);
            } catch (StaleProcessException e) {
                more = true;
            } catch (StepInterruptedException e) {
                scheduled.remove(failoverId);
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("failover {} could not go on ({}); trying again in {}", failoverId, e.toString(),
                        settings.retryBackoff());
                later(failoverId, settings.retryBackoff());
                more = false;
            }
            if (!more) {
                Boolean again = scheduled.compute(failoverId, (id, rerun) -> Boolean.TRUE.equals(rerun) ? Boolean.FALSE : null);
                if (again == null) {
                    return;
                }
            }
        }
        scheduled.remove(failoverId);
    }

    /** Does the failover's next action; true when there may be another one right away. */
    private boolean advance(String failoverId) {
        Optional<FailoverProcess> loaded = store.load(failoverId);
        if (loaded.isEmpty()) {
            return false;
        }
        FailoverProcess process = loaded.get();
        Next next = FailoverRules.next(process, now());
        if (next instanceof Next.Nothing) {
            return false;
        }
        if (next instanceof Next.AwaitFinalSync await) {
            awaitDeadline(failoverId, await.deadline());
            return false;
        }
        if (next instanceof Next.PlanFinalSync) {
            Instant deadline = FailoverRules.finalSyncDeadline(now(), process.finalSyncDeadlineMinutes(),
                    settings.finalSyncMinute());
            store.finalSyncPlanned(process, UUID.randomUUID().toString(), deadline);
            return true;
        }
        if (next instanceof Next.RequestFinalSync) {
            requestFinalSync(process);
            return true;
        }
        if (next instanceof Next.CompleteFinalSync) {
            end(process, FailoverStep.final_sync, StepStatus.completed, "final sync job " + process.finalSyncJobId()
                    + " completed", process.finalSyncJobId(), FailoverRules.after(FailoverStep.final_sync));
            return true;
        }
        if (next instanceof Next.FinalSyncDeadlinePassed passed) {
            fail(process, FailoverStep.final_sync, passed.reason(), FailoverRules.afterFailure(process, true));
            return true;
        }
        if (next instanceof Next.CloseFailedStep close) {
            publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process,
                    FailoverEvents.PROCESS, close.step(), StepStatus.failed, process.errorMessage(),
                    close.step() == FailoverStep.final_sync ? process.finalSyncJobId() : null));
            store.closeFailedStep(process, close.step());
            recordDuration(process, close.step(), StepStatus.failed);
            return true;
        }
        if (next instanceof Next.ReportFailure) {
            publisher.publish(Topics.FAILOVER_FAILED, process.vmwareVmId(), events.failed(process));
            store.failed(process);
            metrics.outcome(process.type(), "failed");
            log.warn("failover {} of VM {} failed at {}: {}", failoverId, process.vmName(), process.failedStep(),
                    process.errorMessage());
            return true;
        }
        FailoverStep step = ((Next.Run) next).step();
        return switch (step) {
            case source_power_off -> powerOffSource(process);
            case target_vm -> buildTargetVm(process);
            case status_update -> reportCompleted(process);
            case rollback -> rollBack(process);
            case cleanup -> cleanUp(process);
            default -> throw new IllegalStateException("no action for step " + step);
        };
    }

    private boolean powerOffSource(FailoverProcess process) {
        start(process, FailoverEvents.PROCESS, FailoverStep.source_power_off,
                "powering off source VM " + process.vmName() + " (" + process.vmwareVmId() + ")", null);
        PowerOutcome outcome;
        try {
            outcome = power.powerOff(process.vmwareVmId(), process.vcenterHost());
        } catch (InterruptedException e) {
            throw new StepInterruptedException();
        }
        if (outcome.success()) {
            end(process, FailoverStep.source_power_off, StepStatus.completed, outcome.message(), null,
                    FailoverRules.after(FailoverStep.source_power_off));
        } else {
            fail(process, FailoverStep.source_power_off, outcome.message(),
                    FailoverRules.afterFailure(process, outcome.sourceMayBeOff()));
        }
        return true;
    }

    private void requestFinalSync(FailoverProcess process) {
        String message = "final sync requested as replication request " + process.finalSyncRequestId()
                + " (replication type left to the decision), deadline "
                + DateTimeFormatter.ISO_INSTANT.format(process.finalSyncDeadlineAt());
        publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process,
                FailoverEvents.PROCESS, FailoverStep.final_sync, StepStatus.started, message, null));
        publisher.publish(Topics.FINAL_SYNC_REQUESTED, process.vmwareVmId(), events.finalSyncRequested(process));
        publisher.publish(Topics.REPLICATION_REQUESTED, process.vmwareVmId(), events.finalSyncRequest(process));
        store.stepStarted(process, FailoverStep.final_sync, message, null);
    }

    private boolean buildTargetVm(FailoverProcess process) {
        boolean startingNow = process.step(FailoverStep.target_vm).isEmpty();
        Instant startedAt = start(process, FailoverEvents.PROCESS, FailoverStep.target_vm, process.isLive()
                ? "building the target VM from the replicated volumes"
                : "building the test VM from snapshots of the replicated volumes on network " + process.testNetwork(),
                null);
        if (startingNow && process.finalSyncCompletedAt() != null) {
            metrics.finalSyncReaction(Duration.between(process.finalSyncCompletedAt(), startedAt));
        }
        List<String> volumes = store.volumeIds(process.failoverId());
        if (volumes.isEmpty()) {
            fail(process, FailoverStep.target_vm, "no replicated volumes are recorded for context "
                    + process.contextId(), FailoverRules.afterFailure(process, true));
            return true;
        }
        Optional<Sizing> sizing = store.sizing(process.contextId());
        if (sizing.isEmpty()) {
            if (Duration.between(startedAt, now()).compareTo(settings.sizingWait()) < 0) {
                later(process.failoverId(), SIZING_RETRY);
                return false;
            }
            fail(process, FailoverStep.target_vm, "the size (CPUs, memory) of VM " + process.vmName() + " is not in the "
                    + "read model (context " + process.contextId() + ")", FailoverRules.afterFailure(process, true));
            return true;
        }
        FailoverProcess current = process;
        try {
            TargetVm vm = target.create(current, volumes, sizing.get(),
                    current.isLive() ? store.targetNetwork(current.contextId()).orElse(null) : null);
            if (!vm.vmId().equals(current.targetVmId())) {
                current = store.targetVmCreated(current, vm.vmId());
            }
            target.powerOn(vm.vmId());
            String message = (current.isLive()
                    ? "VM " + vm.vmId() + " created from " + volumes.size() + " replicated volume(s)"
                    : "test VM " + vm.vmId() + " created from snapshots of " + volumes.size() + " volume(s) on network "
                            + current.testNetwork()) + " and powered on";
            end(current, FailoverStep.target_vm, StepStatus.completed, message, null,
                    FailoverRules.after(FailoverStep.target_vm));
        } catch (TargetPlatformException e) {
            leaveToResumeIfInterrupted();
            if (e.unreachable()) {
                // Nothing was refused and a job may still be running: the step goes on (after the retry backoff)
                // once CloudStack answers, waiting on the jobs it recorded, rather than leaving a VM half-made.
                throw e;
            }
            fail(current, FailoverStep.target_vm, "the target platform refused " + e.operation() + ": " + e.getMessage(),
                    FailoverRules.afterFailure(current, true));
        }
        return true;
    }

    private boolean reportCompleted(FailoverProcess process) {
        String message = "failover reported completed; the context becomes failed_over_" + process.type();
        start(process, FailoverEvents.PROCESS, FailoverStep.status_update, "reporting the failover as completed", null);
        publisher.publish(Topics.FAILOVER_COMPLETED, process.vmwareVmId(), events.completed(process));
        publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process,
                FailoverEvents.PROCESS, FailoverStep.status_update, StepStatus.completed, message, null));
        FailoverProcess done = store.completed(process, message);
        recordDuration(done, FailoverStep.status_update, StepStatus.completed);
        metrics.outcome(process.type(), "completed");
        log.info("failover {} of VM {} completed: target VM {}", process.failoverId(), process.vmName(),
                process.targetVmId());
        return true;
    }

    private boolean rollBack(FailoverProcess process) {
        start(process, FailoverEvents.PROCESS, FailoverStep.rollback, "undoing the failed failover", null);
        List<String> done = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        if (process.targetVmId() != null) {
            try {
                target.delete(process.targetVmId());
                done.add("target VM " + process.targetVmId() + " deleted");
            } catch (TargetPlatformException e) {
                leaveToResumeIfInterrupted();
                failures.add("target VM " + process.targetVmId() + " could not be deleted: " + e.getMessage());
            }
        }
        boolean poweredBackOn = false;
        if (FailoverRules.powersSourceBackOn(process)) {
            PowerOutcome outcome;
            try {
                outcome = power.powerOn(process.vmwareVmId(), process.vcenterHost());
            } catch (InterruptedException e) {
                throw new StepInterruptedException();
            }
            (outcome.success() ? done : failures).add(outcome.message());
            poweredBackOn = outcome.success() && outcome.changed();
        } else if (process.isLive()) {
            done.add("source VM left as it is (power_on_source_on_failure is false)");
        }
        StepStatus status = failures.isEmpty() ? StepStatus.completed : StepStatus.failed;
        List<String> all = new ArrayList<>(done);
        all.addAll(failures);
        String message = String.join("; ", all);
        publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process,
                FailoverEvents.PROCESS, FailoverStep.rollback, status, message, null));
        FailoverProcess after = store.rollbackEnded(process, status, message, poweredBackOn);
        recordDuration(after, FailoverStep.rollback, status);
        return true;
    }

    private boolean cleanUp(FailoverProcess process) {
        String attempt = FailoverEvents.cleanupAttempt(process.version());
        start(process, attempt, FailoverStep.cleanup, "deleting test VM " + process.targetVmId()
                + " and its snapshot volumes", null);
        try {
            target.delete(process.targetVmId());
        } catch (TargetPlatformException e) {
            leaveToResumeIfInterrupted();
            String message = "test VM " + process.targetVmId() + " could not be deleted: " + e.getMessage();
            publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process, attempt,
                    FailoverStep.cleanup, StepStatus.failed, message, null));
            recordDuration(store.cleanupFailed(process, message), FailoverStep.cleanup, StepStatus.failed);
            return true;
        }
        String message = "test VM " + process.targetVmId() + " and its snapshot volumes deleted";
        publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process, attempt,
                FailoverStep.cleanup, StepStatus.completed, message, null));
        publisher.publish(Topics.FAILOVER_CLEANED_UP, process.vmwareVmId(), events.cleanedUp(process, attempt));
        recordDuration(store.cleanedUp(process, message), FailoverStep.cleanup, StepStatus.completed);
        metrics.outcome(process.type(), "cleaned_up");
        return true;
    }

    /** Records a step as started once (event first, then its row); returns when it started. */
    private Instant start(FailoverProcess process, String attempt, FailoverStep step, String message, String jobId) {
        Optional<StepRecord> recorded = process.step(step);
        if (recorded.isPresent()) {
            return recorded.get().startedAt();
        }
        publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process, attempt,
                step, StepStatus.started, message, jobId));
        store.stepStarted(process, step, message, jobId);
        return store.load(process.failoverId()).flatMap(p -> p.step(step)).map(StepRecord::startedAt).orElse(now());
    }

    private void end(FailoverProcess process, FailoverStep step, StepStatus status, String message, String jobId,
            FailoverStep next) {
        publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process,
                FailoverEvents.PROCESS, step, status, message, jobId));
        recordDuration(store.stepEnded(process, step, status, message, jobId, next), step, status);
    }

    private void fail(FailoverProcess process, FailoverStep step, String reason, FailoverStep next) {
        publisher.publish(Topics.FAILOVER_STEP_CHANGED, process.vmwareVmId(), events.stepChanged(process,
                FailoverEvents.PROCESS, step, StepStatus.failed, reason, null));
        recordDuration(store.stepFailed(process, step, reason, next), step, StepStatus.failed);
    }

    private void recordDuration(FailoverProcess process, FailoverStep step, StepStatus status) {
        process.step(step).filter(record -> record.completedAt() != null).ifPresent(record ->
                metrics.step(step, status, Duration.between(record.startedAt(), record.completedAt())));
    }

    private void awaitDeadline(String failoverId, Instant deadline) {
        long delay = Math.max(0, Duration.between(now(), deadline).toMillis()) + 1;
        deadlines.compute(failoverId, (id, pending) -> {
            if (pending != null && !pending.isDone() && Math.abs(pending.getDelay(TimeUnit.MILLISECONDS) - delay) < 1000) {
                return pending;
            }
            if (pending != null) {
                pending.cancel(false);
            }
            return timers.schedule(() -> {
                deadlines.remove(id);
                trigger(id);
            }, delay, TimeUnit.MILLISECONDS);
        });
    }

    private void later(String failoverId, Duration delay) {
        if (!closed) {
            timers.schedule(() -> trigger(failoverId), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Stops the workers (a step interrupted here resumes from its record at the next start) and the timers. */
    @Override
    public void close() {
        closed = true;
        timers.shutdownNow();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(15, TimeUnit.SECONDS)) {
                log.warn("failover steps still running 15 s after shutdown began");
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

    /**
     * A platform call cut short by this service's shutdown (its worker interrupted) is not the platform's
     * refusal: the step is left as it is, to be resumed by whichever instance drives the failover next.
     */
    private static void leaveToResumeIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new StepInterruptedException();
        }
    }

    /** A step was interrupted by shutdown; its record stays where it was and the next start resumes it. */
    private static final class StepInterruptedException extends RuntimeException {
        StepInterruptedException() {
            super("interrupted by shutdown");
        }
    }
}
