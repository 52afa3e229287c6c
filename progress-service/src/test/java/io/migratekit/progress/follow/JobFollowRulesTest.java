package io.migratekit.progress.follow;

import static io.migratekit.progress.testing.Fixtures.GIB;
import static io.migratekit.progress.testing.Fixtures.ORIGIN;
import static io.migratekit.progress.testing.Fixtures.changeId;
import static io.migratekit.progress.testing.Fixtures.disk;
import static io.migratekit.progress.testing.Fixtures.failedProgress;
import static io.migratekit.progress.testing.Fixtures.jobStarted;
import static io.migratekit.progress.testing.Fixtures.progress;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.DiskChangeId;
import io.migratekit.events.DiskProgress;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobProgress;
import io.migratekit.events.ReplicationType;
import io.migratekit.progress.follow.Decision.NextPoll;
import io.migratekit.progress.follow.FollowedJob.Status;
import io.migratekit.vma.VmaDtos;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JobFollowRulesTest {

    private static final String VM = "4205aaaa-0000-0000-0000-000000000001";
    private static final String JOB = "job-20250101-000000.000-abcdef";
    private static final long T0 = 1_750_000_000_000L;
    private static final Instant STARTED = Instant.ofEpochMilli(T0 - 1_000);

    private final AtomicInteger ids = new AtomicInteger();
    private final JobFollowRules rules = new JobFollowRules(FollowSettings.defaults(),
            new SecretRedactor(List.of("s3cr3t-vcenter-pw")), () -> "evt-" + ids.incrementAndGet());

    private FollowedJob following(String... disks) {
        Decision started = rules.onJobStarted(null, jobStarted(VM, JOB, STARTED, disks), T0);
        return started.state();
    }

    private static PollOutcome answer(VmaDtos.Progress progress) {
        return new PollOutcome.Answered(progress);
    }

    @Nested
    class StartingToFollow {

        @Test
        void jobStartedBeginsFollowingEveryDiskAndPollsAtOnce() {
            Decision decision = rules.onJobStarted(null, jobStarted(VM, JOB, STARTED, "disk-2000", "disk-2001"), T0);

            assertThat(decision).isEqualTo(new Decision(FollowedJob.builder(Status.FOLLOWING, JOB).vmwareVmId(VM)
                    .contextId("ctx-" + VM).correlationId("req-" + JOB).replicationType("initial")
                    .disks(List.of("disk-2000", "disk-2001")).startedAt(STARTED.toEpochMilli()).followedSince(T0)
                    .lastChangeAt(T0).origin(ORIGIN).build(), true, List.of(), NextPoll.NOW, "following"));
        }

        @Test
        void aDuplicateJobStartedChangesNothing() {
            FollowedJob job = following("disk-2000");

            Decision decision = rules.onJobStarted(job, jobStarted(VM, JOB, STARTED, "disk-2000"), T0 + 5_000);

            assertThat(decision).isEqualTo(Decision.nothing(job, "duplicate"));
        }

        @Test
        void aJobStartedAfterTheJobEndedChangesNothing() {
            FollowedJob ended = rules.onJobEnded(null, JOB, VM, "ctx-" + VM, "req-" + JOB, T0).state();

            Decision decision = rules.onJobStarted(ended, jobStarted(VM, JOB, STARTED, "disk-2000"), T0 + 1);

            assertThat(decision).isEqualTo(Decision.nothing(ended, "already-ended"));
        }

        @Test
        void aJobStartedWithoutVolumesFailsTheJobAtOnce() {
            Decision decision = rules.onJobStarted(null, jobStarted(VM, JOB, STARTED), T0);

            assertThat(decision.events()).containsExactly(JobFailed.newBuilder().setEventId("evt-1")
                    .setOccurredAt(Instant.ofEpochMilli(T0)).setCorrelationId("req-" + JOB).setVmwareVmId(VM)
                    .setJobId(JOB).setContextId("ctx-" + VM).setReason(JobFailureReason.UNKNOWN).setStep("progress")
                    .setMessage("JobStarted carried no volumes, so there is no disk whose copy could be followed")
                    .setFailoverId(null).setReplicationType(ReplicationType.initial)
                    .setDurationMs(T0 - STARTED.toEpochMilli()).setRequestedBy(ORIGIN.requestedBy()).setScheduledBy(ORIGIN.scheduledBy())
                    .setScheduleExecutionId(ORIGIN.scheduleExecutionId()).setVmGroupId(ORIGIN.vmGroupId()).build());
            assertThat(decision.state().status()).isEqualTo(Status.ENDED);
            assertThat(decision.nextPoll()).isEqualTo(NextPoll.STOP);
        }

        @Test
        void aChangeIdThatArrivesBeforeJobStartedIsKeptAndCounted() {
            FollowedJob awaiting = rules.onChangeIdRecorded(null, changeId(VM, JOB, "2000", "cid-a"), T0).state();

            Decision decision = rules.onJobStarted(awaiting, jobStarted(VM, JOB, STARTED, "disk-2000", "disk-2001"),
                    T0 + 10);

            assertThat(awaiting.status()).isEqualTo(Status.AWAITING_START);
            assertThat(decision.state().status()).isEqualTo(Status.FOLLOWING);
            assertThat(decision.state().changeIds()).isEqualTo(Map.of("disk-2000", "cid-a"));
            assertThat(decision.state().completionPending()).isFalse();
            assertThat(decision.nextPoll()).isEqualTo(NextPoll.NOW);
        }
    }

    @Nested
    class Completion {

        @Test
        void aMultiDiskJobIsNotCompleteAtTheFirstDisksCompletedButOnlyWhenEveryDiskRecordedItsChangeId() {
            FollowedJob job = following("disk-2000", "disk-2001");

            // given disk 1 (10 GiB of 30) is done: the VMA says "completed", and its change id arrives
            Decision firstDiskDone = rules.onPoll(job, answer(progress(JOB, "completed", 10 * GIB, 30 * GIB,
                    disk("disk-2000", 10 * GIB, 10 * GIB, "completed"), disk("disk-2001", 0, 20 * GIB, "pending"))),
                    T0 + 2_000);
            Decision firstChangeId = rules.onChangeIdRecorded(firstDiskDone.state(),
                    changeId(VM, JOB, "disk-2000", "cid-a/1"), T0 + 2_100);
            // and disk 2 copies for a long time and also reports "completed" at its end
            Decision secondDiskCopying = rules.onPoll(firstChangeId.state(), answer(progress(JOB, "in_progress",
                    20 * GIB, 30 * GIB, disk("disk-2000", 10 * GIB, 10 * GIB, "completed"),
                    disk("disk-2001", 10 * GIB, 20 * GIB, "in_progress"))), T0 + 600_000);
            Decision secondDiskCopied = rules.onPoll(secondDiskCopying.state(), answer(progress(JOB, "completed",
                    30 * GIB, 30 * GIB, disk("disk-2000", 10 * GIB, 10 * GIB, "completed"),
                    disk("disk-2001", 20 * GIB, 20 * GIB, "completed"))), T0 + 1_200_000);

            // when disk 2's change id arrives, and the next poll comes back
            Decision secondChangeId = rules.onChangeIdRecorded(secondDiskCopied.state(),
                    changeId(VM, JOB, "disk-2001", "cid-b/1"), T0 + 1_200_100);
            Decision finalPoll = rules.onPoll(secondChangeId.state(), answer(progress(JOB, "completed", 30 * GIB,
                    30 * GIB, disk("disk-2000", 10 * GIB, 10 * GIB, "completed"),
                    disk("disk-2001", 20 * GIB, 20 * GIB, "completed"))), T0 + 1_200_200);

            // then nothing completed the job before the last change id ...
            for (Decision before : List.of(firstDiskDone, firstChangeId, secondDiskCopying, secondDiskCopied)) {
                assertThat(before.state().status()).isEqualTo(Status.FOLLOWING);
                assertThat(before.events()).noneMatch(e -> e instanceof JobCompleted || e instanceof JobFailed);
            }
            assertThat(firstDiskDone.events()).hasSize(1).allMatch(e -> e instanceof JobProgress);
            assertThat(firstChangeId.outcome()).isEqualTo("recorded");
            assertThat(secondChangeId.events()).isEmpty();
            assertThat(secondChangeId.nextPoll()).isEqualTo(NextPoll.NOW);
            assertThat(secondChangeId.state().completionPending()).isTrue();
            // ... and then exactly one JobCompleted with every disk's change id
            assertThat(finalPoll.events()).containsExactly(JobCompleted.newBuilder().setEventId("evt-4")
                    .setOccurredAt(Instant.ofEpochMilli(T0 + 1_200_200)).setCorrelationId("req-" + JOB)
                    .setVmwareVmId(VM).setJobId(JOB).setContextId("ctx-" + VM)
                    .setReplicationType(ReplicationType.initial)
                    .setChangeIds(List.of(new DiskChangeId("disk-2000", "cid-a/1"), new DiskChangeId("disk-2001", "cid-b/1")))
                    .setBytesTransferred(30 * GIB).setDurationMs(T0 + 1_200_200 - STARTED.toEpochMilli())
                    .setFailoverId(null)
                    .setDisks(List.of(diskProgress("disk-2000", 10 * GIB, 10 * GIB, "completed"),
                            diskProgress("disk-2001", 20 * GIB, 20 * GIB, "completed"))).setRequestedBy(ORIGIN.requestedBy()).setScheduledBy(ORIGIN.scheduledBy())
                    .setScheduleExecutionId(ORIGIN.scheduleExecutionId()).setVmGroupId(ORIGIN.vmGroupId()).build());
            assertThat(finalPoll.state().status()).isEqualTo(Status.ENDED);
            assertThat(finalPoll.state().endedAs()).isEqualTo("completed");
            assertThat(finalPoll.nextPoll()).isEqualTo(NextPoll.STOP);
        }

        @Test
        void aCompletedReportWithAllBytesButNoPerDiskFiguresNeverCompletesAMultiDiskJob() {
            FollowedJob job = following("disk-2000", "disk-2001");

            Decision copied = rules.onPoll(job, answer(progress(JOB, "completed", 30 * GIB, 30 * GIB)), T0 + 2_000);
            Decision muchLater = rules.onPoll(copied.state(), answer(progress(JOB, "completed", 30 * GIB, 30 * GIB)),
                    T0 + 302_000);

            assertThat(copied.state().allCopiedSince()).isNull();
            assertThat(muchLater.state().status()).isEqualTo(Status.FOLLOWING);
            assertThat(muchLater.events()).isEmpty();
        }

        @Test
        void aJobTheVmaReportsFullyCopiedWaitsForItsChangeIdsThenCompletesWithTheOnesItHas() {
            FollowedJob job = following("disk-2000");
            VmaDtos.Progress copied = progress(JOB, "completed", 10 * GIB, 10 * GIB,
                    disk("disk-2000", 10 * GIB, 10 * GIB, "completed"));

            Decision first = rules.onPoll(job, answer(copied), T0 + 2_000);
            Decision withinWait = rules.onPoll(first.state(), answer(copied), T0 + 61_999);
            Decision waitOver = rules.onPoll(withinWait.state(), answer(copied), T0 + 62_000);

            assertThat(first.state().allCopiedSince()).isEqualTo(T0 + 2_000);
            assertThat(withinWait.events()).isEmpty();
            assertThat(withinWait.state().status()).isEqualTo(Status.FOLLOWING);
            assertThat(waitOver.events()).hasSize(1);
            JobCompleted completed = (JobCompleted) waitOver.events().get(0);
            assertThat(completed.getChangeIds()).isEmpty();
            assertThat(completed.getBytesTransferred()).isEqualTo(10 * GIB);
            assertThat(waitOver.outcome()).isEqualTo("completed-without-change-ids-for-disk-2000");
        }

        @Test
        void whenTheLastChangeIdIsInTheJobCompletesEvenIfTheFinalPollGetsNoAnswer() {
            FollowedJob seen = rules.onPoll(following("disk-2000"), answer(progress(JOB, "in_progress", 5 * GIB,
                    10 * GIB)), T0 + 2_000).state();
            FollowedJob pending = rules.onChangeIdRecorded(seen, changeId(VM, JOB, "disk-2000", "cid-a/1"), T0 + 3_000)
                    .state();

            Decision finalPoll = rules.onPoll(pending, new PollOutcome.Unavailable("unreachable", "refused"), T0 + 3_100);

            assertThat(finalPoll.events()).hasSize(1);
            JobCompleted completed = (JobCompleted) finalPoll.events().get(0);
            assertThat(completed.getChangeIds()).containsExactly(new DiskChangeId("disk-2000", "cid-a/1"));
            assertThat(completed.getBytesTransferred()).isEqualTo(5 * GIB);
        }

        @Test
        void changeIdsAreMatchedByDeviceKeyAndDuplicatesOrUnknownDisksChangeNothing() {
            FollowedJob job = following("disk-2000", "disk-2001");

            Decision byKey = rules.onChangeIdRecorded(job, changeId(VM, JOB, "2000", "cid-a"), T0 + 1);
            Decision duplicate = rules.onChangeIdRecorded(byKey.state(), changeId(VM, JOB, "disk-2000", "cid-a"), T0 + 2);
            Decision unknown = rules.onChangeIdRecorded(byKey.state(), changeId(VM, JOB, "disk-3000", "cid-x"), T0 + 3);

            assertThat(byKey.state().changeIds()).isEqualTo(Map.of("disk-2000", "cid-a"));
            assertThat(byKey.state().lastChangeAt()).isEqualTo(T0 + 1);
            assertThat(duplicate).isEqualTo(Decision.nothing(byKey.state(), "duplicate"));
            assertThat(unknown).isEqualTo(Decision.nothing(byKey.state(), "unknown-disk"));
        }
    }

    @Nested
    class Failures {

        @Test
        void aFailureTheVmaReportsFailsTheJobWithItsLastErrorWithoutSecrets() {
            FollowedJob job = following("disk-2000");

            Decision decision = rules.onPoll(job, answer(failedProgress(JOB, 4 * GIB, 10 * GIB,
                    "NBD write failed; vCenter login administrator password=s3cr3t-vcenter-pw rejected")), T0 + 2_000);

            assertThat(decision.events()).containsExactly(JobFailed.newBuilder().setEventId("evt-1")
                    .setOccurredAt(Instant.ofEpochMilli(T0 + 2_000)).setCorrelationId("req-" + JOB).setVmwareVmId(VM)
                    .setJobId(JOB).setContextId("ctx-" + VM).setReason(JobFailureReason.VMA_REPORTED_FAILURE)
                    .setStep("progress")
                    .setMessage("the VMA reported the copy failed at 40.0% (failed, failed: Copy failed): NBD write "
                            + "failed; vCenter login administrator password=<redacted> rejected")
                    .setFailoverId(null).setReplicationType(ReplicationType.initial)
                    .setDurationMs(T0 + 2_000 - STARTED.toEpochMilli()).setRequestedBy(ORIGIN.requestedBy()).setScheduledBy(ORIGIN.scheduledBy())
                    .setScheduleExecutionId(ORIGIN.scheduleExecutionId()).setVmGroupId(ORIGIN.vmGroupId()).build());
            assertThat(decision.state().endedAs()).isEqualTo("failed:VMA_REPORTED_FAILURE");
            assertThat(decision.nextPoll()).isEqualTo(NextPoll.STOP);
        }

        @Test
        void notFoundIsToleratedDuringTheGraceAndFailsTheJobAfterIt() {
            FollowedJob job = following("disk-2000");

            Decision first = rules.onPoll(job, new PollOutcome.NotFound(), T0 + 100);
            Decision withinGrace = rules.onPoll(first.state(), new PollOutcome.NotFound(), T0 + 30_099);
            Decision afterGrace = rules.onPoll(withinGrace.state(), new PollOutcome.NotFound(), T0 + 30_100);

            assertThat(first).isEqualTo(new Decision(job.toBuilder().notFoundSince(T0 + 100).build(), true, List.of(),
                    NextPoll.REGULAR, "not-found"));
            assertThat(withinGrace).isEqualTo(new Decision(first.state(), false, List.of(), NextPoll.REGULAR, "not-found"));
            assertThat(afterGrace.events()).hasSize(1);
            JobFailed failed = (JobFailed) afterGrace.events().get(0);
            assertThat(failed.getReason()).isEqualTo(JobFailureReason.VMA_JOB_NOT_FOUND);
            assertThat(failed.getMessage()).isEqualTo(
                    "the VMA never reported progress for the job: progress answered 404 for 30s (grace 30s)");
        }

        @Test
        void aJobTheVmaForgetsAfterReportingProgressFailsAfterTheGraceCountedFromTheFirst404() {
            FollowedJob seen = rules.onPoll(following("disk-2000"), answer(progress(JOB, "in_progress", GIB, 10 * GIB)),
                    T0 + 2_000).state();

            Decision first404 = rules.onPoll(seen, new PollOutcome.NotFound(), T0 + 600_000);
            Decision after = rules.onPoll(first404.state(), new PollOutcome.NotFound(), T0 + 630_000);

            assertThat(first404.events()).isEmpty();
            JobFailed failed = (JobFailed) after.events().get(0);
            assertThat(failed.getReason()).isEqualTo(JobFailureReason.VMA_JOB_NOT_FOUND);
            assertThat(failed.getMessage()).isEqualTo("the VMA no longer knows the job: progress answered 404 for 30s"
                    + " after it had reported 10.0% (in_progress, copying: Copying)");
        }

        @Test
        void repeatedFailuresBackOffAndFailTheJobAsUnreachableAtTheLimit() {
            FollowedJob job = following("disk-2000");
            PollOutcome refused = new PollOutcome.Unavailable("unreachable",
                    "VMA GET /api/v1/progress/x: VMA unreachable at http://admin:pw@vma.example:8081");

            Decision d = rules.onPoll(job, refused, T0);
            for (int failures = 1; failures < 5; failures++) {
                assertThat(d.events()).isEmpty();
                assertThat(d.nextPoll()).isEqualTo(NextPoll.BACKOFF);
                assertThat(d.state().consecutiveFailures()).isEqualTo(failures);
                d = rules.onPoll(d.state(), refused, T0 + failures * 1_000L);
            }

            assertThat(d.events()).containsExactly(JobFailed.newBuilder().setEventId("evt-1")
                    .setOccurredAt(Instant.ofEpochMilli(T0 + 4_000)).setCorrelationId("req-" + JOB).setVmwareVmId(VM)
                    .setJobId(JOB).setContextId("ctx-" + VM).setReason(JobFailureReason.VMA_UNREACHABLE)
                    .setStep("progress")
                    .setMessage("no usable progress answer from the VMA in 5 polls in a row; last: VMA GET "
                            + "/api/v1/progress/x: VMA unreachable at http://<redacted>@vma.example:8081")
                    .setFailoverId(null).setReplicationType(ReplicationType.initial)
                    .setDurationMs(T0 + 4_000 - STARTED.toEpochMilli()).setRequestedBy(ORIGIN.requestedBy()).setScheduledBy(ORIGIN.scheduledBy())
                    .setScheduleExecutionId(ORIGIN.scheduleExecutionId()).setVmGroupId(ORIGIN.vmGroupId()).build());
        }

        @Test
        void anAnswerBetweenFailuresResetsTheCount() {
            PollOutcome refused = new PollOutcome.Unavailable("timeout", "no answer within PT5S");
            FollowedJob failedTwice = rules.onPoll(rules.onPoll(following("disk-2000"), refused, T0).state(), refused,
                    T0 + 4_000).state();

            Decision answered = rules.onPoll(failedTwice, answer(progress(JOB, "in_progress", GIB, 10 * GIB)), T0 + 12_000);

            assertThat(failedTwice.consecutiveFailures()).isEqualTo(2);
            assertThat(failedTwice.lastFailure()).isEqualTo("no answer within PT5S");
            assertThat(answered.state().consecutiveFailures()).isZero();
            assertThat(answered.state().lastFailure()).isNull();
            assertThat(answered.nextPoll()).isEqualTo(NextPoll.REGULAR);
        }

        @Test
        void aCopyThatDoesNotMoveForTheStallTimeFailsAsStalledEvenIfThroughputFiguresChange() {
            FollowedJob job = following("disk-2000");
            Decision first = rules.onPoll(job, answer(progress(JOB, "in_progress", 3 * GIB, 10 * GIB)), T0);
            VmaDtos.Progress sameBytesOtherThroughput = new VmaDtos.Progress(JOB, "in_progress", "full", "copying", 30.0,
                    "Copying", 3 * GIB, 10 * GIB, new VmaDtos.Throughput(0.0, 10.0, 120.0),
                    new VmaDtos.Timing(null, null, null, 999L), List.of(), List.of(), "");

            Decision beforeStall = rules.onPoll(first.state(), answer(sameBytesOtherThroughput), T0 + 599_999);
            Decision stalled = rules.onPoll(beforeStall.state(), answer(sameBytesOtherThroughput), T0 + 600_000);

            assertThat(beforeStall.events()).hasSize(1).allMatch(e -> e instanceof JobProgress);
            assertThat(beforeStall.state().lastChangeAt()).isEqualTo(T0);
            JobFailed failed = (JobFailed) stalled.events().get(0);
            assertThat(failed.getReason()).isEqualTo(JobFailureReason.STALLED);
            assertThat(failed.getMessage()).isEqualTo("the VMA reported no progress for 10m (last report: 30.0% "
                    + "(in_progress, copying: Copying)); the copy engine is presumed stopped");
        }

        @Test
        void aChangeIdCountsAsProgressForTheStallClock() {
            FollowedJob job = following("disk-2000", "disk-2001");
            VmaDtos.Progress frozen = progress(JOB, "completed", 10 * GIB, 30 * GIB);
            FollowedJob polled = rules.onPoll(job, answer(frozen), T0).state();
            FollowedJob recorded = rules.onChangeIdRecorded(polled, changeId(VM, JOB, "disk-2000", "c"), T0 + 300_000)
                    .state();

            Decision d = rules.onPoll(recorded, answer(frozen), T0 + 600_000);

            assertThat(d.state().status()).isEqualTo(Status.FOLLOWING);
            assertThat(d.events()).isEmpty();
        }
    }

    @Nested
    class ProgressReports {

        @Test
        void aChangeEmitsOneJobProgressWithTheJobsPercentFromBytesAndEveryDisksFigures() {
            FollowedJob job = following("disk-2000", "disk-2001");

            Decision d = rules.onPoll(job, answer(progress(JOB, "in_progress", 15 * GIB, 30 * GIB,
                    disk("disk-2000", 10 * GIB, 10 * GIB, "completed"), disk("disk-2001", 5 * GIB, 20 * GIB,
                            "in_progress"))), T0 + 2_000);

            assertThat(d.events()).containsExactly(JobProgress.newBuilder().setEventId("evt-1")
                    .setOccurredAt(Instant.ofEpochMilli(T0 + 2_000)).setCorrelationId("req-" + JOB).setVmwareVmId(VM)
                    .setJobId(JOB).setContextId("ctx-" + VM).setPercent(50.0).setPhase("copying")
                    .setCurrentOperation("Copying").setSyncType("full").setBytesTransferred(15 * GIB)
                    .setTotalBytes(30 * GIB).setThroughputMbps(100.0).setEtaSeconds(60L)
                    .setDisks(List.of(
                            DiskProgress.newBuilder().setDiskId("disk-2000").setLabel("Hard disk disk-2000")
                                    .setBytesTransferred(10 * GIB).setTotalBytes(10 * GIB).setPercent(100.0)
                                    .setThroughputMbps(100.0).setStatus("completed").build(),
                            DiskProgress.newBuilder().setDiskId("disk-2001").setLabel("Hard disk disk-2001")
                                    .setBytesTransferred(5 * GIB).setTotalBytes(20 * GIB).setPercent(25.0)
                                    .setThroughputMbps(100.0).setStatus("in_progress").build()))
                    .setFailoverId(null).setRequestedBy(ORIGIN.requestedBy()).setScheduledBy(ORIGIN.scheduledBy())
                    .setScheduleExecutionId(ORIGIN.scheduleExecutionId()).setVmGroupId(ORIGIN.vmGroupId()).build());
            assertThat(d.outcome()).isEqualTo("progress");
            assertThat(d.nextPoll()).isEqualTo(NextPoll.REGULAR);
        }

        @Test
        void unchangedProgressEmitsNothingAndWritesNothing() {
            VmaDtos.Progress same = progress(JOB, "in_progress", 3 * GIB, 10 * GIB);
            FollowedJob polled = rules.onPoll(following("disk-2000"), answer(same), T0).state();

            Decision d = rules.onPoll(polled, answer(same), T0 + 2_000);

            assertThat(d).isEqualTo(new Decision(polled, false, List.of(), NextPoll.REGULAR, "unchanged"));
        }
    }

    @Nested
    class EndingAndForgetting {

        @Test
        void aJobEndedBySomeoneElseIsNoLongerFollowedAndItsPollsChangeNothing() {
            FollowedJob job = following("disk-2000");

            Decision ended = rules.onJobEnded(job, JOB, VM, "ctx-" + VM, "req-" + JOB, T0 + 5_000);
            Decision lateOutcome = rules.onPoll(ended.state(), new PollOutcome.NotFound(), T0 + 40_000);
            Decision again = rules.onJobEnded(ended.state(), JOB, VM, "ctx-" + VM, "req-" + JOB, T0 + 6_000);

            assertThat(ended).isEqualTo(new Decision(job.toBuilder().status(Status.ENDED).endedAt(T0 + 5_000)
                    .endedAs("ended-elsewhere").build(), true, List.of(), NextPoll.STOP, "stopped-following"));
            assertThat(lateOutcome).isEqualTo(Decision.nothing(ended.state(), "not-followed"));
            assertThat(again).isEqualTo(Decision.nothing(ended.state(), "already-ended"));
        }

        @Test
        void anEndOfAJobNeverFollowedIsRememberedSoALateJobStartedIsIgnored() {
            Decision ended = rules.onJobEnded(null, JOB, VM, "ctx-" + VM, "req-" + JOB, T0);

            assertThat(ended).isEqualTo(new Decision(FollowedJob.builder(Status.ENDED, JOB).vmwareVmId(VM)
                    .contextId("ctx-" + VM).correlationId("req-" + JOB).followedSince(T0).endedAt(T0)
                    .endedAs("ended-elsewhere").build(), true, List.of(), NextPoll.STOP, "not-followed"));
        }

        @Test
        void onlyEntriesNotFollowedArePurgedAndOnlyAfterTheRetention() {
            FollowedJob job = following("disk-2000");
            FollowedJob ended = rules.onJobEnded(job, JOB, VM, "c", "r", T0).state();
            Duration retention = Duration.ofDays(7);

            assertThat(rules.purgeable(job, T0 + retention.toMillis() * 2, retention)).isFalse();
            assertThat(rules.purgeable(ended, T0 + retention.toMillis() - 1, retention)).isFalse();
            assertThat(rules.purgeable(ended, T0 + retention.toMillis(), retention)).isTrue();
        }
    }

    @Test
    void theBackoffDoublesFromTwiceTheIntervalUpToItsCap() {
        FollowSettings settings = FollowSettings.defaults();

        assertThat(List.of(1, 2, 3, 4, 5).stream().map(settings::backoffMillis).toList())
                .containsExactly(4_000L, 8_000L, 16_000L, 30_000L, 30_000L);
    }

    private static DiskProgress diskProgress(String diskId, long bytes, long total, String status) {
        return DiskProgress.newBuilder().setDiskId(diskId).setLabel("Hard disk " + diskId).setBytesTransferred(bytes)
                .setTotalBytes(total).setPercent(100.0 * bytes / total).setThroughputMbps(100.0).setStatus(status)
                .build();
    }
}
