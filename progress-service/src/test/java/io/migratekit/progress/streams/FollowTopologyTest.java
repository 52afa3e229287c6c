package io.migratekit.progress.streams;

import static io.migratekit.progress.testing.Fixtures.GIB;
import static io.migratekit.progress.testing.Fixtures.ORIGIN;
import static io.migratekit.progress.testing.Fixtures.changeId;
import static io.migratekit.progress.testing.Fixtures.disk;
import static io.migratekit.progress.testing.Fixtures.failedElsewhere;
import static io.migratekit.progress.testing.Fixtures.failedProgress;
import static io.migratekit.progress.testing.Fixtures.jobStarted;
import static io.migratekit.progress.testing.Fixtures.progress;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.DiskChangeId;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationType;
import io.migratekit.platform.KeyMismatchException;
import io.migratekit.platform.streams.DeadLetterSink;
import io.migratekit.platform.streams.StreamsDeadLetters;
import io.migratekit.progress.ProgressMetrics;
import io.migratekit.progress.follow.FollowSettings;
import io.migratekit.progress.follow.FollowedJob;
import io.migratekit.progress.follow.JobFollowRules;
import io.migratekit.progress.follow.PollOutcome;
import io.migratekit.progress.follow.SecretRedactor;
import io.migratekit.progress.poll.ProgressPoller;
import io.migratekit.progress.testing.PlainAvroSerdes;
import io.migratekit.progress.testing.ScriptedVma;
import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology in {@link TopologyTestDriver} with a scripted VMA: wall-clock time is the driver's, so
 * grace, backoff and stall times pass in milliseconds of real time.
 */
class FollowTopologyTest {

    private static final String VM = "4205bbbb-0000-0000-0000-000000000002";
    private static final String JOB = "job-20250101-000000.000-aaaaaa";
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration HALF_SECOND = Duration.ofMillis(500);

    @TempDir
    Path stateDir;

    private final PlainAvroSerdes serdes = new PlainAvroSerdes();
    private final ScriptedVma vma = new ScriptedVma();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<ProducerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    private final AtomicInteger eventIds = new AtomicInteger();
    private TopologyTestDriver driver;
    private TestInputTopic<String, JobStarted> jobStarted;
    private TestInputTopic<String, ChangeIdRecorded> changeIds;
    private TestInputTopic<String, JobFailed> jobFailedIn;
    private TestOutputTopic<String, JobProgress> progressOut;
    private TestOutputTopic<String, JobCompleted> completedOut;
    private TestOutputTopic<String, JobFailed> failedOut;
    private Instant now = T0;

