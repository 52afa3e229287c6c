package io.migratekit.progress.follow;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.DiskProgress;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.progress.follow.Decision.NextPoll;
import io.migratekit.progress.follow.FollowedJob.Status;
import io.migratekit.schemas.EventIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * The rules of following a job on the VMA, as pure functions of (state, input, now) → {@link Decision}.
 *
 * <ul>
 *   <li>A job is followed from its {@code JobStarted} until it ends; a duplicate {@code JobStarted}, or one
 *       for a job that already ended, changes nothing.</li>
 *   <li>A job is complete only when every disk is: every disk has recorded its change id. The VMA reports
 *       {@code completed} at the end of each disk, so its status alone never completes a job. Once the
 *       last change id is in, the job completes with the figures of one more poll. If instead the VMA
 *       reports every disk of the job copied (status {@code completed}, all bytes, every disk completed)
 *       but change ids are missing, the job waits {@code changeIdWait} for them and then completes with
 *       the ones it has (the others' next sync is a full copy).</li>
 *   <li>It fails with {@code VMA_REPORTED_FAILURE} when the VMA reports {@code failed}; with
 *       {@code VMA_JOB_NOT_FOUND} when the VMA answers 404 for longer than the grace; with
 *       {@code VMA_UNREACHABLE} after {@code maxConsecutiveFailures} failed polls in a row (polled with
 *       backoff); with {@code STALLED} when the copy did not move for {@code stallTimeout}.</li>
 *   <li>A {@code JobProgress} is emitted only when something a reader sees changed, at most one per poll.</li>
 *   <li>A job ended by someone else's {@code JobCompleted}/{@code JobFailed} is no longer followed.</li>
 * </ul>
 *
 * <p>It owns no state, no clock, no I/O: the processor feeds it and applies what it decides. Every
 * message it writes is free of secrets ({@link SecretRedactor}).
 */
public final class JobFollowRules {

    /** The failing step of a {@code JobFailed} this service writes. */
    public static final String STEP = "progress";

    private final FollowSettings settings;
    private final SecretRedactor redactor;
    private final Supplier<String> eventIds;

    public JobFollowRules(FollowSettings settings, SecretRedactor redactor) {
        this(settings, redactor, EventIds::newEventId);
    }

    public JobFollowRules(FollowSettings settings, SecretRedactor redactor, Supplier<String> eventIds) {
        this.settings = settings;
        this.redactor = redactor;
        this.eventIds = eventIds;
    }

    public FollowSettings settings() {
        return settings;
    }

    /** A job started copying: follow it, unless it is already followed or ended. */
    public Decision onJobStarted(FollowedJob existing, JobStarted event, long now) {
        if (existing != null && existing.status() != Status.AWAITING_START) {
            return Decision.nothing(existing, existing.following() ? "duplicate" : "already-ended");
        }
        Set<String> diskSet = new LinkedHashSet<>();
        for (VolumeAttachment volume : event.getVolumes()) {
            if (volume.getDiskId() != null && !volume.getDiskId().isBlank()) {
                diskSet.add(volume.getDiskId());
            }
        }
        List<String> disks = List.copyOf(diskSet);
        Map<String, String> changeIds = new HashMap<>();
        if (existing != null) {
            existing.changeIds().forEach((disk, changeId) -> {
                String match = DiskIds.match(disks, disk);
                if (match != null) {
                    changeIds.put(match, changeId);
                }
            });
        }
        FollowedJob.Builder job = FollowedJob.builder(Status.FOLLOWING, event.getJobId())
                .vmwareVmId(event.getVmwareVmId()).contextId(event.getContextId())
                .correlationId(event.getCorrelationId()).failoverId(event.getFailoverId())
                .replicationType(event.getReplicationType() == null ? null : event.getReplicationType().name())
                .disks(disks).startedAt(event.getOccurredAt().toEpochMilli()).followedSince(now)
                .lastChangeAt(now).changeIds(changeIds)
                .origin(new FollowedJob.Origin(event.getRequestedBy(), event.getScheduledBy(),
                        event.getScheduleExecutionId(), event.getVmGroupId()));
        if (disks.isEmpty()) {
            return fail(job, JobFailureReason.UNKNOWN,
                    "JobStarted carried no volumes, so there is no disk whose copy could be followed", now);
        }
        FollowedJob started = job.completionPending(everyDisk(disks, changeIds)).build();
        return new Decision(started, true, List.of(), NextPoll.NOW, "following");
    }

    /** The copy engine stored one disk's change id: the disk is done; the job is once every disk is. */
    public Decision onChangeIdRecorded(FollowedJob existing, ChangeIdRecorded event, long now) {
        if (existing == null || existing.status() == Status.AWAITING_START) {
            FollowedJob.Builder awaiting = existing != null ? existing.toBuilder()
                    : FollowedJob.builder(Status.AWAITING_START, event.getJobId()).vmwareVmId(event.getVmwareVmId())
                            .contextId(event.getContextId()).correlationId(event.getCorrelationId()).followedSince(now);
            Map<String, String> changeIds = new HashMap<>(existing == null ? Map.of() : existing.changeIds());
            changeIds.put(event.getDiskId(), event.getChangeId());
            return new Decision(awaiting.changeIds(changeIds).build(), true, List.of(), NextPoll.STOP, "awaiting-start");
        }
        if (!existing.following()) {
            return Decision.nothing(existing, "after-end");
        }
        String disk = DiskIds.match(existing.disks(), event.getDiskId());
        if (disk == null) {
            return Decision.nothing(existing, "unknown-disk");
        }
        if (event.getChangeId().equals(existing.changeIds().get(disk))) {
            return Decision.nothing(existing, "duplicate");
        }
        Map<String, String> changeIds = new HashMap<>(existing.changeIds());
        changeIds.put(disk, event.getChangeId());
        FollowedJob.Builder job = existing.toBuilder().changeIds(changeIds).lastChangeAt(now);
        if (everyDisk(existing.disks(), changeIds)) {
            return new Decision(job.completionPending(true).build(), true, List.of(), NextPoll.NOW, "every-disk-recorded");
        }
        return new Decision(job.build(), true, List.of(), NextPoll.UNCHANGED, "recorded");
    }

    /**
     * Someone ended the job ({@code JobCompleted} or {@code JobFailed} on its topic — ours read back, or
     * another writer's): stop following it and remember that it ended.
     */
    public Decision onJobEnded(FollowedJob existing, String jobId, String vmwareVmId, String contextId,
            String correlationId, long now) {
        if (existing != null && existing.status() == Status.ENDED) {
            return Decision.nothing(existing, "already-ended");
        }
        FollowedJob.Builder ended = existing != null ? existing.toBuilder()
                : FollowedJob.builder(Status.ENDED, jobId).vmwareVmId(vmwareVmId).contextId(contextId)
                        .correlationId(correlationId).followedSince(now);
        FollowedJob state = ended.status(Status.ENDED).endedAt(now).endedAs("ended-elsewhere")
                .completionPending(false).build();
        return new Decision(state, true, List.of(), NextPoll.STOP,
                existing != null && existing.following() ? "stopped-following" : "not-followed");
    }

    /** What one poll of the VMA means for the job. */
    public Decision onPoll(FollowedJob job, PollOutcome outcome, long now) {
        if (job == null || !job.following()) {
            return Decision.nothing(job, "not-followed");
        }
        if (outcome instanceof PollOutcome.Answered answered) {
            return onAnswer(job, answered, now);
        }
        if (job.completionPending() || changeIdWaitOver(job, now)) {
            return complete(job.toBuilder(), job.figures(), now);
        }
        if (outcome instanceof PollOutcome.NotFound) {
            long since = job.notFoundSince() != null ? job.notFoundSince() : now;
            FollowedJob.Builder next = job.toBuilder().notFoundSince(since).consecutiveFailures(0).lastFailure(null);
            if (now - since >= settings.notFoundGrace().toMillis()) {
                String message = job.seenOnVma()
                        ? "the VMA no longer knows the job: progress answered 404 for " + human(now - since)
                                + " after it had reported " + describe(job.figures())
                        : "the VMA never reported progress for the job: progress answered 404 for " + human(now - since)
                                + " (grace " + human(settings.notFoundGrace().toMillis()) + ")";
                return fail(next, JobFailureReason.VMA_JOB_NOT_FOUND, message, now);
            }
            return changedOrNot(job, next.build(), List.of(), NextPoll.REGULAR, "not-found");
        }
        PollOutcome.Unavailable unavailable = (PollOutcome.Unavailable) outcome;
        int failures = job.consecutiveFailures() + 1;
        String last = redactor.clean(unavailable.message());
        FollowedJob.Builder next = job.toBuilder().consecutiveFailures(failures).lastFailure(last);
        if (failures >= settings.maxConsecutiveFailures()) {
            return fail(next, JobFailureReason.VMA_UNREACHABLE, "no usable progress answer from the VMA in "
                    + failures + " polls in a row; last: " + last, now);
        }
        return new Decision(next.build(), true, List.of(), NextPoll.BACKOFF, "vma-unavailable");
    }

    /** Whether an entry that is not followed may be forgotten: it ended (or waited for its start) longer ago than {@code retention}. */
    public boolean purgeable(FollowedJob job, long now, Duration retention) {
        if (job.following()) {
            return false;
        }
        long since = job.endedAt() != null ? job.endedAt() : job.followedSince();
        return now - since >= retention.toMillis();
    }

    private Decision onAnswer(FollowedJob job, PollOutcome.Answered answered, long now) {
        Figures figures = Figures.of(answered.progress());
        Figures previous = job.figures();
        boolean moved = figures.copyMovedSince(previous);
        long lastChangeAt = moved ? now : job.lastChangeAt();
        FollowedJob.Builder next = job.toBuilder().figures(figures).seenOnVma(true).notFoundSince(null)
                .consecutiveFailures(0).lastFailure(null).lastChangeAt(lastChangeAt);
        if (job.completionPending() || job.everyDiskHasChangeId()) {
            return complete(next, figures, now);
        }
        if (Figures.FAILED.equals(figures.status())) {
            return fail(next, JobFailureReason.VMA_REPORTED_FAILURE, "the VMA reported the copy failed at "
                    + describe(figures) + ": " + vmaError(answered), now);
        }
        if (figures.reportAllCopied(job.disks())) {
            long since = job.allCopiedSince() != null ? job.allCopiedSince() : now;
            next.allCopiedSince(since);
            if (now - since >= settings.changeIdWait().toMillis()) {
                return complete(next, figures, now);
            }
        } else {
            next.allCopiedSince(null);
        }
        if (now - lastChangeAt >= settings.stallTimeout().toMillis()) {
            return fail(next, JobFailureReason.STALLED, "the VMA reported no progress for " + human(now - lastChangeAt)
                    + " (last report: " + describe(figures) + "); the copy engine is presumed stopped", now);
        }
        List<SpecificRecord> events = figures.equals(previous) ? List.of() : List.of(progress(job, figures, now));
        return changedOrNot(job, next.build(), events, NextPoll.REGULAR, events.isEmpty() ? "unchanged" : "progress");
    }

    private boolean changeIdWaitOver(FollowedJob job, long now) {
        return job.allCopiedSince() != null && now - job.allCopiedSince() >= settings.changeIdWait().toMillis();
    }

    private Decision complete(FollowedJob.Builder builder, Figures figures, long now) {
        FollowedJob job = builder.build();
        List<DiskChangeId> changeIds = changeIds(job);
        JobCompleted event = JobCompleted.newBuilder()
                .setEventId(eventIds.get()).setOccurredAt(Instant.ofEpochMilli(now))
                .setCorrelationId(job.correlationId()).setVmwareVmId(job.vmwareVmId()).setJobId(job.jobId())
                .setContextId(job.contextId()).setReplicationType(replicationType(job))
                .setChangeIds(changeIds).setBytesTransferred(figures == null ? 0 : figures.bytesTransferred())
                .setDurationMs(Math.max(0, now - job.startedAt())).setFailoverId(job.failoverId())
                .setDisks(diskProgress(figures))
                .setRequestedBy(requestedBy(job)).setScheduledBy(origin(job).scheduledBy())
                .setScheduleExecutionId(origin(job).scheduleExecutionId()).setVmGroupId(origin(job).vmGroupId())
                .build();
        List<String> missing = job.disksWithoutChangeId();
        FollowedJob ended = job.toBuilder().status(Status.ENDED).endedAt(now).endedAs("completed")
                .completionPending(false).build();
        return new Decision(ended, true, List.of(event), NextPoll.STOP,
                missing.isEmpty() ? "completed" : "completed-without-change-ids-for-" + String.join(",", missing));
    }

    private Decision fail(FollowedJob.Builder builder, JobFailureReason reason, String message, long now) {
        FollowedJob job = builder.build();
        JobFailed event = JobFailed.newBuilder()
                .setEventId(eventIds.get()).setOccurredAt(Instant.ofEpochMilli(now))
                .setCorrelationId(job.correlationId()).setVmwareVmId(job.vmwareVmId()).setJobId(job.jobId())
                .setContextId(job.contextId()).setReason(reason).setStep(STEP)
                .setMessage(redactor.clean(message)).setFailoverId(job.failoverId())
                .setReplicationType(job.replicationType() == null ? null : replicationType(job))
                .setDurationMs(job.startedAt() == 0 ? 0 : Math.max(0, now - job.startedAt()))
                .setDisks(diskProgress(job.figures())).setChangeIds(changeIds(job))
                .setRequestedBy(requestedBy(job)).setScheduledBy(origin(job).scheduledBy())
                .setScheduleExecutionId(origin(job).scheduleExecutionId()).setVmGroupId(origin(job).vmGroupId())
                .build();
        FollowedJob ended = job.toBuilder().status(Status.ENDED).endedAt(now).endedAs("failed:" + reason.name())
                .completionPending(false).build();
        return new Decision(ended, true, List.of(event), NextPoll.STOP, "failed:" + reason.name());
    }

    private JobProgress progress(FollowedJob job, Figures figures, long now) {
        return JobProgress.newBuilder()
                .setEventId(eventIds.get()).setOccurredAt(Instant.ofEpochMilli(now))
                .setCorrelationId(job.correlationId()).setVmwareVmId(job.vmwareVmId()).setJobId(job.jobId())
                .setContextId(job.contextId()).setPercent(figures.percent()).setPhase(figures.phase())
                .setCurrentOperation(figures.currentOperation()).setSyncType(figures.syncType())
                .setBytesTransferred(figures.bytesTransferred()).setTotalBytes(figures.totalBytes())
                .setThroughputMbps(figures.throughputMbps()).setEtaSeconds(figures.etaSeconds())
                .setDisks(diskProgress(figures)).setFailoverId(job.failoverId())
                .setRequestedBy(requestedBy(job)).setScheduledBy(origin(job).scheduledBy())
                .setScheduleExecutionId(origin(job).scheduleExecutionId()).setVmGroupId(origin(job).vmGroupId())
                .build();
    }

    /** Each disk's figures of the VMA's last report (none before the first report). */
    private static List<DiskProgress> diskProgress(Figures figures) {
        List<DiskProgress> disks = new ArrayList<>();
        if (figures == null) {
            return disks;
        }
        for (Figures.DiskFigures d : figures.disks()) {
            disks.add(DiskProgress.newBuilder().setDiskId(d.diskId()).setLabel(d.label())
                    .setBytesTransferred(d.bytesTransferred()).setTotalBytes(d.totalBytes()).setPercent(d.percent())
                    .setThroughputMbps(d.throughputMbps()).setStatus(d.status()).build());
        }
        return disks;
    }

    /** The change ids recorded so far, in the job's disk order. */
    private static List<DiskChangeId> changeIds(FollowedJob job) {
        List<DiskChangeId> changeIds = new ArrayList<>();
        for (String disk : job.disks()) {
            String changeId = job.changeIds().get(disk);
            if (changeId != null) {
                changeIds.add(DiskChangeId.newBuilder().setDiskId(disk).setChangeId(changeId).build());
            }
        }
        return changeIds;
    }

    /** Who requested the job; nothing known (a job ended before its {@code JobStarted} arrived) is all nulls. */
    private static FollowedJob.Origin origin(FollowedJob job) {
        return job.origin() != null ? job.origin() : new FollowedJob.Origin(null, null, null, null);
    }

    private static String requestedBy(FollowedJob job) {
        String principal = origin(job).requestedBy();
        return principal != null ? principal : "unknown";
    }

    private String vmaError(PollOutcome.Answered answered) {
        String lastError = answered.progress().lastError();
        if (lastError == null || lastError.isBlank()) {
            List<String> errors = answered.progress().errors();
            lastError = errors == null || errors.isEmpty() ? null : errors.get(errors.size() - 1);
        }
        return lastError == null || lastError.isBlank() ? "no error given" : redactor.clean(lastError);
    }

    private static Decision changedOrNot(FollowedJob before, FollowedJob after, List<SpecificRecord> events,
            NextPoll nextPoll, String outcome) {
        return new Decision(after, !after.equals(before), events, nextPoll, outcome);
    }

    private static boolean everyDisk(List<String> disks, Map<String, String> changeIds) {
        return !disks.isEmpty() && changeIds.keySet().containsAll(disks);
    }

    private static ReplicationType replicationType(FollowedJob job) {
        if (job.replicationType() != null) {
            for (ReplicationType type : ReplicationType.values()) {
                if (type.name().equals(job.replicationType())) {
                    return type;
                }
            }
        }
        return ReplicationType.initial;
    }

    private static String describe(Figures figures) {
        return figures == null ? "nothing" : figures.describe();
    }

    static String human(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (millis % 60_000 == 0 && millis >= 60_000) {
            return d.toMinutes() + "m";
        }
        if (millis % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
