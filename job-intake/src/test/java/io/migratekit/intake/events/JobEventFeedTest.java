package io.migratekit.intake.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobProgress;
import io.migratekit.events.StepStatus;
import io.migratekit.intake.TestEvents;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * The live feed's handling of one record, without a broker: every {@code JobCreated} is read and
 * remembered, any other job event only when its VM (the record key) is followed, and a subscriber
 * gets the events of its own job while its subscription lasts; a failover's events only reach, and
 * are only decoded for, the subscribers of every event.
 */
class JobEventFeedTest {

    private static final String FOLLOWED_VM = "vm-followed";
    private static final String OTHER_VM = "vm-other";
    private static final String JOB = "job-20250923-101530.123-abc125";
    private static final byte[] UNREADABLE = {1, 2, 3};

    private final ScriptedDeserializer deserializer = new ScriptedDeserializer();
    private final JobEventFeed feed = new JobEventFeed(new MockConsumer<>("latest"), deserializer, 100);

    @Test
    void everyJobCreatedIsReadAndRememberedThoughNobodyFollowsItsVm() {
        JobCreated created = TestEvents.jobCreated("req-1", OTHER_VM);
        byte[] bytes = deserializer.decodes(created);

        feed.accept(record(Topics.JOB_CREATED, OTHER_VM, bytes));

        assertThat(deserializer.decoded).containsExactly(hex(bytes));
        assertThat(feed.recentJob(created.getJobId())).contains(KnownJob.of(created));
    }

    @Test
    void theOtherEventsOfAVmNobodyFollowsAreNotEvenDecoded() {
        JobCompleted completed = TestEvents.jobCompleted("req-1", OTHER_VM, JOB, "52 3/4", TestEvents.AT);

        feed.accept(record(Topics.JOB_PROGRESS, OTHER_VM, UNREADABLE));
        feed.accept(record(Topics.JOB_COMPLETED, OTHER_VM, deserializer.decodes(completed)));

        assertThat(deserializer.decoded).isEmpty();
        assertThat(feed.skippedRecords()).isZero();
    }

    @Test
    void aSubscriberGetsTheEventsOfItsJobWhileItsSubscriptionLasts() throws Exception {
        List<JobEvent> received = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = feed.subscribe(JOB, FOLLOWED_VM, received::add);
        JobProgress progress = TestEvents.jobProgress("req-1", FOLLOWED_VM, JOB, 50.0, TestEvents.AT);
        JobProgress otherJobOfTheVm = TestEvents.jobProgress("req-0", FOLLOWED_VM, "job-older", 10.0, TestEvents.AT);
        JobCompleted completed = TestEvents.jobCompleted("req-1", FOLLOWED_VM, JOB, "52 3/4", TestEvents.AT);
        byte[] progressBytes = deserializer.decodes(progress);
        byte[] otherJobBytes = deserializer.decodes(otherJobOfTheVm);
        byte[] completedBytes = deserializer.decodes(completed);

        feed.accept(record(Topics.JOB_PROGRESS, FOLLOWED_VM, UNREADABLE));
        feed.accept(record(Topics.JOB_PROGRESS, FOLLOWED_VM, progressBytes));
        feed.accept(record(Topics.JOB_PROGRESS, FOLLOWED_VM, otherJobBytes));
        subscription.close();
        subscription.close();
        feed.accept(record(Topics.JOB_COMPLETED, FOLLOWED_VM, completedBytes));

        assertThat(received).containsExactly(JobEvent.of(progress).orElseThrow());
        assertThat(deserializer.decoded).containsExactly(hex(UNREADABLE), hex(progressBytes), hex(otherJobBytes));
        assertThat(feed.skippedRecords()).isEqualTo(1);
        assertThat(feed.subscribedJobs()).isZero();
    }

    @Test
    void aVmStaysFollowedUntilTheLastOfItsSubscriptionsEnds() throws Exception {
        List<JobEvent> first = new CopyOnWriteArrayList<>();
        List<JobEvent> second = new CopyOnWriteArrayList<>();
        AutoCloseable firstSubscription = feed.subscribe(JOB, FOLLOWED_VM, first::add);
        AutoCloseable secondSubscription = feed.subscribe(JOB, FOLLOWED_VM, second::add);
        JobProgress progress = TestEvents.jobProgress("req-1", FOLLOWED_VM, JOB, 50.0, TestEvents.AT);
        JobCompleted completed = TestEvents.jobCompleted("req-1", FOLLOWED_VM, JOB, "52 3/4", TestEvents.AT);
        byte[] progressBytes = deserializer.decodes(progress);
        byte[] completedBytes = deserializer.decodes(completed);

        firstSubscription.close();
        feed.accept(record(Topics.JOB_PROGRESS, FOLLOWED_VM, progressBytes));
        secondSubscription.close();
        feed.accept(record(Topics.JOB_COMPLETED, FOLLOWED_VM, completedBytes));

        assertThat(first).isEmpty();
        assertThat(second).containsExactly(JobEvent.of(progress).orElseThrow());
        assertThat(deserializer.decoded).containsExactly(hex(progressBytes));
    }