    @BeforeEach
    void startDriver() {
        JobFollowRules rules = new JobFollowRules(FollowSettings.defaults(), SecretRedactor.patternsOnly(),
                () -> "evt-" + eventIds.incrementAndGet());
        ProgressPoller poller = new ProgressPoller(vma, 8);
        ProgressMetrics metrics = new ProgressMetrics(meters, poller::inFlight);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "progress-topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.Deserialization.class);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsDeadLetters.Processing.class);
        config.put(StreamsDeadLetters.POISON_CONFIG, StreamsDeadLetters.causedBy(UnprocessableEventException.class));
        config.put(StreamsDeadLetters.SINK_CONFIG, (DeadLetterSink) deadLetters::add);
        config.put(StreamsDeadLetters.SERVICE_CONFIG, "progress-service");
        driver = new TopologyTestDriver(FollowTopology.build(serdes, rules, poller, metrics, TICK, Duration.ofDays(7),
                Duration.ofMinutes(10)), config, T0);
        jobStarted = input(Topics.JOB_STARTED);
        changeIds = input(Topics.CHANGE_ID_RECORDED);
        jobFailedIn = input(Topics.JOB_FAILED);
        progressOut = output(Topics.JOB_PROGRESS);
        completedOut = output(Topics.JOB_COMPLETED);
        failedOut = output(Topics.JOB_FAILED);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aMultiDiskJobWhoseFirstDiskCompletesLongBeforeTheSecondCompletesOnlyWhenTheSecondDoes() {
        // given a two-disk job; the VMA reports disk 1 completed and its change id arrives
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000", "disk-2001"));
        vma.answer(JOB, progress(JOB, "in_progress", 5 * GIB, 30 * GIB));
        runFor(Duration.ofSeconds(1));
        vma.answer(JOB, progress(JOB, "completed", 10 * GIB, 30 * GIB, disk("disk-2000", 10 * GIB, 10 * GIB, "completed"),
                disk("disk-2001", 0, 20 * GIB, "pending")));
        runFor(Duration.ofSeconds(2));
        changeIds.pipeInput(VM, changeId(VM, JOB, "disk-2000", "cid-a/3"));
        // when disk 2 copies for half an hour, then reports completed with every byte
        for (int minute = 1; minute <= 30; minute++) {
            vma.answer(JOB, progress(JOB, "in_progress", 10 * GIB + minute * 20 * GIB / 31, 30 * GIB,
                    disk("disk-2000", 10 * GIB, 10 * GIB, "completed"),
                    disk("disk-2001", minute * 20 * GIB / 31, 20 * GIB, "in_progress")));
            runFor(Duration.ofMinutes(1), Duration.ofSeconds(2));
        }
        vma.answer(JOB, progress(JOB, "completed", 30 * GIB, 30 * GIB, disk("disk-2000", 10 * GIB, 10 * GIB, "completed"),
                disk("disk-2001", 20 * GIB, 20 * GIB, "completed")));
        runFor(Duration.ofSeconds(2));
        List<JobCompleted> beforeLastChangeId = completedOut.readValuesToList();
        changeIds.pipeInput(VM, changeId(VM, JOB, "disk-2001", "cid-b/7"));
        runFor(Duration.ofSeconds(1));

        // then the job completed exactly once, after disk 2's change id, with both change ids
        assertThat(beforeLastChangeId).isEmpty();
        List<JobCompleted> completed = completedOut.readValuesToList();
        assertThat(completed).hasSize(1);
        JobCompleted event = completed.get(0);
        assertThat(event.getChangeIds()).containsExactly(new DiskChangeId("disk-2000", "cid-a/3"),
                new DiskChangeId("disk-2001", "cid-b/7"));
        assertThat(event.getBytesTransferred()).isEqualTo(30 * GIB);
        assertThat(event.getReplicationType()).isEqualTo(ReplicationType.initial);
        assertThat(event.getCorrelationId()).isEqualTo("req-" + JOB);
        assertThat(event.getContextId()).isEqualTo("ctx-" + VM);
        assertThat(event.getDurationMs()).isEqualTo(Duration.between(T0, now).toMillis() - 900);
        assertThat(failedOut.readValuesToList()).isEmpty();
        // and the progress events show disk 1 done long before the end, the last one at 100 %
        List<JobProgress> progress = progressOut.readValuesToList();
        assertThat(progress).hasSize(33);
        assertThat(progress.get(1).getDisks().get(0).getStatus()).isEqualTo("completed");
        assertThat(progress.get(32).getPercent()).isEqualTo(100.0);
        // and the job is no longer polled
        long polls = vma.pollsOf(JOB);
        runFor(Duration.ofSeconds(10));
        assertThat(vma.pollsOf(JOB)).isEqualTo(polls);
        assertThat(store().get(JOB).status()).isEqualTo(FollowedJob.Status.ENDED);
    }

    @Test
    void aFailureReportedByTheVmaFailsTheJob() {
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));
        vma.answer(JOB, progress(JOB, "in_progress", GIB, 10 * GIB));
        runFor(Duration.ofSeconds(3));

        vma.answer(JOB, failedProgress(JOB, 2 * GIB, 10 * GIB, "NBD write to target failed: connection reset by peer"));
        runFor(Duration.ofSeconds(2));

