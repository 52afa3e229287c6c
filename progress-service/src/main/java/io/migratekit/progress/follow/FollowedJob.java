package io.migratekit.progress.follow;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The durable poll state of one job, as the state store keeps it (one entry per job id). Times are
 * wall-clock epoch milliseconds. An immutable value; changes go through {@link #toBuilder()}.
 *
 * <p>Owns nothing but the data: the rules ({@link JobFollowRules}) decide the transitions, the
 * processor stores it. When to poll next is not kept here: after a restart every followed job is
 * simply due at once.
 *
 * @param status             following, waiting for its {@code JobStarted}, or ended
 * @param jobId              the job id (the store key)
 * @param vmwareVmId         the VM (the key of every event about the job)
 * @param contextId          the job's context
 * @param correlationId      the correlation id the job's events carry
 * @param failoverId         the failover this job is the final sync of, or null
 * @param replicationType    {@code initial} or {@code incremental}, from {@code JobStarted}
 * @param disks              the job's disks (the {@code disk_id} of each volume of {@code JobStarted}), in order
 * @param startedAt          {@code occurred_at} of {@code JobStarted} (the job's duration counts from it)
 * @param followedSince      when this service started following (or first heard of) the job
 * @param changeIds          the change id recorded for each disk so far
 * @param figures            the VMA's last progress report, or null before the first one
 * @param lastChangeAt       when the copy last moved (or a change id arrived, or following began)
 * @param seenOnVma          whether the VMA has ever answered 200 for the job
 * @param notFoundSince      start of the current run of 404 answers, or null
 * @param consecutiveFailures failed polls in a row (404 is an answer, not a failure)
 * @param lastFailure        what the last failed poll said, or null
 * @param allCopiedSince     since when the VMA reports every disk copied while change ids are missing, or null
 * @param completionPending  every disk has its change id: complete with the figures of the next poll
 * @param endedAt            when the job ended, or null
 * @param endedAs            how it ended ({@code completed}, {@code failed:<REASON>}, {@code ended-elsewhere}), or null
 * @param origin             who requested the job (principal, scheduler), from {@code JobStarted}; every event
 *                           about the job carries it; null before {@code JobStarted}
 */
public record FollowedJob(Status status, String jobId, String vmwareVmId, String contextId, String correlationId,
        String failoverId, String replicationType, List<String> disks, long startedAt, long followedSince,
        Map<String, String> changeIds, Figures figures, long lastChangeAt, boolean seenOnVma, Long notFoundSince,
        int consecutiveFailures, String lastFailure, Long allCopiedSince, boolean completionPending, Long endedAt,
        String endedAs, Origin origin) {

    /** Who requested the job: the principal, and the scheduler's run and VM group when a scheduler did. */
    public record Origin(String requestedBy, String scheduledBy, String scheduleExecutionId, String vmGroupId) {
    }

    /** Where a job is in its life as far as this service is concerned. */
    public enum Status {
        /** Being polled. */
        FOLLOWING,
        /** A change id arrived before the job's {@code JobStarted}; kept until it comes (not polled). */
        AWAITING_START,
        /** Ended (by us or by someone else); kept for a while so duplicates of its events change nothing. */
        ENDED
    }

    public FollowedJob {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(jobId, "jobId");
        disks = disks == null ? List.of() : List.copyOf(disks);
        changeIds = changeIds == null ? Map.of() : Map.copyOf(changeIds);
    }

    public boolean following() {
        return status == Status.FOLLOWING;
    }

    /** Whether every disk of the job has a recorded change id (false for a job without disks). */
    public boolean everyDiskHasChangeId() {
        if (disks.isEmpty()) {
            return false;
        }
        for (String disk : disks) {
            if (!changeIds.containsKey(disk)) {
                return false;
            }
        }
        return true;
    }

    /** The job's disks that have no change id yet, in order. */
    public List<String> disksWithoutChangeId() {
        return disks.stream().filter(d -> !changeIds.containsKey(d)).toList();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder starting from nothing but the identity of a job. */
    public static Builder builder(Status status, String jobId) {
        return new Builder(status, jobId);
    }

    /** Copies a {@link FollowedJob} with changes. */
    public static final class Builder {
        private Status status;
        private final String jobId;
        private String vmwareVmId;
        private String contextId;
        private String correlationId;
        private String failoverId;
        private String replicationType;
        private List<String> disks = List.of();
        private long startedAt;
        private long followedSince;
        private Map<String, String> changeIds = Map.of();
        private Figures figures;
        private long lastChangeAt;
        private boolean seenOnVma;
        private Long notFoundSince;
        private int consecutiveFailures;
        private String lastFailure;
        private Long allCopiedSince;
        private boolean completionPending;
        private Long endedAt;
        private String endedAs;
        private Origin origin;

        private Builder(Status status, String jobId) {
            this.status = status;
            this.jobId = jobId;
        }

        private Builder(FollowedJob j) {
            this(j.status, j.jobId);
            vmwareVmId = j.vmwareVmId;
            contextId = j.contextId;
            correlationId = j.correlationId;
            failoverId = j.failoverId;
            replicationType = j.replicationType;
            disks = j.disks;
            startedAt = j.startedAt;
            followedSince = j.followedSince;
            changeIds = j.changeIds;
            figures = j.figures;
            lastChangeAt = j.lastChangeAt;
            seenOnVma = j.seenOnVma;
            notFoundSince = j.notFoundSince;
            consecutiveFailures = j.consecutiveFailures;
            lastFailure = j.lastFailure;
            allCopiedSince = j.allCopiedSince;
            completionPending = j.completionPending;
            endedAt = j.endedAt;
            endedAs = j.endedAs;
            origin = j.origin;
        }

        public Builder status(Status value) {
            status = value;
            return this;
        }

        public Builder vmwareVmId(String value) {
            vmwareVmId = value;
            return this;
        }

        public Builder contextId(String value) {
            contextId = value;
            return this;
        }

        public Builder correlationId(String value) {
            correlationId = value;
            return this;
        }

        public Builder failoverId(String value) {
            failoverId = value;
            return this;
        }

        public Builder replicationType(String value) {
            replicationType = value;
            return this;
        }

        public Builder disks(List<String> value) {
            disks = value;
            return this;
        }

        public Builder startedAt(long value) {
            startedAt = value;
            return this;
        }

        public Builder followedSince(long value) {
            followedSince = value;
            return this;
        }

        public Builder changeIds(Map<String, String> value) {
            changeIds = value;
            return this;
        }

        public Builder figures(Figures value) {
            figures = value;
            return this;
        }

        public Builder lastChangeAt(long value) {
            lastChangeAt = value;
            return this;
        }

        public Builder seenOnVma(boolean value) {
            seenOnVma = value;
            return this;
        }

        public Builder notFoundSince(Long value) {
            notFoundSince = value;
            return this;
        }

        public Builder consecutiveFailures(int value) {
            consecutiveFailures = value;
            return this;
        }

        public Builder lastFailure(String value) {
            lastFailure = value;
            return this;
        }

        public Builder allCopiedSince(Long value) {
            allCopiedSince = value;
            return this;
        }

        public Builder completionPending(boolean value) {
            completionPending = value;
            return this;
        }

        public Builder endedAt(Long value) {
            endedAt = value;
            return this;
        }

        public Builder endedAs(String value) {
            endedAs = value;
            return this;
        }

        public Builder origin(Origin value) {
            origin = value;
            return this;
        }

        public FollowedJob build() {
            return new FollowedJob(status, jobId, vmwareVmId, contextId, correlationId, failoverId, replicationType,
                    disks, startedAt, followedSince, changeIds, figures, lastChangeAt, seenOnVma, notFoundSince,
                    consecutiveFailures, lastFailure, allCopiedSince, completionPending, endedAt, endedAs, origin);
        }
    }
}
