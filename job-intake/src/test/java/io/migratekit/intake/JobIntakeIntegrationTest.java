package io.migratekit.intake;

import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.REPLICATION_REQUESTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.intake.request.ReplicationRequestValidator;
import io.migratekit.intake.request.SampleBodies;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * job-intake running as it runs in production — real Kafka, registry and PostgreSQL — while the
 * test plays the pipeline: it reads the ReplicationRequested the API published and answers with
 * outcome events, and writes the read-model rows job-service's projector would.
 */
class JobIntakeIntegrationTest {

    private static final String OPERATOR = IntakeStack.OPERATOR_TOKEN;
    private static final String VIEWER = IntakeStack.READ_ONLY_TOKEN;
    private static final String MANAGEMENT = IntakeStack.MANAGEMENT_TOKEN;
    private static final String VMA = IntakeStack.VMA_TOKEN;
    private static final String NOW = "2025-09-23T10:15:30.123Z";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 9, 20, 8, 0, 0, 0, ZoneOffset.UTC);

    private static IntakeStack stack;
    private static PlayedPipeline pipeline;
    private static Http http;
    private static ReadModelRows rows;
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void start() {
        stack = IntakeStack.get();
        pipeline = new PlayedPipeline(stack.infra.bootstrapServers(), stack.registry);
        http = new Http(stack.baseUrl);
        rows = new ReadModelRows(stack.db);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void aRequestIsPublishedAsSentAndAnsweredWithTheJobThatStarted() throws Exception {
        String vm = newVmId();

        CompletableFuture<HttpResponse<String>> answer = http.postAsync("/api/v1/replications", OPERATOR,
                SampleBodies.full(vm));

        ConsumerRecord<String, ReplicationRequested> published = pipeline.nextRequest(vm);
        ReplicationRequested request = published.value();
        assertThat(published.key()).isEqualTo(vm);
        assertThat(request).isEqualTo(ReplicationRequested.newBuilder()
                .setEventId(request.getEventId())
                .setOccurredAt(IntakeStack.NOW)
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(vm)
                .setRequest(new ReplicationRequestValidator().validate(SampleBodies.full(vm)
                        .getBytes(StandardCharsets.UTF_8)).toEvent("operator-tests"))
                .build());
        String requestId = request.getCorrelationId();
        pipeline.answer(Topics.CONTEXT_CREATED, vm, TestEvents.contextCreated(requestId, vm, true));
        pipeline.answer(Topics.JOB_CREATED, vm, TestEvents.jobCreated(requestId, vm));
        pipeline.answer(Topics.JOB_STARTED, vm, TestEvents.jobStarted(requestId, vm));

        HttpResponse<String> response = answer.get();
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("job_id").asString()).isEqualTo("job-20250923-101530.123-abc123");
        assertThat(body.get("context_id").asString()).isEqualTo("ctx-" + vm + "-20250923-101530");
        assertThat(body.get("status").asString()).isEqualTo("replicating");
        assertThat(body.get("source_vm").get("id").asString()).isEqualTo(vm);
        assertThat(body.get("message").asString()).isEqualTo("Replication started successfully with 1 disk(s)");
        assertThat(pipeline.remainingRequests()).filteredOn(record -> vm.equals(record.key())).isEmpty();
    }

    @Test
    void aContextOnlyRequestIsAnsweredWithTheContext() throws Exception {
        String vm = newVmId();

        CompletableFuture<HttpResponse<String>> answer = http.postAsync("/api/v1/replications", OPERATOR,
                "{\"source_vm\": {\"id\": \"" + vm + "\", \"name\": \"" + vm + "\", \"path\": \"/DC1/vm/" + vm
                        + "\"}, \"start_replication\": false}");
        ReplicationRequested request = pipeline.nextRequest(vm).value();
        assertThat(request.getRequest().getStartReplication()).isFalse();
        ContextCreated created = TestEvents.contextCreated(request.getCorrelationId(), vm, false);
        pipeline.answer(Topics.CONTEXT_CREATED, vm, created);

        HttpResponse<String> response = answer.get();
        assertThat(response.statusCode()).isEqualTo(201);
        assertJson(response.body(), """
                {"context_id": "ctx-%1$s-20250923-101530", "vm_name": "%1$s", "vmware_vm_id": "%1$s",
                 "current_status": "discovered", "created_at": "2025-09-23T10:15:30.123Z",
                 "message": "VM added to management successfully"}
                """.formatted(vm));
    }

    @Test
    void aRejectionIs409() throws Exception {
        String vm = newVmId();

        CompletableFuture<HttpResponse<String>> answer = http.postAsync("/api/v1/replications", OPERATOR,
                SampleBodies.minimal(vm, "busy"));
        String requestId = pipeline.nextRequest(vm).value().getCorrelationId();
        pipeline.answer(Topics.REPLICATION_REJECTED, vm, TestEvents.rejected(requestId, vm));

        HttpResponse<String> response = answer.get();
        assertThat(response.statusCode()).isEqualTo(409);
        assertJson(response.body(), error("VM has active replication job", "VM has active replication job; "
                + "context_id ctx-" + vm + "-20250923-101530; active_job_id job-20250923-101000.000-000001"));
    }

    @Test
    void discoveryFailuresAre404And504() throws Exception {
        String missing = newVmId();
        String slow = newVmId();

        CompletableFuture<HttpResponse<String>> notFound = http.postAsync("/api/v1/replications", OPERATOR,
                SampleBodies.minimal(missing, "missing"));
        CompletableFuture<HttpResponse<String>> timedOut = http.postAsync("/api/v1/replications", OPERATOR,
                SampleBodies.minimal(slow, "slow"));
        pipeline.answer(Topics.DISCOVERY_FAILED, missing,
                TestEvents.discoveryFailed(pipeline.nextRequest(missing).value().getCorrelationId(), missing));
        pipeline.answer(Topics.DISCOVERY_FAILED, slow, DiscoveryFailed.newBuilder(
                        TestEvents.discoveryFailed(pipeline.nextRequest(slow).value().getCorrelationId(), slow))
                .setReason(DiscoveryFailureReason.TIMEOUT).setMessage("the VMA did not answer within 15 s").build());

        assertThat(notFound.get().statusCode()).isEqualTo(404);
        assertJson(notFound.get().body(), error("VM not found in vCenter", "no VM named " + missing + " in vCenter"));
        assertThat(timedOut.get().statusCode()).isEqualTo(504);
        assertJson(timedOut.get().body(), error("VM discovery timed out", "the VMA did not answer within 15 s"));
    }

    @Test
    void aJobThatFailedToStartIs502() throws Exception {
        String vm = newVmId();

        CompletableFuture<HttpResponse<String>> answer = http.postAsync("/api/v1/replications", OPERATOR,
                SampleBodies.minimal(vm, "novolume"));
        String requestId = pipeline.nextRequest(vm).value().getCorrelationId();
        pipeline.answer(Topics.CONTEXT_CREATED, vm, TestEvents.contextCreated(requestId, vm, true));
        pipeline.answer(Topics.JOB_FAILED, vm, TestEvents.jobFailed(requestId, vm));

        HttpResponse<String> response = answer.get();
        assertThat(response.statusCode()).isEqualTo(502);
        assertJson(response.body(), error("Replication job failed to start", "volume could not be created (job "
                + "job-20250923-101530.123-abc124, step target_volumes, reason TARGET_VOLUME_FAILED)"));
    }

    @Test
    void respondAsyncIsAcceptedAtOnceAndItsOutcomeIsReadFromTheReadModel() throws Exception {
        String vm = newVmId();

        HttpResponse<String> accepted = http.post("/api/v1/replications", OPERATOR, SampleBodies.minimal(vm, "later"),
                "Prefer", "respond-async");

        assertThat(accepted.statusCode()).isEqualTo(202);
        String requestId = json.readTree(accepted.body()).get("request_id").asString();
        assertJson(accepted.body(), """
                {"request_id": "%1$s", "status": "pending", "outcome_url": "/api/v1/replication-requests/%1$s",
                 "message": "Request accepted; its outcome will be at the outcome URL"}
                """.formatted(requestId));
        assertThat(pipeline.nextRequest(vm).value().getCorrelationId()).isEqualTo(requestId);

        assertThat(http.get("/api/v1/replication-requests/" + requestId, VIEWER).statusCode()).isEqualTo(404);
        rows.request(requestId, vm, "later", "pending", null, null, T0, null);
        assertJson(http.get("/api/v1/replication-requests/" + requestId, VIEWER).body(), """
                {"request_id": "%s", "status": "pending", "outcome": null, "vmware_vm_id": "%s", "vm_name": "later",
                 "requested_by": "operator-tests", "start_replication": true, "failover_id": null, "job_id": null,
                 "context_id": null, "reason": null, "message": null, "created_at": "2025-09-20T08:00:00Z",
                 "decided_at": null}
                """.formatted(requestId, vm));
        stack.db.update(REPLICATION_REQUESTS).set(REPLICATION_REQUESTS.OUTCOME, "job_started")
                .set(REPLICATION_REQUESTS.JOB_ID, "job-x").set(REPLICATION_REQUESTS.CONTEXT_ID, "ctx-x")
                .set(REPLICATION_REQUESTS.MESSAGE, "started")
                .set(REPLICATION_REQUESTS.DECIDED_AT, T0.plusSeconds(3))
                .where(REPLICATION_REQUESTS.REQUEST_ID.eq(requestId)).execute();
        assertJson(http.get("/api/v1/replication-requests/" + requestId, VIEWER).body(), """
                {"request_id": "%s", "status": "decided", "outcome": "job_started", "vmware_vm_id": "%s",
                 "vm_name": "later", "requested_by": "operator-tests", "start_replication": true, "failover_id": null,
                 "job_id": "job-x", "context_id": "ctx-x", "reason": null, "message": "started",
                 "created_at": "2025-09-20T08:00:00Z", "decided_at": "2025-09-20T08:00:03Z"}
                """.formatted(requestId, vm));
    }

    @Test
    void refusedRequestsNeverReachKafka() {
        String vm = newVmId();
        String body = SampleBodies.minimal(vm, "refused");

        assertThat(http.post("/api/v1/replications", null, body).statusCode()).isEqualTo(401);
        assertThat(http.post("/api/v1/replications", "wrong-token", body).statusCode()).isEqualTo(401);
        assertThat(http.post("/api/v1/replications", VIEWER, body).statusCode()).isEqualTo(403);
        assertThat(http.post("/api/v1/replications", OPERATOR, body.replace("\"path\"", "\"paths\"")).statusCode())
                .isEqualTo(400);
        HttpResponse<String> tooLarge = http.post("/api/v1/replications", OPERATOR,
                body.replace("}}", "}, \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}"));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertJson(tooLarge.body(), error("Request body too large", "The request body exceeds 1048576 bytes"));

        assertThat(pipeline.remainingRequests()).filteredOn(record -> vm.equals(record.key())).isEmpty();
    }

    @Test
    void anInitialJobAfterACompletedOneIsToldNoBase() {
        // given: job-1 completed with change ids; job-2, initial on new volumes, is running
        String vm = newVmId();
        String name = "cbt-" + vm.substring(0, 8);
        rows.job("job-1-" + vm, "ctx-" + vm, vm, name, "completed", T0);
        rows.disk("job-1-" + vm, "disk-2000", "ctx-" + vm, vm, null, "52 90 e0 cc/8", T0);
        rows.changeId("job-1-" + vm, "ctx-" + vm, vm, "disk-2000", "52 90 e0 cc/8", T0.plusMinutes(5));
        rows.job("job-2-" + vm, "ctx-" + vm, vm, name, "replicating", T0.plusDays(1));
        rows.disk("job-2-" + vm, "disk-2000", "ctx-" + vm, vm, null, null, T0.plusDays(1));

        // when
        HttpResponse<String> answer = http.get("/api/v1/replications/changeid?vm_path=/DC1/vm/" + name
                + "&disk_id=disk-2000", VMA);

        // then
        assertThat(answer.statusCode()).isEqualTo(200);
        assertJson(answer.body(), """
                {"vm_path": "/DC1/vm/%s", "disk_id": "disk-2000", "change_id": "",
                 "message": "No previous change ID found"}
                """.formatted(name));
    }

    @Test
    void anIncrementalJobIsToldItsOwnBaseNotALateChangeIdAndNoneForANewDisk() {
        // given: job-1 completed; a change id of it arrived after its end; job-2 runs incremental from
        // the base the decision confirmed, and disk-2001 was added to the VM since
        String vm = newVmId();
        String name = "cbt-" + vm.substring(0, 8);
        rows.job("job-1-" + vm, "ctx-" + vm, vm, name, "completed", T0);
        rows.changeId("job-1-" + vm, "ctx-" + vm, vm, "disk-2000", "52 aa/1", T0.plusMinutes(5));
        rows.changeId("job-1-" + vm, "ctx-" + vm, vm, "disk-2000", "52 aa/late", T0.plusMinutes(30));
        rows.job("job-2-" + vm, "ctx-" + vm, vm, name, "replicating", T0.plusDays(1));
        rows.disk("job-2-" + vm, "disk-2000", "ctx-" + vm, vm, "52 aa/1", null, T0.plusDays(1));
        rows.disk("job-2-" + vm, "disk-2001", "ctx-" + vm, vm, null, null, T0.plusDays(1));

        // when
        HttpResponse<String> based = http.get("/api/v1/replications/changeid?vm_path=/DC1/vm/" + name
                + "&disk_id=disk-2000", VMA);
        HttpResponse<String> added = http.get("/api/v1/replications/changeid?vm_path=/DC1/vm/" + name
                + "&disk_id=disk-2001", OPERATOR);

        // then
        assertJson(based.body(), """
                {"vm_path": "/DC1/vm/%s", "disk_id": "disk-2000", "change_id": "52 aa/1",
                 "message": "Previous change ID found"}
                """.formatted(name));
        assertJson(added.body(), """
                {"vm_path": "/DC1/vm/%s", "disk_id": "disk-2001", "change_id": "",
                 "message": "No previous change ID found"}
                """.formatted(name));
    }

    @Test
    void twoVmsWithOnePathInTwoVcentersKeepSeparateBases() {
        // given: VM A (vCenter 1) has a completed job; VM B (vCenter 2, same path) runs its first job
        String vmA = newVmId();
        String vmB = newVmId();
        String path = "/DC1/vm/shared-" + vmA.substring(0, 8);
        rows.job("job-a-" + vmA, "ctx-" + vmA, vmA, "shared", path, "vcenter-1.example.test", "completed", T0);
        rows.disk("job-a-" + vmA, "disk-2000", "ctx-" + vmA, vmA, null, "52 aa/A", T0);
        rows.changeId("job-a-" + vmA, "ctx-" + vmA, vmA, "disk-2000", "52 aa/A", T0.plusMinutes(5));
        rows.job("job-b-" + vmB, "ctx-" + vmB, vmB, "shared", path, "vcenter-2.example.test", "replicating",
                T0.plusDays(1));
        rows.disk("job-b-" + vmB, "disk-2000", "ctx-" + vmB, vmB, null, null, T0.plusDays(1));

        // when: B's copy engine asks, then A's next job (incremental from its own base) runs too
        HttpResponse<String> forB = http.get("/api/v1/replications/changeid?vm_path=" + path + "&disk_id=disk-2000",
                VMA);
        stack.db.update(REPLICATION_JOBS).set(REPLICATION_JOBS.STATUS, "completed")
                .where(REPLICATION_JOBS.ID.eq("job-b-" + vmB)).execute();
        rows.job("job-a2-" + vmA, "ctx-" + vmA, vmA, "shared", path, "vcenter-1.example.test", "replicating",
                T0.plusDays(3));
        rows.disk("job-a2-" + vmA, "disk-2000", "ctx-" + vmA, vmA, "52 aa/A", null, T0.plusDays(3));
        HttpResponse<String> forA = http.get("/api/v1/replications/changeid?vm_path=" + path + "&disk_id=disk-2000",
                VMA);

        // then: B gets no base of A's; A gets its own
        assertJson(forB.body(), """
                {"vm_path": "%s", "disk_id": "disk-2000", "change_id": "", "message": "No previous change ID found"}
                """.formatted(path));
        assertJson(forA.body(), """
                {"vm_path": "%s", "disk_id": "disk-2000", "change_id": "52 aa/A", "message": "Previous change ID found"}
                """.formatted(path));
    }

    @Test
    void whileJobsOfTwoVmsRunAtOnePathNeitherIsGivenABase() {
        // given
        String vmA = newVmId();
        String vmB = newVmId();
        String path = "/DC1/vm/both-" + vmA.substring(0, 8);
        rows.job("job-a-" + vmA, "ctx-" + vmA, vmA, "both", path, "vcenter-1.example.test", "replicating", T0);
        rows.disk("job-a-" + vmA, "disk-2000", "ctx-" + vmA, vmA, "52 aa/A", null, T0);
        rows.job("job-b-" + vmB, "ctx-" + vmB, vmB, "both", path, "vcenter-2.example.test", "replicating", T0);
        rows.disk("job-b-" + vmB, "disk-2000", "ctx-" + vmB, vmB, "52 bb/B", null, T0);

        // when
        HttpResponse<String> answer = http.get("/api/v1/replications/changeid?vm_path=" + path + "&disk_id=disk-2000",
                VMA);

        // then: which VM's copy engine asks cannot be told; a full copy is right for either
        JsonNode body = json.readTree(answer.body());
        assertThat(body.get("change_id").asString()).isEmpty();
        assertThat(body.get("message").asString()).isIn(
                "Replication jobs of 2 VMs run at this path (job-a-" + vmA + ", job-b-" + vmB
                        + "): no previous change ID (full copy)",
                "Replication jobs of 2 VMs run at this path (job-b-" + vmB + ", job-a-" + vmA
                        + "): no previous change ID (full copy)");
    }

    @Test
    void aPostedChangeIdBecomesAChangeIdRecordedEventOfTheJob() {
        String vm = newVmId();
        String job = "job-cbt-" + vm;
        rows.job(job, "ctx-" + vm, vm, "cbt", "replicating", T0);
        rows.disk(job, "disk-2000", "ctx-" + vm, vm, null, T0);

        HttpResponse<String> response = http.post("/api/v1/replications/" + job + "/changeid", VMA,
                "{\"change_id\": \"52 4d 2f/1234\", \"previous_change_id\": \"52 4d 2f/1000\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertJson(response.body(), """
                {"job_id": "%s", "disk_id": "disk-2000", "change_id": "52 4d 2f/1234",
                 "message": "Change ID recorded successfully"}
                """.formatted(job));
        ConsumerRecord<String, ChangeIdRecorded> published = pipeline.nextChangeId(vm);
        assertThat(published.key()).isEqualTo(vm);
        assertThat(published.value()).isEqualTo(ChangeIdRecorded.newBuilder()
                .setEventId(published.value().getEventId())
                .setOccurredAt(IntakeStack.NOW)
                .setCorrelationId("req-of-" + job)
                .setVmwareVmId(vm)
                .setJobId(job)
                .setContextId("ctx-" + vm)
                .setDiskId("disk-2000")
                .setChangeId("52 4d 2f/1234")
                .setPreviousChangeId("52 4d 2f/1000")
                .setRequestedBy("operator-tests")
                .build());
        assertThat(pipeline.remainingChangeIds()).filteredOn(record -> vm.equals(record.key())).isEmpty();
    }

    @Test
    void jobsAreServedWithTheirProgressAndDisksNewestFirst() {
        String vm = newVmId();
        String name = "query-" + vm.substring(0, 8);
        rows.job("job-a-" + vm, "ctx-" + vm, vm, name, "completed", T0);
        rows.job("job-b-" + vm, "ctx-" + vm, vm, name, "replicating", T0.plusHours(1));
        rows.disk("job-b-" + vm, "disk-2000", "ctx-" + vm, vm, null, T0.plusHours(1));

        HttpResponse<String> one = http.get("/api/v1/replications/job-b-" + vm, VIEWER);
        HttpResponse<String> list = http.get("/api/v1/replications?vm_name=" + name, VIEWER);
        HttpResponse<String> completed = http.get("/api/v1/replications?vm_name=" + name + "&status=completed&limit=5",
                OPERATOR);

        assertThat(one.statusCode()).isEqualTo(200);
        assertJson(one.body(), job("job-b-" + vm, vm, name, "replicating", 42.5, "2025-09-20T09:00:00Z", null, """
                , "disks": [{"disk_id": "disk-2000", "job_id": "job-b-%1$s", "label": "Hard disk disk-2000",
                  "vmdk_path": "[ds1] vm/disk-2000.vmdk", "size_gb": 40, "capacity_bytes": 42949672960,
                  "datastore": "ds1", "provisioning_type": "thin", "unit_number": 0,
                  "volume_id": "vol-job-b-%1$s-disk-2000", "nbd_export_name": "migration-vol-vol-disk-2000",
                  "device_path": "nbd://127.0.0.1:10809/migration-vol-vol-disk-2000", "bytes_transferred": 0,
                  "total_bytes": 0, "progress_percent": 0.0, "status": "copying", "change_id": null,
                  "previous_change_id": null, "created_at": "2025-09-20T09:00:00Z",
                  "updated_at": "2025-09-20T09:00:00Z"}]
                """.formatted(vm)));
        assertJson(list.body(), "{\"replications\": ["
                + job("job-b-" + vm, vm, name, "replicating", 42.5, "2025-09-20T09:00:00Z", null, "") + ", "
                + job("job-a-" + vm, vm, name, "completed", 100.0, "2025-09-20T08:00:00Z", "2025-09-20T08:05:00Z", "")
                + "], \"count\": 2, \"limit\": 50, \"offset\": 0}");
        assertJson(completed.body(), "{\"replications\": ["
                + job("job-a-" + vm, vm, name, "completed", 100.0, "2025-09-20T08:00:00Z", "2025-09-20T08:05:00Z", "")
                + "], \"count\": 1, \"limit\": 5, \"offset\": 0}");
    }

    @Test
    void contextsAreServedWithTheirCurrentJobHistoryAndLatestDisks() throws Exception {
        String vm = newVmId();
        String name = "ctx-query-" + vm.substring(0, 8);
        rows.context("ctx-" + vm, vm, name, "replicating", "job-2-" + vm, T0);
        rows.job("job-1-" + vm, "ctx-" + vm, vm, name, "completed", T0);
        rows.job("job-2-" + vm, "ctx-" + vm, vm, name, "replicating", T0.plusHours(2));
        rows.disk("job-1-" + vm, "disk-2000", "ctx-" + vm, vm, "52 aa/1", T0);
        rows.disk("job-2-" + vm, "disk-2000", "ctx-" + vm, vm, null, T0.plusHours(2));

        HttpResponse<String> detail = http.get("/api/v1/vm-contexts/" + name, VIEWER);
        HttpResponse<String> list = http.get("/api/v1/vm-contexts?limit=200", VIEWER);

        assertThat(detail.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(detail.body());
        assertJson(body.get("context").toString(), context(vm, name));
        assertThat(body.get("current_job").get("job_id").asString()).isEqualTo("job-2-" + vm);
        assertThat(body.get("job_history").findValuesAsString("job_id")).containsExactly("job-2-" + vm, "job-1-" + vm);
        assertThat(body.get("disks").findValuesAsString("job_id")).containsExactly("job-2-" + vm);
        assertThat(json.readTree(list.body()).get("vm_contexts").findValuesAsString("vm_name")).contains(name);
    }

    @Test
    void anonymousCallersGetTheHealthStatusOnlyAndNoOtherManagementEndpoint() throws Exception {
        // when: health and its probes are asked without a token
        HttpResponse<String> health = http.get("/actuator/health", null);
        HttpResponse<String> readiness = http.get("/actuator/health/readiness", null);
        HttpResponse<String> liveness = http.get("/actuator/health/liveness", VIEWER);

        // then: the status, and nothing about the components
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode healthBody = json.readTree(health.body());
        assertThat(healthBody.get("status").asString()).isEqualTo("UP");
        assertThat(healthBody.propertyNames()).doesNotContain("components", "details");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertJson(readiness.body(), "{\"status\": \"UP\"}");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertJson(liveness.body(), "{\"status\": \"UP\"}");

        // and: every other management path is refused without the management token, an API token included
        for (String path : List.of("/actuator/prometheus", "/actuator/env", "/actuator/metrics", "/actuator",
                "/actuator/health/db")) {
            for (String token : Arrays.asList(null, OPERATOR, "not-a-token")) {
                HttpResponse<String> refused = http.get(path, token);
                assertThat(refused.statusCode()).as(path + " with " + token).isEqualTo(401);
                assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
                assertThat(refused.body()).as(path).isEqualTo(path + " needs the management token (Authorization: "
                        + "Bearer <token>): " + (token == null ? "Missing bearer token" : "Invalid bearer token") + "\n");
                assertThat(refused.body()).doesNotContain("jvm_", "readinessState", "spring.");
            }
        }
    }

    @Test
    void theManagementTokenShowsHealthDetailsAndMetrics() throws Exception {
        HttpResponse<String> readiness = http.get("/actuator/health/readiness", MANAGEMENT);
        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode components = json.readTree(readiness.body()).get("components");
        assertThat(new TreeSet<>(components.propertyNames())).containsExactly("db", "failoverOutcomes", "jobEvents",
                "kafka", "outcomeListener", "readinessState", "schemaRegistry");
        assertThat(json.readTree(readiness.body()).get("status").asString()).isEqualTo("UP");

        http.get("/api/v1/replications/unknown-job", VIEWER);
        http.post("/api/v1/replications", OPERATOR, "{}");
        HttpResponse<String> prometheus = http.get("/actuator/prometheus", MANAGEMENT);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("migratekit_intake_waiting_requests")
                .containsPattern("http_server_requests_seconds_count\\{.*status=\"404\".*uri=\"/api/v1/replications/\\{job_id\\}\".*\\}")
                .containsPattern("migratekit_intake_replication_outcomes_total\\{.*outcome=\"invalid\".*\\} [1-9]");
        // env is not exposed at all: the token passes, the actuator has no such endpoint
        assertThat(http.get("/actuator/env", MANAGEMENT).statusCode()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentIsServed() throws Exception {
        JsonNode paths = json.readTree(http.get("/v3/api-docs", null).body()).get("paths");
        Map<String, Set<String>> documented = new java.util.TreeMap<>();
        for (String path : paths.propertyNames()) {
            documented.put(path, new TreeSet<>(paths.get(path).propertyNames()));
        }
        assertThat(documented).isEqualTo(Map.ofEntries(
                Map.entry("/api/v1/failovers", Set.of("get", "post")),
                Map.entry("/api/v1/failovers/{failover_id}", Set.of("get")),
                Map.entry("/api/v1/failovers/{failover_id}/cleanup", Set.of("post")),
                Map.entry("/api/v1/replications", Set.of("get", "post")),
                Map.entry("/api/v1/replications/{job_id}", Set.of("get")),
                Map.entry("/api/v1/replications/{job_id}/events", Set.of("get")),
                Map.entry("/api/v1/replications/changeid", Set.of("get")),
                Map.entry("/api/v1/replications/{job_id}/changeid", Set.of("post")),
                Map.entry("/api/v1/replication-requests/{request_id}", Set.of("get")),
                Map.entry("/api/v1/vm-contexts", Set.of("get")),
                Map.entry("/api/v1/vm-contexts/{vm_name}", Set.of("get")),
                Map.entry("/api/v1/vm-contexts/{vm_name}/downtime-estimate", Set.of("get")),
                Map.entry("/api/v1/events", Set.of("get")),
                Map.entry("/api/v1/events/tickets", Set.of("post")),
                Map.entry("/api/v1/session", Set.of("get")),
                Map.entry("/api/v1/schedules", Set.of("get", "post")),
                Map.entry("/api/v1/schedules/{id}", Set.of("delete", "get", "put")),
                Map.entry("/api/v1/schedules/{id}/enable", Set.of("post")),
                Map.entry("/api/v1/schedules/{id}/trigger", Set.of("post")),
                Map.entry("/api/v1/schedules/{id}/executions", Set.of("get")),
                Map.entry("/api/v1/machine-groups", Set.of("get", "post")),
                Map.entry("/api/v1/machine-groups/{id}", Set.of("delete", "get", "put")),
                Map.entry("/api/v1/machine-groups/{id}/vms", Set.of("get", "post")),
                Map.entry("/api/v1/machine-groups/{id}/vms/{vm}", Set.of("delete")),
                Map.entry("/api/v1/vm-contexts/ungrouped", Set.of("get")),
                Map.entry("/api/v1/vm-contexts/{id}/group", Set.of("put"))));

        // and beside it, without a token, the event catalog: every topic a channel
        var catalog = http.get("/v3/asyncapi", null);
        assertThat(catalog.statusCode()).isEqualTo(200);
        JsonNode channels = json.readTree(catalog.body()).get("channels");
        List<String> addresses = new ArrayList<>();
        channels.forEach(channel -> addresses.add(channel.get("address").asString()));
        assertThat(addresses).containsExactlyElementsOf(Topics.all().stream().map(Topic::name).toList());
    }

    private static String job(String id, String vm, String name, String status, double progress, String created,
            String completed, String disks) {
        return """
                {"job_id": "%s", "context_id": "ctx-%s", "vmware_vm_id": "%s", "request_id": "req-of-%s",
                 "source_vm_name": "%s", "source_vm_path": "/DC1/vm/%s", "vcenter_host": "vcenter.example.test",
                 "datacenter": "DC1", "replication_type": "initial", "status": "%s", "progress_percent": %s,
                 "current_operation": "copying disk-2000", "vma_sync_type": null, "bytes_transferred": 1024,
                 "total_bytes": 2048, "throughput_mbps": 12.5, "eta_seconds": null, "last_poll_at": null,
                 "failure_reason": null, "error_message": null, "ossea_config_id": 1, "target_network": null,
                 "schedule_execution_id": null, "vm_group_id": null, "scheduled_by": null,
                 "requested_by": "operator-tests", "failover_id": null, "created_at": "%s", "started_at": "%s",
                 "completed_at": %s, "updated_at": "%s"%s}
                """.formatted(id, vm, vm, id, name, name, status, progress, created, created,
                completed == null ? "null" : "\"" + completed + "\"", created, disks);
    }

    private static String context(String vm, String name) {
        return """
                {"context_id": "ctx-%1$s", "vmware_vm_id": "%1$s", "vm_name": "%2$s", "vm_path": "/DC1/vm/%2$s",
                 "vcenter_host": "vcenter.example.test", "datacenter": "DC1", "current_status": "replicating",
                 "current_job_id": "job-2-%1$s", "last_successful_job_id": null, "total_jobs_run": 2,
                 "successful_jobs": 1, "failed_jobs": 0, "cpu_count": 2, "memory_mb": 8192, "os_type": "linux",
                 "power_state": "poweredOn", "vmx_version": "vmx-19", "active_failover_id": null,
                 "created_at": "2025-09-20T08:00:00Z", "updated_at": "2025-09-20T08:00:00Z"}
                """.formatted(vm, name);
    }

    private static String error(String error, String details) {
        return "{\"error\": " + quote(error) + ", \"details\": " + quote(details) + ", \"timestamp\": \"" + NOW + "\"}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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