        assertThat(failedOut.readValuesToList()).containsExactly(JobFailed.newBuilder().setEventId("evt-2")
                .setOccurredAt(now.minusMillis(900)).setCorrelationId("req-" + JOB).setVmwareVmId(VM).setJobId(JOB)
                .setContextId("ctx-" + VM).setReason(JobFailureReason.VMA_REPORTED_FAILURE).setStep("progress")
                .setMessage("the VMA reported the copy failed at 20.0% (failed, failed: Copy failed): NBD write to "
                        + "target failed: connection reset by peer")
                .setFailoverId(null).setReplicationType(ReplicationType.initial)
                .setDurationMs(now.minusMillis(900).toEpochMilli() - T0.toEpochMilli())
                .setRequestedBy(ORIGIN.requestedBy()).setScheduledBy(ORIGIN.scheduledBy())
                .setScheduleExecutionId(ORIGIN.scheduleExecutionId()).setVmGroupId(ORIGIN.vmGroupId()).build());
        assertThat(progressOut.readValuesToList()).hasSize(1);
        assertThat(completedOut.readValuesToList()).isEmpty();
    }

    @Test
    void notFoundIsToleratedWithinTheGraceAndFailsTheJobAfterIt() {
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));

        runFor(Duration.ofSeconds(29), HALF_SECOND);
        List<JobFailed> withinGrace = failedOut.readValuesToList();
        runFor(Duration.ofSeconds(2), HALF_SECOND);

        assertThat(withinGrace).isEmpty();
        List<JobFailed> failed = failedOut.readValuesToList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getReason()).isEqualTo(JobFailureReason.VMA_JOB_NOT_FOUND);
        assertThat(failed.get(0).getMessage())
                .isEqualTo("the VMA never reported progress for the job: progress answered 404 for 30s (grace 30s)");
        assertThat(vma.pollsOf(JOB)).isEqualTo(16);
        assertThat(progressOut.readValuesToList()).isEmpty();
        assertThat(completedOut.readValuesToList()).isEmpty();
    }

    @Test
    void anUnreachableVmaIsPolledWithBackoffAndFailsTheJobAfterFiveFailuresInARow() {
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));
        vma.answer(JOB, new PollOutcome.Unavailable("unreachable",
                "VMA GET /api/v1/progress/" + JOB + ": VMA unreachable at http://127.0.0.1:1"));

        runFor(Duration.ofSeconds(58), HALF_SECOND);
        long pollsBeforeLast = vma.pollsOf(JOB);
        List<JobFailed> beforeLast = failedOut.readValuesToList();
        runFor(Duration.ofSeconds(2), HALF_SECOND);

        // polls at 0.5 s, then after 4, 8, 16 and 30 s of backoff: 0.5, 4.5, 12.5, 28.5, 58.5
        assertThat(pollsBeforeLast).isEqualTo(4);
        assertThat(beforeLast).isEmpty();
        assertThat(vma.pollsOf(JOB)).isEqualTo(5);
        List<JobFailed> failed = failedOut.readValuesToList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getReason()).isEqualTo(JobFailureReason.VMA_UNREACHABLE);
        assertThat(failed.get(0).getMessage()).isEqualTo("no usable progress answer from the VMA in 5 polls in a row; "
                + "last: VMA GET /api/v1/progress/" + JOB + ": VMA unreachable at http://127.0.0.1:1");
        assertThat(meters.get("migratekit.progress.polls").tag("outcome", "unreachable").counter().count())
                .isEqualTo(5.0);
    }

    @Test
    void aCopyThatStopsMovingFailsAsStalledAfterTheStallTimeAndUnchangedProgressEmitsNothing() {
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));
        vma.answer(JOB, progress(JOB, "in_progress", 4 * GIB, 10 * GIB));

        // polls every 2 s from 2 s on: the copy last moved at the first poll, so it is stalled at 602 s
        runFor(Duration.ofSeconds(600), Duration.ofSeconds(2));
        List<JobFailed> beforeStallTime = failedOut.readValuesToList();
        runFor(Duration.ofSeconds(2), Duration.ofSeconds(2));

        assertThat(beforeStallTime).isEmpty();
        assertThat(progressOut.readValuesToList()).hasSize(1);
        List<JobFailed> failed = failedOut.readValuesToList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getReason()).isEqualTo(JobFailureReason.STALLED);
        assertThat(failed.get(0).getMessage()).isEqualTo("the VMA reported no progress for 10m (last report: 40.0% "
                + "(in_progress, copying: Copying)); the copy engine is presumed stopped");
        assertThat(vma.pollsOf(JOB)).isEqualTo(301);
    }

    @Test
    void progressThatChangesAllTheTimeIsReportedAtMostOncePerInterval() {
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));

        for (int step = 1; step <= 200; step++) {
            vma.answer(JOB, progress(JOB, "in_progress", step * 10L * 1024 * 1024, 10 * GIB));
            runFor(TICK);
        }

        List<JobProgress> progress = progressOut.readValuesToList();
        assertThat(progress).hasSize(10);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(Duration.between(progress.get(i - 1).getOccurredAt(), progress.get(i).getOccurredAt()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        }
        assertThat(meters.get("migratekit.progress.jobs.followed").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aJobFailedBySomeoneElseIsNoLongerPolledAndALateDuplicateJobStartedChangesNothing() {
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));
        vma.answer(JOB, progress(JOB, "in_progress", GIB, 10 * GIB));
        runFor(Duration.ofSeconds(3));
        long polls = vma.pollsOf(JOB);

        jobFailedIn.pipeInput(VM, failedElsewhere(VM, JOB));
        failedOut.readValuesToList();
        runFor(Duration.ofSeconds(60), Duration.ofSeconds(1));
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));
        runFor(Duration.ofSeconds(60), Duration.ofSeconds(1));

        assertThat(vma.pollsOf(JOB)).isEqualTo(polls);
        assertThat(failedOut.readValuesToList()).isEmpty();
        assertThat(completedOut.readValuesToList()).isEmpty();
        assertThat(progressOut.readValuesToList()).hasSize(1);
        assertThat(meters.get("migratekit.progress.jobs.followed").gauge().value()).isZero();
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsReasonAndTheNextRecordIsProcessed() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.JOB_STARTED.name(), new StringSerializer(),
                new ByteArraySerializer(), T0, Duration.ZERO);
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);

        raw.pipeInput(VM, garbage);
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));
        runFor(TICK);

        assertThat(deadLetters).hasSize(1);
        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertThat(deadLetter.topic()).isEqualTo(Topics.DEAD_LETTERS);
        assertThat(deadLetter.value()).isEqualTo(garbage);
        assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo(VM);
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.JOB_STARTED.name());
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(header(deadLetter, DeadLetters.CONSUMER)).isEqualTo("progress-service");
        assertThat(header(deadLetter, DeadLetters.REASON)).contains("not an Avro JobStarted");
        assertThat(header(deadLetter, DeadLetters.EXCEPTION)).isNotBlank();
        assertThat(vma.pollsOf(JOB)).isEqualTo(1);
    }

    @Test
    void aJobStartedUnderAnotherVmsKeyIsDeadLetteredNotFollowedAndTheNextRecordIsProcessed() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.JOB_STARTED.name(), new StringSerializer(),
                new ByteArraySerializer(), T0, Duration.ZERO);
        String otherJob = "job-20250101-000000.000-bbbbbb";
        byte[] impossible = serdes.valueSerde(Topics.JOB_STARTED).serializer().serialize(Topics.JOB_STARTED.name(),
                jobStarted(VM, otherJob, T0, "disk-3000"));

        raw.pipeInput("some-other-vm", impossible);
        jobStarted.pipeInput(VM, jobStarted(VM, JOB, T0, "disk-2000"));
        runFor(TICK);

        assertThat(deadLetters).hasSize(1);
        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo("some-other-vm");
        assertThat(deadLetter.value()).isEqualTo(impossible);
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(header(deadLetter, DeadLetters.REASON)).isEqualTo("cannot process in " + FollowTopology.PROCESSOR
                + ": KeyMismatchException (key some-other-vm differs from the event's vmware_vm_id " + VM
                + " (JobStarted))");
        assertThat(header(deadLetter, DeadLetters.EXCEPTION)).isEqualTo(KeyMismatchException.class.getName());
        assertThat(store().get(otherJob)).isNull();
        assertThat(vma.pollsOf(otherJob)).isZero();
        assertThat(vma.pollsOf(JOB)).isEqualTo(1);
    }

    private void runFor(Duration duration) {
        runFor(duration, TICK);
    }

    /** Advances the wall clock in steps; each step runs the punctuator once (and the driver commits). */
    private void runFor(Duration duration, Duration step) {
        for (long elapsed = 0; elapsed < duration.toMillis(); elapsed += step.toMillis()) {
            now = now.plus(step);
            driver.advanceWallClockTime(step);
        }
    }

    private KeyValueStore<String, FollowedJob> store() {
        return driver.getKeyValueStore(FollowTopology.STORE);
    }

    private <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
        return driver.createInputTopic(topic.name(), new StringSerializer(), serdes.valueSerde(topic).serializer(), T0,
                Duration.ZERO);
    }

    private <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), serdes.valueSerde(topic).deserializer());
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
