package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.intake.SseStream.Frame;
import io.migratekit.schemas.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * {@code GET /api/v1/replications/{job_id}/events} on job-intake running as in production (real
 * broker, registry and PostgreSQL) while the test plays the pipeline's services: it publishes the
 * job events to the real topics and reads the server-sent events a real HTTP client receives.
 */
class JobEventStreamIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant AT = TestEvents.AT;

    @RegisterExtension
    static final IntakeFixture fixture = IntakeFixture.open();
    private static final HttpClient client = HttpClient.newHttpClient();

    @Test
    void anUnknownJobIs404AndTheStreamNeedsAReadingToken() {
        HttpResponse<String> unknown = fixture.http.get("/api/v1/replications/job-unknown/events", IntakeStack.READ_ONLY_TOKEN);
        HttpResponse<String> anonymous = fixture.http.get("/api/v1/replications/job-unknown/events", null);
        HttpResponse<String> vma = fixture.http.get("/api/v1/replications/job-unknown/events", IntakeStack.VMA_TOKEN);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertJson(unknown.body(), error("Replication job not found", "No replication job job-unknown"));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(vma.statusCode()).isEqualTo(403);
    }

    @Test
    void aClientOfAnEndedJobGetsEveryEventOfTheJobInOrderAndTheStreamEnds() {
        // given: a job that ran to its end (known from its JobCreated alone: no read-model row),
        // and another job of the same VM
        Job job = new Job();
        JobCreated created = job.created();
        JobStarted started = job.started();
        JobProgress progress = TestEvents.jobProgress(job.request, job.vm, job.id, 50.0, AT.plusSeconds(10));
        ChangeIdRecorded changeId = TestEvents.changeIdRecorded(job.request, job.vm, job.id, "52 4d/7", AT.plusSeconds(20));
        JobCompleted completed = TestEvents.jobCompleted(job.request, job.vm, job.id, "52 4d/7", AT.plusSeconds(21));
        fixture.pipeline.answer(Topics.JOB_CREATED, job.vm, created);
        fixture.pipeline.answer(Topics.JOB_STARTED, job.vm, started);
        fixture.pipeline.answer(Topics.JOB_PROGRESS, job.vm, progress);
        fixture.pipeline.answer(Topics.JOB_PROGRESS, job.vm,
                TestEvents.jobProgress(job.request, job.vm, "job-other-" + job.vm, 10.0, AT.plusSeconds(11)));
        fixture.pipeline.answer(Topics.CHANGE_ID_RECORDED, job.vm, changeId);
        fixture.pipeline.answer(Topics.JOB_COMPLETED, job.vm, completed);

        // when: a client connects afterwards
        try (SseStream stream = job.stream()) {
            // then: the job's five events, each with its type and id, then the end
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            List<Frame> frames = stream.rest(WAIT);
            assertThat(frames).extracting(Frame::event).containsExactly("JobCreated", "JobStarted", "JobProgress",
                    "ChangeIdRecorded", "JobCompleted");
            assertThat(frames).extracting(Frame::id).containsExactly(created.getEventId(), started.getEventId(),
                    progress.getEventId(), changeId.getEventId(), completed.getEventId());
            assertJson(frames.get(2).data(), """
                    {"event_id": "%s", "occurred_at": "2025-09-23T10:15:40.123Z", "correlation_id": "%s",
                     "vmware_vm_id": "%s", "job_id": "%s", "context_id": "ctx-%s-20250923-101530", "percent": 50.0,
                     "phase": "copying", "current_operation": "copying disk-2000", "sync_type": "full",
                     "bytes_transferred": 1024, "total_bytes": 4096, "throughput_mbps": 12.5, "eta_seconds": 30,
                     "disks": [{"disk_id": "disk-2000", "label": null, "bytes_transferred": 1024, "total_bytes": 4096,
                                "percent": 50.0, "throughput_mbps": 0.0, "status": "in_progress"}],
                     "failover_id": null, "requested_by": "unknown", "scheduled_by": null, "schedule_execution_id": null, "vm_group_id": null}
                    """.formatted(progress.getEventId(), job.request, job.vm, job.id, job.vm));
            assertJson(frames.get(4).data(), """
                    {"event_id": "%s", "occurred_at": "2025-09-23T10:15:51.123Z", "correlation_id": "%s",
                     "vmware_vm_id": "%s", "job_id": "%s", "context_id": "ctx-%s-20250923-101530",
                     "replication_type": "initial", "change_ids": [{"disk_id": "disk-2000", "change_id": "52 4d/7"}],
                     "bytes_transferred": 4096, "duration_ms": 61000, "failover_id": null,
                     "requested_by": "unknown", "scheduled_by": null, "schedule_execution_id": null, "vm_group_id": null, "disks": []}
                    """.formatted(completed.getEventId(), job.request, job.vm, job.id, job.vm));
        }
    }

    @Test
    void aLiveJobStreamsItsNextEventsAsTheyHappenAndTheStreamEndsAfterTheTerminalOne() {
        // given: a running job with a client connected
        Job job = new Job();
        JobCreated created = job.created();
        JobStarted started = job.started();
        fixture.pipeline.answer(Topics.JOB_CREATED, job.vm, created);
        fixture.pipeline.answer(Topics.JOB_STARTED, job.vm, started);
        try (SseStream stream = job.stream()) {
            assertThat(stream.next(WAIT)).map(Frame::id).contains(created.getEventId());
            assertThat(stream.next(WAIT)).map(Frame::id).contains(started.getEventId());

            // when: the job moves
            JobProgress progress = TestEvents.jobProgress(job.request, job.vm, job.id, 30.0, AT.plusSeconds(5));
            fixture.pipeline.answer(Topics.JOB_PROGRESS, job.vm, progress);

            // then: the client gets it as it happens
            Frame live = stream.next(WAIT).orElseThrow();
            assertThat(live.event()).isEqualTo("JobProgress");
            assertThat(live.id()).isEqualTo(progress.getEventId());

            // when: the job fails
            JobFailed failed = JobFailed.newBuilder(TestEvents.jobFailed(job.request, job.vm)).setJobId(job.id)
                    .setOccurredAt(AT.plusSeconds(9)).build();
            fixture.pipeline.answer(Topics.JOB_FAILED, job.vm, failed);

            // then: the failure is the last event and the stream ends
            Frame end = stream.next(WAIT).orElseThrow();
            assertThat(end.event()).isEqualTo("JobFailed");
            assertJson(end.data(), """
                    {"event_id": "%s", "occurred_at": "2025-09-23T10:15:39.123Z", "correlation_id": "%s",
                     "vmware_vm_id": "%s", "job_id": "%s", "context_id": "ctx-%s-20250923-101530",
                     "reason": "TARGET_VOLUME_FAILED", "step": "target_volumes",
                     "message": "volume could not be created", "failover_id": null,
                     "requested_by": "unknown", "scheduled_by": null, "schedule_execution_id": null, "vm_group_id": null, "replication_type": null, "duration_ms": 0,
                     "disks": [], "change_ids": []}
                    """.formatted(failed.getEventId(), job.request, job.vm, job.id, job.vm));
            assertThat(stream.next(WAIT)).isEmpty();
        }
    }

    @Test
    void aJobKnownOnlyToTheReadModelIsReplayedFromTheTopicsAndOneWhoseEventsAreGoneEndsAtOnce() {
        // given: a job the projector wrote, whose JobCreated job-intake never saw, with two events on the topics
        Job job = new Job();
        OffsetDateTime createdAt = OffsetDateTime.ofInstant(AT, ZoneOffset.UTC);
        fixture.rows.job(job.id, "ctx-" + job.vm, job.vm, "replayed", "failed", createdAt);
        JobStarted started = job.started();
        JobFailed failed = JobFailed.newBuilder(TestEvents.jobFailed(job.request, job.vm)).setJobId(job.id).build();
        fixture.pipeline.answer(Topics.JOB_STARTED, job.vm, started);
        fixture.pipeline.answer(Topics.JOB_FAILED, job.vm, failed);
        // and: a job the read model shows completed, none of whose events are on the topics any more
        Job old = new Job();
        fixture.rows.job(old.id, "ctx-" + old.vm, old.vm, "old", "completed", createdAt);

        try (SseStream replayed = job.stream(); SseStream gone = old.stream()) {
            assertThat(replayed.rest(WAIT)).extracting(Frame::event, Frame::id).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("JobStarted", started.getEventId()),
                    org.assertj.core.groups.Tuple.tuple("JobFailed", failed.getEventId()));
            assertThat(gone.status()).isEqualTo(200);
            assertThat(gone.rest(WAIT)).isEmpty();
        }
    }

    @Test
    void theNumberOfOpenStreamsIsBoundedAndAStreamThatEndedOrWhoseClientWentAwayFreesItsPlace() {
        // given: every stream this service serves is open on a running job
        Job job = new Job();
        fixture.pipeline.answer(Topics.JOB_CREATED, job.vm, job.created());
        List<SseStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < IntakeStack.MAX_EVENT_STREAMS; i++) {
                open.add(openedOnCreated(job));
            }

            // when: one more client asks, then: 503 with the reason
            HttpResponse<String> refused = fixture.http.get("/api/v1/replications/" + job.id + "/events",
                    IntakeStack.READ_ONLY_TOKEN);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertJson(refused.body(), error("Too many event streams", IntakeStack.MAX_EVENT_STREAMS
                    + " event streams are open, the most this service serves; retry later"));

            // when: a client goes away without a word, then: the next heartbeat finds it and frees its place
            open.remove(0).close();
            long deadline = System.nanoTime() + WAIT.toNanos();
            SseStream replacement = job.stream();
            while (replacement.status() == 503 && System.nanoTime() < deadline) {
                replacement.close();
                IntakeFixture.pause(100);
                replacement = job.stream();
            }
            assertThat(replacement.status()).isEqualTo(200);
            assertThat(replacement.next(WAIT)).map(Frame::event).contains("JobCreated");
            open.add(replacement);

            // when: the job ends, then: every stream ends with its terminal event
            fixture.pipeline.answer(Topics.JOB_FAILED, job.vm,
                    JobFailed.newBuilder(TestEvents.jobFailed(job.request, job.vm)).setJobId(job.id).build());
            for (SseStream stream : open) {
                assertThat(stream.rest(WAIT)).extracting(Frame::event).containsExactly("JobFailed");
            }
        } finally {
            open.forEach(SseStream::close);
        }

        // and: the ended streams gave their places back at once
        List<SseStream> again = new ArrayList<>();
        try {
            for (int i = 0; i < IntakeStack.MAX_EVENT_STREAMS; i++) {
                SseStream stream = job.stream();
                again.add(stream);
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.rest(WAIT)).extracting(Frame::event).containsExactly("JobCreated", "JobFailed");
            }
        } finally {
            again.forEach(SseStream::close);
        }
    }

    private static SseStream openedOnCreated(Job job) {
        SseStream stream = job.stream();
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.next(WAIT)).map(Frame::event).contains("JobCreated");
        return stream;
    }

    /** A job of a new VM, with its ids. */
    private static final class Job {
        final String vm = "4205" + UUID.randomUUID().toString().substring(4);
        final String id = "job-sse-" + vm;
        final String request = "req-" + vm;

        JobCreated created() {
            return JobCreated.newBuilder(TestEvents.jobCreated(request, vm)).setJobId(id).build();
        }

        JobStarted started() {
            return JobStarted.newBuilder(TestEvents.jobStarted(request, vm)).setJobId(id)
                    .setOccurredAt(AT.plusSeconds(1)).build();
        }

        SseStream stream() {
            return SseStream.open(client, fixture.stack.baseUrl + "/api/v1/replications/" + id + "/events",
                    IntakeStack.READ_ONLY_TOKEN);
        }
    }

    private static String error(String error, String details) {
        return "{\"error\": \"" + error + "\", \"details\": \"" + details + "\", \"timestamp\": \""
                + IntakeStack.NOW + "\"}";
    }

    private static void assertJson(String actual, String expected) {
        try {
            JSONAssert.assertEquals(expected, actual, JSONCompareMode.STRICT);
        } catch (Exception e) {
            throw new AssertionError(actual, e);
        }
    }
}
