package io.migratekit.vmasim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated copy engine (the VMA's migratekit): accepts jobs from replicate and drives every
 * running job from a single scheduler tick, so thousands of jobs cost one thread.
 *
 * <p>Per job: wait for the start delay; ask the OMA for each disk's previous change id (empty means
 * full copy, otherwise an incremental share of the capacity); then copy the disks one after
 * another at the configured rate; at each disk's end report {@code completed} (the real engine's
 * per-disk trap), post the disk's new change id to the OMA, and after the configured gap start the
 * next disk. Copy faults (fail or stall at a percentage) are read from {@link Faults} on every tick.
 * With a {@link DataCopier} (data copy switched on) each disk's blocks are also written to its NBD
 * target: the disk ends only when its progress is complete and its data is written and flushed; a
 * failed write or an incremental since an unknown change id fails the job.
 *
 * <p>Owns the job table, job state transitions and the tick. It does not own HTTP parsing or
 * validation of replicate (the API handler) nor the OMA client ({@link OmaCallbacks}).
 */
final class CopyEngine {

    private static final System.Logger LOG = System.getLogger(CopyEngine.class.getName());

    /** Result of submitting a job: the job and whether this call created it. */
    record Submission(SimJob job, boolean created) {
    }

    private final SimulatorConfig config;
    private final Faults faults;
    private final ScheduledExecutorService scheduler;
    private final OmaCallbacks callbacks;
    private final DataCopier data;
    private final ConcurrentHashMap<String, SimJob> jobs = new ConcurrentHashMap<>();
    private final Set<SimJob> active = ConcurrentHashMap.newKeySet();
    private final AtomicLong ticks = new AtomicLong();
    private ScheduledFuture<?> tickTask;

    /** {@code data} null: progress only, no bytes are written. */
    CopyEngine(SimulatorConfig config, Faults faults, ScheduledExecutorService scheduler, OmaCallbacks callbacks, DataCopier data) {
        this.config = config;
        this.faults = faults;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.data = data;
    }

    void start() {
        long period = config.tickInterval().toNanos();
        tickTask = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (tickTask != null) {
            tickTask.cancel(false);
        }
    }

    /** Number of engine ticks so far; lets tests wait for "the engine has run" without sleeping. */
    long ticks() {
        return ticks.get();
    }

    int activeCount() {
        return active.size();
    }

    SimJob job(String jobId) {
        return jobs.get(jobId);
    }

    List<SimJob> jobs() {
        List<SimJob> list = new ArrayList<>(jobs.values());
        list.sort((a, b) -> a.acceptedAt.compareTo(b.acceptedAt));
        return list;
    }

    /**
     * Creates the job, or returns the existing one with the same id (idempotent replicate).
     * A job id reused for another VM path is a conflict (409).
     */
    Submission submit(String jobId, SimVm vm, String vmPath, String callbackBase, Map<Integer, NbdTarget> targets,
                      boolean neverStart) {
        SimJob existing = jobs.get(jobId);
        if (existing == null) {
            long startAt = System.nanoTime() + config.progressStartDelay().toNanos();
            SimJob fresh = new SimJob(jobId, vm, vmPath, callbackBase, targets, Instant.now(), startAt,
                    neverStart ? SimJob.Stage.NEVER_STARTED : SimJob.Stage.WAITING_START);
            existing = jobs.putIfAbsent(jobId, fresh);
            if (existing == null) {
                if (!neverStart) {
                    active.add(fresh);
                }
                LOG.log(System.Logger.Level.DEBUG, "job {0} accepted for {1}", jobId, vmPath);
                return new Submission(fresh, true);
            }
        }
        if (!existing.vmPath.equals(vmPath)) {
            throw new HttpError(409, "job " + jobId + " already exists for a different VM");
        }
        return new Submission(existing, false);
    }

    /** Forgets jobs the engine will not change any more; returns how many. */
    int forgetSettled() {
        int removed = 0;
        for (SimJob job : jobs.values()) {
            if (!active.contains(job) && job.snapshot().settled() && jobs.remove(job.jobId, job)) {
                removed++;
            }
        }
        return removed;
    }

