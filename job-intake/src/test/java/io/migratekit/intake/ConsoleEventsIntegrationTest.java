package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanedUp;
import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.FailoverType;
import io.migratekit.events.StepStatus;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobProgress;
import io.migratekit.intake.SseStream.Frame;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's side of job-intake as it runs in production (real broker, registry and PostgreSQL):
 * the page itself open to anyone with its security headers, the one-time stream tickets, and
 * {@code GET /api/v1/events}, every job's events in one stream, resumed after {@code Last-Event-ID}
 * from the bounded memory ({@link IntakeStack#CONSOLE_EVENT_MEMORY} events) or answered with
 * {@code resync} beyond it, failovers' events on the same stream. The test plays the pipeline: it
 * publishes job and failover events to the real topics.
 */
class ConsoleEventsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant AT = TestEvents.AT;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final IntakeFixture fixture = IntakeFixture.open();
    private static final HttpClient client = HttpClient.newHttpClient();

    @Test
    void theConsoleIsServedWithoutATokenUnderAStrictContentSecurityPolicyAndTheApiStillNeedsOne() {
        HttpResponse<String> page = fixture.http.get("/", null);
        HttpResponse<String> script = fixture.http.get("/console/app.js", null);
        HttpResponse<String> api = fixture.http.get("/api/v1/vm-contexts", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"/console/app.js\"></script>");
        for (HttpResponse<String> response : List.of(page, script)) {
            assertThat(response.headers().firstValue("Content-Security-Policy")).contains("default-src 'self'; "
                    + "script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; "
                    + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
        }
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));
        assertThat(api.statusCode()).isEqualTo(401);
    }

    @Test
    void theSessionSaysWhoTheTokenIsAndWhatItMayDo() {
        assertThat(json(fixture.http.get("/api/v1/session", IntakeStack.READ_ONLY_TOKEN)).toString())
                .isEqualTo("{\"name\":\"viewer-tests\",\"role\":\"read-only\",\"permissions\":[\"read\"]}");
        assertThat(json(fixture.http.get("/api/v1/session", IntakeStack.OPERATOR_TOKEN)).toString())
                .isEqualTo("{\"name\":\"operator-tests\",\"role\":\"operator\",\"permissions\":[\"read\",\"write\",\"change_id\"]}");
        assertThat(fixture.http.get("/api/v1/session", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aTicketOpensTheStreamOnceAndOnlyAReadingTokenGetsOne() {
        // given: a ticket of the read-only token
        HttpResponse<String> issued = fixture.http.post("/api/v1/events/tickets", IntakeStack.READ_ONLY_TOKEN, "{}");
        assertThat(issued.statusCode()).isEqualTo(201);
        String ticket = json(issued).get("ticket").asString();
        assertThat(ticket).matches("[A-Za-z0-9_-]{43}");
        assertThat(json(issued).get("expires_at").asString()).isEqualTo(IntakeStack.NOW.plusSeconds(30).toString());

        // when: the stream is opened with it, and again with the same ticket
        try (SseStream stream = SseStream.open(client, fixture.stack.baseUrl + "/api/v1/events?ticket=" + ticket, null)) {
            assertThat(stream.status()).isEqualTo(200);
            Frame ready = stream.next(WAIT).orElseThrow();
            assertThat(ready.event()).isEqualTo("ready");
            assertThat(ready.data()).isEqualTo("{\"resumed\":false}");

            HttpResponse<String> reused = fixture.http.get("/api/v1/events?ticket=" + ticket, null);
            // then: the second use is refused, like an unknown ticket; the VMA's token gets none
            assertThat(reused.statusCode()).isEqualTo(401);
            assertThat(json(reused).get("details").asString())
                    .isEqualTo("The stream ticket is unknown, used or expired; ask for a new one");
        }
        assertThat(fixture.http.get("/api/v1/events?ticket=made-up", null).statusCode()).isEqualTo(401);
        assertThat(fixture.http.get("/api/v1/events", null).statusCode()).isEqualTo(401);
        assertThat(fixture.http.post("/api/v1/events/tickets", IntakeStack.VMA_TOKEN, "{}").statusCode()).isEqualTo(403);
        assertThat(fixture.http.post("/api/v1/events/tickets", null, "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void oneStreamCarriesTheEventsOfEveryJobAndAReconnectResumesAfterItsLastEventId() {
        // given: a console connected, and two jobs of two VMs that move
        Job first = new Job();
        Job second = new Job();
        List<Frame> received = new ArrayList<>();
        String resumeFrom;
        JobProgress progress = TestEvents.jobProgress(first.request, first.vm, first.id, 40.0, AT.plusSeconds(5));
        try (SseStream stream = open(null)) {
            assertThat(stream.next(WAIT)).map(Frame::event).contains("ready");
            JobCreated createdFirst = first.created();
            JobCreated createdSecond = second.created();
            fixture.pipeline.answer(Topics.JOB_CREATED, first.vm, createdFirst);
            fixture.pipeline.answer(Topics.JOB_CREATED, second.vm, createdSecond);
            fixture.pipeline.answer(Topics.JOB_PROGRESS, first.vm, progress);

            // then: the three events, each once, with their own ids in the data and stream ids that follow each other
            for (int i = 0; i < 3; i++) {
                received.add(stream.next(WAIT).orElseThrow());
            }
            assertThat(received).extracting(Frame::event).containsExactly("JobCreated", "JobCreated", "JobProgress");
            assertThat(received).extracting(frame -> JSON.readTree(frame.data()).get("event_id").asString())
                    .containsExactly(createdFirst.getEventId(), createdSecond.getEventId(), progress.getEventId());
            assertThat(received).extracting(frame -> JSON.readTree(frame.data()).get("job_id").asString())
                    .containsExactly(first.id, second.id, first.id);
            String epoch = received.get(0).id().substring(0, received.get(0).id().lastIndexOf('-'));
            long sequence = sequence(received.get(0).id());
            assertThat(received).extracting(Frame::id).containsExactly(epoch + "-" + sequence,
                    epoch + "-" + (sequence + 1), epoch + "-" + (sequence + 2));
            resumeFrom = received.get(0).id();
        }

        // when: the client was away while the first job completed, and reconnects with the id of its first event
        JobCompleted completed = TestEvents.jobCompleted(first.request, first.vm, first.id, "52 4d/7", AT.plusSeconds(9));
        fixture.pipeline.answer(Topics.JOB_COMPLETED, first.vm, completed);
        try (SseStream resumed = open(resumeFrom)) {
            // then: ready (standing where it was), then exactly what followed, the missed completion included
            Frame ready = resumed.next(WAIT).orElseThrow();
            assertThat(ready.event()).isEqualTo("ready");
            assertThat(ready.id()).isEqualTo(resumeFrom);
            assertThat(ready.data()).isEqualTo("{\"resumed\":true}");
            List<Frame> missed = List.of(resumed.next(WAIT).orElseThrow(), resumed.next(WAIT).orElseThrow(),
                    resumed.next(WAIT).orElseThrow());
            assertThat(missed).extracting(Frame::id).containsExactly(received.get(1).id(), received.get(2).id(),
                    received.get(0).id().replaceAll("-\\d+$", "-" + (sequence(resumeFrom) + 3)));
            assertThat(JSON.readTree(missed.get(2).data()).get("event_id").asString()).isEqualTo(completed.getEventId());
            assertThat(missed.get(2).event()).isEqualTo("JobCompleted");
            // and: the stream does not end with the job's end, and nothing more came
            IntakeFixture.pause(500);
            assertThat(resumed.hasWaiting()).isFalse();
        }
    }

    @Test
    void aFailoversEventsArriveOnTheSameStreamInOrderAndAReconnectResumesAcrossThem() {
        // given: a console connected, a test failover of one VM that runs its steps, one of another VM that fails
        Job vm = new Job();
        Job other = new Job();
        String failoverId = "fo-console-" + vm.vm;
        String otherFailoverId = "fo-console-" + other.vm;
        List<Published<?>> published = List.of(
                new Published<>(Topics.FAILOVER_ACCEPTED, vm.vm, FailoverAccepted.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT).setCorrelationId(failoverId)
                        .setVmwareVmId(vm.vm).setFailoverId(failoverId).setContextId("ctx-" + vm.vm)
                        .setVmName("web-" + vm.vm).setVmPath("/DC1/vm/web").setFailoverType(FailoverType.test)
                        .setLastSuccessfulJobId("job-1").setVolumes(List.of()).build()),
                new Published<>(Topics.FAILOVER_STEP_CHANGED, vm.vm, step(vm.vm, failoverId, "started", 1)),
                new Published<>(Topics.FAILOVER_STEP_CHANGED, vm.vm, step(vm.vm, failoverId, "completed", 2)),
                new Published<>(Topics.FAILOVER_FAILED, other.vm, FailoverFailed.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT.plusSeconds(3))
                        .setCorrelationId(otherFailoverId).setVmwareVmId(other.vm).setFailoverId(otherFailoverId)
                        .setContextId("ctx-" + other.vm).setFailoverType(FailoverType.live)
                        .setFailedStep(FailoverStep.validation).setReason("no successful sync")
                        .setSourcePoweredBackOn(false).build()),
                new Published<>(Topics.FAILOVER_COMPLETED, vm.vm, FailoverCompleted.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setOccurredAt(AT.plusSeconds(4))
                        .setCorrelationId(failoverId).setVmwareVmId(vm.vm).setFailoverId(failoverId)
                        .setContextId("ctx-" + vm.vm).setFailoverType(FailoverType.test).setTargetVmId("cs-vm-1")
                        .build()));
        List<Frame> received = new ArrayList<>();
        try (SseStream stream = open(null)) {
            assertThat(stream.next(WAIT)).map(Frame::event).contains("ready");
            // when: each event is published on its topic, once the one before arrived (topics have no order among them)
            for (Published<?> event : published) {
                event.publish();
                received.add(stream.next(WAIT).orElseThrow());
            }
            IntakeFixture.pause(300);
            assertThat(stream.hasWaiting()).isFalse();
        }

        // then: each as its type, with its own id, its VM and its fields in snake_case, under consecutive stream ids
        assertThat(received).extracting(Frame::event).containsExactly("FailoverAccepted", "FailoverStepChanged",
                "FailoverStepChanged", "FailoverFailed", "FailoverCompleted");
        assertThat(received).extracting(frame -> JSON.readTree(frame.data()).get("event_id").asString())
                .containsExactlyElementsOf(published.stream().map(p -> p.value().get(0).toString()).toList());
        assertThat(received).extracting(frame -> JSON.readTree(frame.data()).get("vmware_vm_id").asString())
                .containsExactly(vm.vm, vm.vm, vm.vm, other.vm, vm.vm);
        assertThat(received).extracting(frame -> JSON.readTree(frame.data()).get("failover_id").asString())
                .containsExactly(failoverId, failoverId, failoverId, otherFailoverId, failoverId);
        JsonNode accepted = JSON.readTree(received.get(0).data());
        assertThat(accepted.get("vm_name").asString()).isEqualTo("web-" + vm.vm);
        assertThat(accepted.get("failover_type").asString()).isEqualTo("test");
        assertThat(accepted.get("occurred_at").asString()).isEqualTo(AT.toString());
        assertThat(received.subList(1, 3)).extracting(frame -> JSON.readTree(frame.data()).get("step").asString()
                + "/" + JSON.readTree(frame.data()).get("status").asString())
                .containsExactly("validation/started", "validation/completed");
        assertThat(JSON.readTree(received.get(3).data()).get("reason").asString()).isEqualTo("no successful sync");
        assertThat(JSON.readTree(received.get(4).data()).get("target_vm_id").asString()).isEqualTo("cs-vm-1");
        long sequence = sequence(received.get(0).id());
        for (int i = 1; i < received.size(); i++) {
            assertThat(sequence(received.get(i).id())).isEqualTo(sequence + i);
        }

        // when: the client was away while the test failover was cleaned up, and resumes after its acceptance
        FailoverCleanedUp cleanedUp = FailoverCleanedUp.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(AT.plusSeconds(20)).setCorrelationId(failoverId).setVmwareVmId(vm.vm)
                .setFailoverId(failoverId).setContextId("ctx-" + vm.vm).build();
        fixture.pipeline.answer(Topics.FAILOVER_CLEANED_UP, vm.vm, cleanedUp);
        try (SseStream resumed = open(received.get(0).id())) {
            // then: ready where it stood, the four that followed it, then the missed cleanup, and nothing more
            Frame ready = resumed.next(WAIT).orElseThrow();
            assertThat(ready.event()).isEqualTo("ready");
            assertThat(ready.id()).isEqualTo(received.get(0).id());
            List<Frame> missed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                missed.add(resumed.next(WAIT).orElseThrow());
            }
            assertThat(missed.subList(0, 4)).isEqualTo(received.subList(1, 5));
            assertThat(missed.get(4).event()).isEqualTo("FailoverCleanedUp");
            assertThat(missed.get(4).id()).isEqualTo(received.get(0).id().replaceAll("-\\d+$", "-" + (sequence + 5)));
            assertThat(JSON.readTree(missed.get(4).data()).get("event_id").asString())
                    .isEqualTo(cleanedUp.getEventId());
            IntakeFixture.pause(500);
            assertThat(resumed.hasWaiting()).isFalse();
        }
    }

    private static FailoverStepChanged step(String vm, String failoverId, String status, int second) {
        return FailoverStepChanged.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(AT.plusSeconds(second)).setCorrelationId(failoverId).setVmwareVmId(vm)
                .setFailoverId(failoverId).setContextId("ctx-" + vm).setStep(FailoverStep.validation)
                .setStatus(StepStatus.valueOf(status)).build();
    }

    /** An event the test publishes on its topic, keyed by its VM. */
    private record Published<V extends SpecificRecord>(Topic<V> topic, String key, V value) {

        void publish() {
            fixture.pipeline.answer(topic, key, value);
        }
    }

    @Test
    void aClientBackFromBeyondTheMemoryOrFromAnotherStartIsToldToResync() {
        // given: more events than the memory keeps, after the client's last one
        Frame last;
        try (SseStream stream = open(null)) {
            assertThat(stream.next(WAIT)).map(Frame::event).contains("ready");
            Job job = new Job();
            fixture.pipeline.answer(Topics.JOB_CREATED, job.vm, job.created());
            last = stream.next(WAIT).orElseThrow();
            for (int i = 1; i <= IntakeStack.CONSOLE_EVENT_MEMORY + 1; i++) {
                fixture.pipeline.answer(Topics.JOB_PROGRESS, job.vm,
                        TestEvents.jobProgress(job.request, job.vm, job.id, i, AT.plusSeconds(i)));
            }
            for (int i = 1; i <= IntakeStack.CONSOLE_EVENT_MEMORY + 1; i++) {
                assertThat(stream.next(WAIT)).map(Frame::event).contains("JobProgress");
            }
        }

        // when: it reconnects from there, or with an id of another start of job-intake
        for (String lastEventId : List.of(last.id(), "0badcafe-1", "not-an-id")) {
            try (SseStream resync = open(lastEventId)) {
                // then: resync with the reason, standing at the latest event, and no replay
                Frame first = resync.next(WAIT).orElseThrow();
                assertThat(first.event()).as(lastEventId).isEqualTo("resync");
                assertThat(JSON.readTree(first.data()).get("reason").asString()).isEqualTo("events after "
                        + lastEventId + " are no longer kept (the latest " + IntakeStack.CONSOLE_EVENT_MEMORY
                        + " are); reload");
                assertThat(sequence(first.id())).isEqualTo(sequence(last.id()) + IntakeStack.CONSOLE_EVENT_MEMORY + 1);
                IntakeFixture.pause(300);
                assertThat(resync.hasWaiting()).isFalse();
            }
        }
    }

    /**
     * The console's stream with the operator's token (as curl would open it), resumed after that id
     * when given. The stack serves {@link IntakeStack#MAX_EVENT_STREAMS} streams; one a test closed
     * frees its slot at the next heartbeat (500 ms), so a 503 is retried for a while.
     */
    private static SseStream open(String lastEventId) {
        String url = fixture.stack.baseUrl + "/api/v1/events";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SseStream stream = lastEventId == null ? SseStream.open(client, url, IntakeStack.OPERATOR_TOKEN)
                    : SseStream.open(client, url, IntakeStack.OPERATOR_TOKEN, "Last-Event-ID", lastEventId);
            if (stream.status() != 503 || System.nanoTime() > deadline) {
                assertThat(stream.status()).isEqualTo(200);
                return stream;
            }
            stream.close();
            IntakeFixture.pause(200);
        }
    }

    private static long sequence(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** A job of a new VM, with its ids. */
    private static final class Job {
        final String vm = "4206" + UUID.randomUUID().toString().substring(4);
        final String id = "job-console-" + vm;
        final String request = "req-" + vm;

        JobCreated created() {
            return JobCreated.newBuilder(TestEvents.jobCreated(request, vm)).setJobId(id).build();
        }
    }
}
