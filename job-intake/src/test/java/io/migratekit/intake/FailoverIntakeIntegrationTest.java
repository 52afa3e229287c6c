package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverRejected;
import io.migratekit.events.FailoverRejectionReason;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.FailoverType;
import io.migratekit.schemas.Topics;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * The failover endpoints of job-intake as it runs in production — real Kafka, registry and
 * PostgreSQL — while the test plays the decision: it reads the FailoverRequested the API published
 * and answers with FailoverAccepted or FailoverRejected on the real topics, and reads the cleanup
 * requests.
 */
class FailoverIntakeIntegrationTest {

    private static final String OPERATOR = IntakeStack.OPERATOR_TOKEN;
    private static final String NOW = "2025-09-23T10:15:30.123Z";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 9, 20, 8, 0, 0, 0, ZoneOffset.UTC);

    private static IntakeStack stack;
    private static PlayedPipeline pipeline;
    private static Http http;

    @BeforeAll
    static void start() {
        stack = IntakeStack.get();
        pipeline = new PlayedPipeline(stack.infra.bootstrapServers(), stack.registry);
        http = new Http(stack.baseUrl);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void aFailoverIsPublishedForTheContextsVmAndAnsweredWhenTheDecisionAcceptsIt() throws Exception {
        // given
        String vm = newVmId();
        String name = "fo-" + vm.substring(0, 8);
        new ReadModelRows(stack.db).context("ctx-" + name, vm, name, "ready_for_failover", null, T0);

        // when
        CompletableFuture<HttpResponse<String>> answer = http.postAsync("/api/v1/failovers", OPERATOR,
                "{\"vm_name\": \"" + name + "\", \"failover_type\": \"live\", \"final_sync_deadline_minutes\": 10}");

        // then: the command is published keyed by the VM, correlated by the failover id
        ConsumerRecord<String, FailoverRequested> published = pipeline.nextFailover(vm);
        FailoverRequested request = published.value();
        String failoverId = request.getFailoverId();
        assertThat(published.key()).isEqualTo(vm);
        assertThat(request).isEqualTo(FailoverRequested.newBuilder().setEventId(request.getEventId())
                .setOccurredAt(IntakeStack.NOW).setCorrelationId(failoverId).setVmwareVmId(vm).setFailoverId(failoverId)
                .setContextId("ctx-" + name).setVmName(name).setFailoverType(FailoverType.live)
                .setPowerOnSourceOnFailure(true).setTestNetwork(null).setFinalSyncDeadlineMinutes(10)
                .setRequestedBy("operator-tests").build());

        // when: the decision accepts it
        pipeline.answer(Topics.FAILOVER_ACCEPTED, vm, FailoverAccepted.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(IntakeStack.NOW).setCorrelationId(failoverId).setVmwareVmId(vm).setFailoverId(failoverId)
                .setContextId("ctx-" + name).setVmName(name).setVmPath("/DC1/vm/" + name)
                .setFailoverType(FailoverType.live).setLastSuccessfulJobId("job-1").setVolumes(List.of()).build());

        // then
        HttpResponse<String> response = answer.get();
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).contains("/api/v1/failovers/" + failoverId);
        assertJson(response.body(), """
                {"failover_job_id": "%1$s", "status": "validated", "failover_url": "/api/v1/failovers/%1$s",
                 "message": "Failover live of VM %2$s accepted; its steps are at the failover URL"}
                """.formatted(failoverId, name));
        assertThat(pipeline.remainingFailovers()).filteredOn(record -> vm.equals(record.key())).isEmpty();
    }

    @Test
    void aFailoverTheDecisionRejectsIs409() throws Exception {
        String vm = newVmId();
        String name = "fo-" + vm.substring(0, 8);
        new ReadModelRows(stack.db).context("ctx-" + name, vm, name, "replicating", "job-2", T0);

        CompletableFuture<HttpResponse<String>> answer = http.postAsync("/api/v1/failovers", OPERATOR,
                "{\"context_id\": \"ctx-" + name + "\", \"failover_type\": \"test\", \"test_network\": \"net-t\"}");
        String failoverId = pipeline.nextFailover(vm).value().getFailoverId();
        pipeline.answer(Topics.FAILOVER_REJECTED, vm, FailoverRejected.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(IntakeStack.NOW).setCorrelationId(failoverId).setVmwareVmId(vm).setFailoverId(failoverId)
                .setVmName(name).setContextId("ctx-" + name).setReason(FailoverRejectionReason.ACTIVE_REPLICATION_JOB)
                .setMessage("VM has active replication job").build());

        HttpResponse<String> response = answer.get();
        assertThat(response.statusCode()).isEqualTo(409);
        assertJson(response.body(), "{\"error\": \"VM has active replication job\", \"details\": \"VM has active "
                + "replication job; context_id ctx-" + name + "; failover_id " + failoverId + "\", \"timestamp\": \""
                + NOW + "\"}");
    }

    @Test
    void theCleanupOfACompletedTestFailoverIsPublishedForItsVm() {
        String vm = newVmId();
        String name = "fo-" + vm.substring(0, 8);
        String failoverId = "failover-20250920-080000.000-" + vm.substring(0, 6);
        new FailoverRows(stack.db).failover(failoverId, "ctx-" + name, vm, name, "test", "completed", "target-1", T0);

        HttpResponse<String> response = http.post("/api/v1/failovers/" + failoverId + "/cleanup", OPERATOR, "");

        assertThat(response.statusCode()).isEqualTo(202);
        ConsumerRecord<String, FailoverCleanupRequested> published = pipeline.nextCleanup(vm);
        assertThat(published.key()).isEqualTo(vm);
        assertThat(published.value()).isEqualTo(FailoverCleanupRequested.newBuilder()
                .setEventId(published.value().getEventId()).setOccurredAt(IntakeStack.NOW).setCorrelationId(failoverId)
                .setVmwareVmId(vm).setFailoverId(failoverId).setContextId("ctx-" + name)
                .setRequestedBy("operator-tests").build());
    }

    private static void assertJson(String actual, String expected) {
        try {
            JSONAssert.assertEquals(expected, actual, JSONCompareMode.STRICT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String newVmId() {
        return "4205" + UUID.randomUUID().toString().substring(4);
    }
}