    private void tick() {
        ticks.incrementAndGet();
        long now = System.nanoTime();
        for (SimJob job : active) {
            try {
                advance(job, now);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "engine tick failed for job " + job.jobId, e);
            }
        }
    }

    private void advance(SimJob job, long now) {
        Faults.Effective f = faults.of(job.vm);
        boolean query = false;
        synchronized (job) {
            switch (job.stage) {
                case WAITING_START -> {
                    if (now - job.startAtNanos >= 0) {
                        job.stage = SimJob.Stage.QUERYING;
                        query = true;
                    }
                }
                case COPYING -> copy(job, now, f);
                case DISK_GAP -> {
                    if (now - job.nextDiskAtNanos >= 0) {
                        startDisk(job, job.current + 1, now);
                    }
                }
                case FINISHED, FAILED, STALLED, NEVER_STARTED -> active.remove(job);
                default -> {
                }
            }
        }
        if (query) {
            queryChangeIds(job);
        }
    }

    private void queryChangeIds(SimJob job) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (SimJob.Disk disk : job.disks) {
            chain = chain.thenCompose(x -> callbacks.previousChangeId(job.callbackBase, job.vmPath, disk.spec.id())
                    .thenAccept(lookup -> {
                        synchronized (job) {
                            disk.previousChangeId = lookup.changeId() == null ? "" : lookup.changeId();
                            if (lookup.error() != null) {
                                job.errors.add(lookup.error());
                            }
                        }
                    }));
        }
        chain.whenComplete((x, failure) -> beginCopy(job));
    }

    private void beginCopy(SimJob job) {
        synchronized (job) {
            if (job.stage != SimJob.Stage.QUERYING) {
                return;
            }
            boolean allIncremental = !job.disks.isEmpty();
            long total = 0;
            for (SimJob.Disk d : job.disks) {
                boolean incremental = !d.previousChangeId.isEmpty();
                allIncremental &= incremental;
                d.copyBytes = incremental
                        ? Math.round(d.spec.capacityBytes() * config.incrementalFraction())
                        : d.spec.capacityBytes();
                total += d.copyBytes;
            }
            job.syncType = allIncremental ? "incremental" : "full";
            job.totalBytes = total;
            job.startTime = Instant.now();
            job.visible = true;
            startDisk(job, 0, System.nanoTime());
        }
    }

    private void startDisk(SimJob job, int index, long now) {
        SimJob.Disk d = job.disks.get(index);
        job.current = index;
        job.stage = SimJob.Stage.COPYING;
        job.lastAdvanceNanos = now;
        job.lastUpdate = Instant.now();
        d.status = "in_progress";
        job.phase = "copying";
        job.currentOperation = "Copying " + d.spec.label() + " (" + d.spec.id() + "), disk " + (index + 1) + " of " + job.disks.size();
        job.currentMbps = config.copyRateBytesPerSecond() / 1_000_000.0;
        job.peakMbps = Math.max(job.peakMbps, job.currentMbps);
        if (data != null) {
            try {
                data.begin(job, d);
            } catch (DiskContent.UnknownChangeIdException e) {
                // What vSphere answers QueryChangedDiskAreas for a change id it never issued.
                failJob(job, d, "QueryChangedDiskAreas for " + d.spec.id()
                        + " failed: A specified parameter was not correct: changeId (" + e.getMessage() + ")");
            }
        }
    }

    private void copy(SimJob job, long now, Faults.Effective f) {
        SimJob.Disk d = job.disks.get(job.current);
        long elapsed = Math.max(0, now - job.lastAdvanceNanos);
        job.lastAdvanceNanos = now;
        long advance = (long) (config.copyRateBytesPerSecond() * (elapsed / 1_000_000_000.0));
        long step = Math.min(advance, d.copyBytes - d.transferred);

        long failAt = threshold(job, f.failCopyAtPercent());
        long stallAt = threshold(job, f.stallCopyAtPercent());
        boolean fail = failAt >= 0 && job.bytesTransferred + step >= failAt && (stallAt < 0 || failAt <= stallAt);
        boolean stall = !fail && stallAt >= 0 && job.bytesTransferred + step >= stallAt;
        if (fail || stall) {
            step = Math.max(0, Math.min(step, (fail ? failAt : stallAt) - job.bytesTransferred));
        }
        d.transferred += step;
        job.bytesTransferred += step;
        job.lastUpdate = Instant.now();

        if (fail) {
            failJob(job, d, f.failCopyAtPercent());
        } else if (stall) {
            job.stage = SimJob.Stage.STALLED;
            active.remove(job);
            LOG.log(System.Logger.Level.DEBUG, "job {0} stalled (simulated crash)", job.jobId);
        } else if (d.transferred >= d.copyBytes && dataWritten(job, d)) {
            diskDone(job, d);
        }
    }

    /** True when the disk's data copy (if any) has ended well; a failed one fails the job. */
    private boolean dataWritten(SimJob job, SimJob.Disk d) {
        if (d.dataCopy == null) {
            return true;
        }
        if (!d.dataCopy.isDone()) {
            return false;
        }
        try {
            DataCopier.Written written = d.dataCopy.join();
            d.dataBlocksWritten = written.blocks();
            d.dataBytesWritten = written.bytes();
            return true;
        } catch (RuntimeException e) {
            failJob(job, d, "NBD write to target for " + d.spec.id() + " failed: " + DataCopier.reason(e));
            return false;
        }
    }

    private static long threshold(SimJob job, double percent) {
        if (percent < 0) {
            return -1;
        }
        return (long) Math.floor(job.totalBytes * Math.min(percent, 100.0) / 100.0);
    }

    private void failJob(SimJob job, SimJob.Disk d, double percent) {
        failJob(job, d, String.format(Locale.ROOT,
                "simulated copy failure at %.1f%%: NBD write to target for %s failed: connection reset by peer",
                percent, d.spec.id()));
    }

    private void failJob(SimJob job, SimJob.Disk d, String error) {
        job.stage = SimJob.Stage.FAILED;
        job.phase = "failed";
        job.currentMbps = 0;
        d.status = "failed";
        job.currentOperation = "Copy of " + d.spec.label() + " (" + d.spec.id() + ") failed";
        job.lastError = error;
        job.errors.add(job.lastError);
        active.remove(job);
        LOG.log(System.Logger.Level.DEBUG, "job {0} failed (simulated)", job.jobId);
    }

    private void diskDone(SimJob job, SimJob.Disk d) {
        d.status = "completed";
        d.changeId = ChangeIds.next(job.vm.id(), d.spec.key(), d.previousChangeId);
        if (d.dataCopy != null) {
            data.mark(job, d);
        }
        job.stage = SimJob.Stage.DISK_CALLBACK;
        job.phase = "completed";
        job.currentMbps = 0;
        job.currentOperation = "Completed " + d.spec.label() + " (" + d.spec.id() + ")";
        callbacks.recordChangeId(job.callbackBase, job.jobId, d.spec.id(), d.changeId, d.previousChangeId)
                .whenComplete((error, failure) -> callbackDone(job, d, error != null ? error
                        : failure != null ? "change id callback for " + d.spec.id() + " failed: " + failure : null));
    }

    private void callbackDone(SimJob job, SimJob.Disk d, String error) {
        synchronized (job) {
            d.callbackDone = true;
            if (error != null) {
                job.errors.add(error);
            }
            if (job.stage != SimJob.Stage.DISK_CALLBACK) {
                return;
            }
            if (job.current + 1 < job.disks.size()) {
                job.stage = SimJob.Stage.DISK_GAP;
                job.nextDiskAtNanos = System.nanoTime() + config.diskGap().toNanos();
            } else {
                job.stage = SimJob.Stage.FINISHED;
                active.remove(job);
                LOG.log(System.Logger.Level.DEBUG, "job {0} finished", job.jobId);
            }
        }
    }
}
