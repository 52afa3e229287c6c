package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.JobCreated;
import io.migratekit.schemas.Topics;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * The VMA copy engine's change-id callback racing the creation of its job: the callback may reach
 * job-intake before job-service's projector wrote the job (or before job-intake saw its
 * {@code JobCreated}). It must still be recorded, and only a job that never appears is 404 —
 * on job-intake running as in production (real broker, registry and PostgreSQL).
 */
class ChangeIdRaceIntegrationTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 9, 20, 8, 0, 0, 0, ZoneOffset.UTC);

    @RegisterExtension
    static final IntakeFixture fixture = IntakeFixture.open();

    @Test
    void callbacksRacingTheirJobsJobCreatedAreAllRecorded() throws Exception {
        // given: twenty jobs whose change-id callbacks are sent before their JobCreated is published
        List<String> vms = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            vms.add(newVmId());
        }
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (String vm : vms) {
            answers.add(fixture.http.postAsync("/api/v1/replications/" + jobOf(vm) + "/changeid", IntakeStack.VMA_TOKEN,
                    "{\"change_id\": \"52 4d/" + vm + "\", \"disk_id\": \"disk-2000\"}"));
        }

        // when: the jobs are created meanwhile, each after its own small delay
        ExecutorService creators = Executors.newFixedThreadPool(vms.size());
        try {
            CompletableFuture.allOf(vms.stream().map(vm -> CompletableFuture.runAsync(() -> {
                IntakeFixture.pause(ThreadLocalRandom.current().nextLong(0, 1500));
                fixture.pipeline.answer(Topics.JOB_CREATED, vm, created(vm));
            }, creators)).toArray(CompletableFuture[]::new)).join();
        } finally {
            creators.shutdown();
        }

        // then: every callback is answered 200 with its change id, and each is one ChangeIdRecorded of its job
        for (int i = 0; i < vms.size(); i++) {
            String vm = vms.get(i);
            HttpResponse<String> answer = answers.get(i).get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertJson(answer.body(), """
                    {"job_id": "%s", "disk_id": "disk-2000", "change_id": "52 4d/%s",
                     "message": "Change ID recorded successfully"}
                    """.formatted(jobOf(vm), vm));
        }
        Map<String, ChangeIdRecorded> recorded = vms.stream().map(fixture.pipeline::nextChangeId)
                .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
        for (String vm : vms) {
            ChangeIdRecorded event = recorded.get(vm);
            assertThat(event).isEqualTo(ChangeIdRecorded.newBuilder()
                    .setEventId(event.getEventId())
                    .setOccurredAt(IntakeStack.NOW)
                    .setCorrelationId("req-" + vm)
                    .setVmwareVmId(vm)
                    .setJobId(jobOf(vm))
                    .setContextId("ctx-" + vm + "-20250923-101530")
                    .setDiskId("disk-2000")
                    .setChangeId("52 4d/" + vm)
                    .setPreviousChangeId(null)
                    .setRequestedBy("scheduler-svc")
                    .setScheduledBy("nightly")
                    .setScheduleExecutionId("exec-" + vm)
                    .setVmGroupId("group-db")
                    .setFailoverId("failover-of-" + vm)
                    .build());
        }
        assertThat(fixture.pipeline.remainingChangeIds()).filteredOn(record -> vms.contains(record.key())).isEmpty();
    }

    @Test
    void aCallbackThatOvertakesTheProjectorIsRecordedOnceTheReadModelHasTheJob() throws Exception {
        // given: a callback for a job neither the read model nor job-intake knows yet
        String vm = newVmId();
        String job = "job-late-" + vm;
        CompletableFuture<HttpResponse<String>> answer = fixture.http.postAsync("/api/v1/replications/" + job + "/changeid",
                IntakeStack.VMA_TOKEN, "{\"change_id\": \"52 4d/9\"}");
        IntakeFixture.pause(700);
        assertThat(answer).isNotDone();

        // when: the projector writes the job and its disk
        fixture.rows.job(job, "ctx-" + vm, vm, "late", "replicating", T0);
        fixture.rows.disk(job, "disk-2000", "ctx-" + vm, vm, null, T0);

        // then: the callback is recorded for that disk
        assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(200);
        assertThat(fixture.pipeline.nextChangeId(vm).value().getDiskId()).isEqualTo("disk-2000");
        assertThat(fixture.pipeline.remainingChangeIds()).filteredOn(record -> vm.equals(record.key())).isEmpty();
    }

    @Test
    void aCallbackForAJobThatNeverAppearsIs404AfterTheWaitAndPublishesNothing() {
        String vm = newVmId();

        HttpResponse<String> answer = fixture.http.post("/api/v1/replications/job-never-" + vm + "/changeid",
                IntakeStack.VMA_TOKEN, "{\"change_id\": \"52 4d/1\", \"disk_id\": \"disk-2000\"}");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertJson(answer.body(), """
                {"error": "Replication job not found", "details": "No replication job job-never-%s",
                 "timestamp": "%s"}
                """.formatted(vm, IntakeStack.NOW));
        assertThat(fixture.pipeline.remainingChangeIds()).filteredOn(record -> vm.equals(record.key())).isEmpty();
    }

    private static JobCreated created(String vm) {
        return JobCreated.newBuilder(TestEvents.jobCreated("req-" + vm, vm)).setJobId(jobOf(vm))
                .setRequestedBy("scheduler-svc").setScheduledBy("nightly").setScheduleExecutionId("exec-" + vm)
                .setVmGroupId("group-db").setFailoverId("failover-of-" + vm).build();
    }

    private static String jobOf(String vm) {
        return "job-race-" + vm;
    }

    private static String newVmId() {
        return "4205" + UUID.randomUUID().toString().substring(4);
    }

    private static void assertJson(String actual, String expected) {
        try {
            JSONAssert.assertEquals(expected, actual, JSONCompareMode.STRICT);
        } catch (Exception e) {
            throw new AssertionError(actual, e);
        }
    }
}