    @Test
    void aSubscriberOfEveryEventGetsThoseOfEveryVmWhileItLastsAndThenNothingMoreIsDecoded() throws Exception {
        List<JobEvent> everything = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = feed.subscribeAll(everything::add);
        JobProgress progress = TestEvents.jobProgress("req-1", OTHER_VM, JOB, 50.0, TestEvents.AT);
        JobCreated created = TestEvents.jobCreated("req-2", FOLLOWED_VM);
        JobCompleted completed = TestEvents.jobCompleted("req-1", OTHER_VM, JOB, "52 3/4", TestEvents.AT);
        byte[] progressBytes = deserializer.decodes(progress);
        byte[] createdBytes = deserializer.decodes(created);
        byte[] completedBytes = deserializer.decodes(completed);

        feed.accept(record(Topics.JOB_PROGRESS, OTHER_VM, progressBytes));
        feed.accept(record(Topics.JOB_CREATED, FOLLOWED_VM, createdBytes));
        subscription.close();
        subscription.close();
        feed.accept(record(Topics.JOB_COMPLETED, OTHER_VM, completedBytes));

        assertThat(everything).containsExactly(JobEvent.of(progress).orElseThrow(), JobEvent.of(created).orElseThrow());
        assertThat(deserializer.decoded).containsExactly(hex(progressBytes), hex(createdBytes));
    }

    @Test
    void aFailoversEventsGoOnlyToTheSubscribersOfEveryEventAndAreNotDecodedWithoutOne() throws Exception {
        List<JobEvent> everything = new CopyOnWriteArrayList<>();
        List<JobEvent> ofTheJob = new CopyOnWriteArrayList<>();
        FailoverStepChanged before = step("evt-0", StepStatus.started);
        FailoverStepChanged during = step("evt-1", StepStatus.completed);
        FailoverStepChanged after = step("evt-2", StepStatus.failed);
        byte[] beforeBytes = deserializer.decodes(before);
        byte[] duringBytes = deserializer.decodes(during);
        byte[] afterBytes = deserializer.decodes(after);
        AutoCloseable jobSubscription = feed.subscribe(JOB, FOLLOWED_VM, ofTheJob::add);

        feed.accept(record(Topics.FAILOVER_STEP_CHANGED, FOLLOWED_VM, beforeBytes));
        AutoCloseable subscription = feed.subscribeAll(everything::add);
        feed.accept(record(Topics.FAILOVER_STEP_CHANGED, FOLLOWED_VM, duringBytes));
        subscription.close();
        feed.accept(record(Topics.FAILOVER_STEP_CHANGED, FOLLOWED_VM, afterBytes));
        jobSubscription.close();

        JobEvent expected = JobEvent.ofFailover(during).orElseThrow();
        assertThat(everything).containsExactly(expected);
        assertThat(expected.type()).isEqualTo("FailoverStepChanged");
        assertThat(expected.jobId()).isNull();
        assertThat(expected.eventId()).isEqualTo("evt-1");
        assertThat(expected.vmwareVmId()).isEqualTo(FOLLOWED_VM);
        assertThat(expected.data()).containsEntry("failover_id", "fo-1").containsEntry("step", "validation")
                .containsEntry("status", "completed").containsEntry("job_id", JOB)
                .containsEntry("occurred_at", TestEvents.AT.toString());
        assertThat(ofTheJob).isEmpty();
        assertThat(deserializer.decoded).containsExactly(hex(duringBytes));
    }

    /** A step of failover fo-1 of the followed VM naming the job (the final sync's): not a job event for that. */
    private static FailoverStepChanged step(String eventId, StepStatus status) {
        return FailoverStepChanged.newBuilder().setEventId(eventId).setOccurredAt(TestEvents.AT)
                .setCorrelationId("fo-1").setVmwareVmId(FOLLOWED_VM).setFailoverId("fo-1").setContextId("ctx-1")
                .setStep(FailoverStep.validation).setStatus(status).setJobId(JOB).build();
    }

    private static ConsumerRecord<String, byte[]> record(Topic<?> topic, String key, byte[] value) {
        return new ConsumerRecord<>(topic.name(), 0, 0, key, value);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Decodes the payloads it was given events for, refuses any other, and remembers what it was asked. */
    private static final class ScriptedDeserializer implements Deserializer<Object> {
        final List<String> decoded = new CopyOnWriteArrayList<>();
        private final Map<String, Object> events = new HashMap<>();

        byte[] decodes(Object event) {
            byte[] payload = {0, (byte) events.size()};
            events.put(hex(payload), event);
            return payload;
        }

        @Override
        public Object deserialize(String topic, byte[] data) {
            decoded.add(hex(data));
            Object event = events.get(hex(data));
            if (event == null) {
                throw new SerializationException("Unknown magic byte!");
            }
            return event;
        }
    }
}
