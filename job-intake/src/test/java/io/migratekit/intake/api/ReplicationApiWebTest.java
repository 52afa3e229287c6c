package io.migratekit.intake.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.client.ReplicationOutcome;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.JobStarted;
import io.migratekit.events.RejectionReason;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.intake.IntakeWebConfiguration;
import io.migratekit.intake.ReadModelRows;
import io.migratekit.intake.TestEvents;
import io.migratekit.intake.api.WebTestDoubles.RecordingChangeIdPublisher;
import io.migratekit.intake.api.WebTestDoubles.RecordingPipeline;
import io.migratekit.intake.request.ReplicationRequestValidator;
import io.migratekit.intake.request.SampleBodies;
import io.micrometer.core.instrument.MeterRegistry;
import io.migratekit.platform.BearerTokens;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The web layer alone (controllers, authentication, validation, answers, error rendering) with a
 * recording pipeline: every error path gives its exact JSON and publishes nothing.
 */
@WebMvcTest(properties = {
        "spring.jackson.property-naming-strategy=SNAKE_CASE",
        "migratekit.intake.outcome-timeout=5s",
        "migratekit.intake.change-id-job-wait=0s",
        "migratekit.security.tokens[0].name=operator-tests",
        "migratekit.security.tokens[0].sha256=" + ReplicationApiWebTest.OPERATOR_HASH,
        "migratekit.security.tokens[0].role=operator",
        "migratekit.security.tokens[1].name=viewer-tests",
        "migratekit.security.tokens[1].sha256=" + ReplicationApiWebTest.VIEWER_HASH,
        "migratekit.security.tokens[1].role=read-only",
        "migratekit.security.tokens[2].name=vma-tests",
        "migratekit.security.tokens[2].sha256=" + ReplicationApiWebTest.VMA_HASH,
        "migratekit.security.tokens[2].role=vma"})
@Import({IntakeWebConfiguration.class, WebTestDoubles.class})
class ReplicationApiWebTest {

    static final String OPERATOR = "operator-token";
    static final String VIEWER = "viewer-token";
    static final String VMA = "vma-token";
    // SHA-256 of the three tokens above.
    static final String OPERATOR_HASH = "0850123315d21ab90f4f7236408a52ef6dbd6a02a6550e5c10dc73f4d993680e";
    static final String VIEWER_HASH = "d036bd6d01a1cae081d39a2f8dab751dc042de814fd60df31fcb553170950f29";
    static final String VMA_HASH = "21dd7b2b120663e23f2725ed47f6187807492d8b7f390a156c7428516b3a6227";
    static final String NOW = "2025-09-23T10:15:30.123Z";
    static final String VM = "420570c7-f61f-a930-77c5-1e876786cb3c";

    @Autowired
    MockMvcTester mvc;
    @Autowired
    RecordingPipeline pipeline;
    @Autowired
    RecordingChangeIdPublisher changeIds;
    @Autowired
    DSLContext db;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void reset() {
        pipeline.reset();
        changeIds.published.clear();
    }

    @Test
    void theTokenHashesAboveAreTheSha256OfTheTokens() {
        assertThat(OPERATOR_HASH).isEqualTo(hex(OPERATOR));
        assertThat(VIEWER_HASH).isEqualTo(hex(VIEWER));
        assertThat(VMA_HASH).isEqualTo(hex(VMA));
    }

    // ---- POST /api/v1/replications: authentication -------------------------------------------

    @Test
    void withoutATokenTheRequestIs401AndNothingIsPublished() {
        MvcTestResult result = mvc.post().uri("/api/v1/replications").contentType(MediaType.APPLICATION_JSON)
                .content(SampleBodies.full(VM)).exchange();

        assertThat(result).hasStatus(401).hasHeader("WWW-Authenticate", "Bearer").bodyJson().isStrictlyEqualTo(
                error("Unauthorized", "Missing bearer token"));
        assertThat(pipeline.nothingReceived()).isTrue();
    }

    @Test
    void aWrongTokenIs401AndNothingIsPublished() {
        MvcTestResult result = post(SampleBodies.full(VM), "not-a-configured-token");

        assertThat(result).hasStatus(401).bodyJson().isStrictlyEqualTo(error("Unauthorized", "Invalid bearer token"));
        assertThat(pipeline.nothingReceived()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"viewer-token,read-only", "vma-token,vma"})
    void aTokenWithoutWriteRightsIs403AndNothingIsPublished(String token, String role) {
        MvcTestResult result = post(SampleBodies.full(VM), token);

        assertThat(result).hasStatus(403).bodyJson().isStrictlyEqualTo(
                error("Forbidden", "Role " + role + " may not call POST /api/v1/replications"));
        assertThat(pipeline.nothingReceived()).isTrue();
    }

    // ---- POST /api/v1/replications: validation -----------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{not json|Invalid request payload|the request body is not valid JSON (line 1, column 2)",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"cpus\": \"two\"}}|Invalid request payload|source_vm.cpus must be an integer",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\"}}|Source VM information is required|missing or empty: source_vm.path",
            "{\"replication_type\": \"initial\"}|Source VM information is required|source_vm with id, name and path is required",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}, \"replication_type\": \"differential\"}|Invalid replication type|replication_type must be one of: initial, incremental (or omitted to auto-detect)",
    })
    void anInvalidBodyIs400WithTheOriginalTextAndNothingIsPublished(String body, String error, String details) {
        MvcTestResult result = post(body, OPERATOR);

        assertThat(result).hasStatus(400).bodyJson().isStrictlyEqualTo(error(error, details));
        assertThat(pipeline.nothingReceived()).isTrue();
    }

    @Test
    void anOverlongFieldIs400NamingTheFieldAndNothingIsPublished() {
        MvcTestResult result = post("{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/" + "p".repeat(1024)
                + "\"}}", OPERATOR);

        assertThat(result).hasStatus(400).bodyJson().isStrictlyEqualTo(
                error("Invalid request payload", "source_vm.path is longer than 1024 characters"));
        assertThat(pipeline.nothingReceived()).isTrue();
    }

    @Test
    void aBodyOverOneMebibyteIs413AndNothingIsPublished() {
        String huge = "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}, \"pad\": \""
                + "x".repeat(1024 * 1024) + "\"}";

        MvcTestResult result = post(huge, OPERATOR);

        assertThat(result).hasStatus(413).bodyJson().isStrictlyEqualTo(
                error("Request body too large", "The request body exceeds 1048576 bytes"));
        assertThat(pipeline.nothingReceived()).isTrue();
    }

    @Test
    void aBrokerThatDoesNotTakeTheRequestIs503() {
        pipeline.unavailable = true;

        MvcTestResult result = post(SampleBodies.full(VM), OPERATOR);

        assertThat(result).hasStatus(503).bodyJson().isStrictlyEqualTo(error("Pipeline unavailable",
                "The pipeline's broker is unavailable; the request was not accepted, retry later"));
    }

    @Test
    void aSchemaRegistryThatDoesNotTakeTheRequestIs503ThatSaysSoAndNotThatTheBrokerFailed() {
        pipeline.registryUnavailable = true;

        MvcTestResult result = post(SampleBodies.full(VM), OPERATOR);

        assertThat(result).hasStatus(503).bodyJson().isStrictlyEqualTo(error("Pipeline unavailable",
                "The pipeline's schema registry did not take the request's event; nothing was sent to the broker and "
                        + "the request was not accepted, retry later"));
    }

    @Test
    void aRequestHandedToTheBrokerButNotAcknowledgedIs503ThatSaysWhereItsOutcomeMayAppear() {
        pipeline.unacknowledged = "req-unacknowledged";

        MvcTestResult result = post(SampleBodies.full(VM), OPERATOR);

        assertThat(result).hasStatus(503).bodyJson().isStrictlyEqualTo(error("Pipeline unavailable",
                "The pipeline's broker did not acknowledge the replication request req-unacknowledged in time; it may "
                        + "still be accepted once the broker is back: look at "
                        + "/api/v1/replication-requests/req-unacknowledged before sending it again"));
    }

    // ---- POST /api/v1/replications: outcomes ---------------------------------------------------

    @Test
    void aStartedJobIs201InTheOriginalShapeWithTheDiscoveredDisksAndTheRequestCarriesThePrincipal() {
        // given: discovery found disk-2000 at 50 GB; the client's own disks array says 40 GB
        pipeline.outcome = id -> {
            JobStarted started = TestEvents.jobStarted(id, VM);
            return ReplicationOutcome.of(JobStarted.newBuilder(started).setVolumes(List.of(VolumeAttachment
                    .newBuilder(started.getVolumes().get(0)).setSizeGb(50L).build())).build());
        };

        MvcTestResult result = post(SampleBodies.full(VM), OPERATOR);

        assertThat(result).hasStatus(201).hasHeader("X-Request-Id", "req-1").bodyJson().isStrictlyEqualTo("""
                {"job_id": "job-20250923-101530.123-abc123", "context_id": "ctx-%1$s-20250923-101530",
                 "status": "replicating", "progress_percent": 0, "replication_type": "initial",
                 "created_volumes": [{"volume_id": "vol-1", "disk_id": "disk-2000",
                   "device_path": "nbd://127.0.0.1:10809/migration-vol-vol-1", "nbd_export_name": "migration-vol-vol-1"}],
                 "mounted_volumes": [{"volume_id": "vol-1", "disk_id": "disk-2000",
                   "device_path": "nbd://127.0.0.1:10809/migration-vol-vol-1", "nbd_export_name": "migration-vol-vol-1"}],
                 "source_vm": {"id": "%1$s", "name": "pgtest1", "path": "/DatabanxDC/vm/pgtest1", "vm_id": "%1$s",
                   "vm_name": "pgtest1", "vm_path": "/DatabanxDC/vm/pgtest1", "datacenter": "DatabanxDC",
                   "vcenter_host": "vcenter.example.test", "cpus": 2, "memory_mb": 8192, "power_state": "poweredOn",
                   "os_type": "windows", "vmx_version": "vmx-19",
                   "disks": [{"id": "disk-2000", "size_gb": 50}],
                   "networks": [{"label": "Network adapter 1", "network_name": "VM Network", "adapter_type": "vmxnet3",
                     "mac_address": "00:50:56:aa:bb:cc", "connected": true}]},
                 "started_at": "2025-09-23T10:15:30.123Z",
                 "message": "Replication started successfully with 1 disk(s)"}
                """.formatted(VM));
        assertThat(pipeline.submitted).containsExactly(new ReplicationRequestValidator()
                .validate(SampleBodies.full(VM).getBytes(StandardCharsets.UTF_8)).toEvent("operator-tests"));
        assertThat(pipeline.published).isEmpty();
        assertThat(meters.counter("migratekit.intake.replication.outcomes", "outcome", "job_started").count())
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aContextOnlyOutcomeIs201WithTheContext() {
        pipeline.outcome = id -> ReplicationOutcome.of(TestEvents.contextCreated(id, VM, false));

        MvcTestResult result = post(SampleBodies.minimal(VM, "pgtest1"), OPERATOR);

        assertThat(result).hasStatus(201).bodyJson().isStrictlyEqualTo("""
                {"context_id": "ctx-%1$s-20250923-101530", "vm_name": "%1$s", "vmware_vm_id": "%1$s",
                 "current_status": "discovered", "created_at": "2025-09-23T10:15:30.123Z",
                 "message": "VM added to management successfully"}
                """.formatted(VM));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "VM_ALREADY_MANAGED|409|VM already exists in management",
            "ACTIVE_REPLICATION_JOB|409|VM has active replication job",
            "FAILOVER_IN_PROGRESS|409|VM has a failover in progress",
    })
    void aRejectionIs409WithTheOriginalText(RejectionReason reason, int status, String error) {
        pipeline.outcome = id -> ReplicationOutcome.of(ReplicationRejected.newBuilder(TestEvents.rejected(id, VM))
                .setReason(reason).setMessage(error).setActiveJobId(null).build());

        MvcTestResult result = post(SampleBodies.full(VM), OPERATOR);

        assertThat(result).hasStatus(status).hasHeader("X-Request-Id", "req-1").bodyJson().isStrictlyEqualTo(
                error(error, error + "; context_id ctx-" + VM + "-20250923-101530"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "VM_NOT_FOUND|404|VM not found in vCenter",
            "NO_DISKS|422|VM has no disks",
            "TIMEOUT|504|VM discovery timed out",
            "VMA_UNREACHABLE|502|VMA is unreachable",
            "VMA_ERROR|502|VMA discovery failed",
    })
    void aDiscoveryFailureMapsToItsStatus(DiscoveryFailureReason reason, int status, String error) {
        pipeline.outcome = id -> ReplicationOutcome.of(DiscoveryFailed.newBuilder(TestEvents.discoveryFailed(id, VM))
                .setReason(reason).setMessage("discovery: " + reason).build());

        MvcTestResult result = post(SampleBodies.full(VM), OPERATOR);

        assertThat(result).hasStatus(status).bodyJson().isStrictlyEqualTo(error(error, "discovery: " + reason));
    }

    @Test
    void aJobThatFailedToStartIs502() {
        pipeline.outcome = id -> ReplicationOutcome.of(TestEvents.jobFailed(id, VM));

        MvcTestResult result = post(SampleBodies.full(VM), OPERATOR);

        assertThat(result).hasStatus(502).bodyJson().isStrictlyEqualTo(error("Replication job failed to start",
                "volume could not be created (job job-20250923-101530.123-abc124, step target_volumes, reason "
                        + "TARGET_VOLUME_FAILED)"));
    }

    @Test
    void whenTheOutcomeDoesNotComeInTimeTheAnswerIs202WithTheOutcomeUrl() {
        pipeline.outcome = id -> Optional.empty();

        MvcTestResult result = post(SampleBodies.full(VM), OPERATOR);

        assertThat(result).hasStatus(202).hasHeader("Location", "/api/v1/replication-requests/req-1")
                .bodyJson().isStrictlyEqualTo("""
                {"request_id": "req-1", "status": "pending", "outcome_url": "/api/v1/replication-requests/req-1",
                 "message": "The outcome is not known yet; it will be at the outcome URL"}
                """);
        assertThat(pipeline.submitted).hasSize(1);
    }

    @Test
    void preferRespondAsyncAnswers202AtOnceAndPublishesWithoutWaiting() {
        MvcTestResult result = mvc.post().uri("/api/v1/replications").header("Authorization", "Bearer " + OPERATOR)
                .header("Prefer", "wait=10, Respond-Async").contentType(MediaType.APPLICATION_JSON)
                .content(SampleBodies.full(VM)).exchange();

        assertThat(result).hasStatus(202).hasHeader("Preference-Applied", "respond-async")
                .hasHeader("Location", "/api/v1/replication-requests/req-1")
                .bodyJson().isStrictlyEqualTo("""
                {"request_id": "req-1", "status": "pending", "outcome_url": "/api/v1/replication-requests/req-1",
                 "message": "Request accepted; its outcome will be at the outcome URL"}
                """);
        assertThat(pipeline.published).hasSize(1);
        assertThat(pipeline.submitted).isEmpty();
    }

    // ---- other routes: authentication and errors ------------------------------------------------

    @ParameterizedTest
    @CsvSource({"/api/v1/replications", "/api/v1/replications/job-1", "/api/v1/vm-contexts",
            "/api/v1/vm-contexts/pgtest1", "/api/v1/replication-requests/req-1",
            "/api/v1/replications/changeid?vm_path=/p&disk_id=disk-2000", "/api/v1/no-such-route"})
    void everyApiRouteNeedsAToken(String path) {
        assertThat(mvc.get().uri(path).exchange()).hasStatus(401).bodyJson()
                .isStrictlyEqualTo(error("Unauthorized", "Missing bearer token"));
    }

    @Test
    void theVmaTokenMayNotReadTheReadModelAndTheReadOnlyTokenMayNotCallTheCallbacks() {
        assertThat(get("/api/v1/replications", VMA)).hasStatus(403).bodyJson().isStrictlyEqualTo(
                error("Forbidden", "Role vma may not call GET /api/v1/replications"));
        assertThat(get("/api/v1/replications/changeid?vm_path=/p&disk_id=disk-2000", VIEWER)).hasStatus(403)
                .bodyJson().isStrictlyEqualTo(error("Forbidden", "Role read-only may not call GET "
                        + "/api/v1/replications/changeid"));
        assertThat(mvc.post().uri("/api/v1/replications/job-1/changeid").header("Authorization", "Bearer " + VIEWER)
                .content("{\"change_id\": \"c\"}").exchange()).hasStatus(403);
        assertThat(changeIds.published).isEmpty();
    }

    @Test
    void unknownThingsAre404() {
        assertThat(get("/api/v1/replications/job-unknown", VIEWER)).hasStatus(404).bodyJson()
                .isStrictlyEqualTo(error("Replication job not found", "No replication job job-unknown"));
        assertThat(get("/api/v1/vm-contexts/nobody", VIEWER)).hasStatus(404).bodyJson()
                .isStrictlyEqualTo(error("VM context not found", "No VM context for VM nobody"));
        assertThat(get("/api/v1/replication-requests/req-unknown", VIEWER)).hasStatus(404).bodyJson()
                .isStrictlyEqualTo(error("Replication request not found", "No replication request req-unknown "
                        + "(a request just accepted appears within seconds)"));
        assertThat(get("/api/v1/no-such-route", VIEWER)).hasStatus(404).bodyJson()
                .isStrictlyEqualTo(error("Not found", "No such route: GET /api/v1/no-such-route"));
    }

    @Test
    void anUnsupportedMethodIs405() {
        assertThat(mvc.delete().uri("/api/v1/replications").header("Authorization", "Bearer " + OPERATOR).exchange())
                .hasStatus(405).bodyJson().isStrictlyEqualTo(error("Method not allowed",
                        "Method DELETE is not supported here"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/replications?limit=0|limit must be between 1 and 200",
            "/api/v1/replications?limit=201|limit must be between 1 and 200",
            "/api/v1/vm-contexts?offset=-1|offset must be between 0 and 100000",
            "/api/v1/replications?limit=ten|limit has the wrong type",
    })
    void badPagingIs400(String path, String details) {
        assertThat(get(path, VIEWER)).hasStatus(400).bodyJson()
                .isStrictlyEqualTo(error("Invalid query parameter", details));
    }

    // ---- change-id callbacks -------------------------------------------------------------------

    @Test
    void thePreviousChangeIdIsEmptyWhenNoJobRunsForThePath() {
        assertThat(get("/api/v1/replications/changeid?vm_path=/DC1/vm/none&disk_id=disk-2000", VMA)).hasStatus(200)
                .bodyJson().isStrictlyEqualTo("""
                {"vm_path": "/DC1/vm/none", "disk_id": "disk-2000", "change_id": "",
                 "message": "No running replication job for this VM path: no previous change ID (full copy)"}
                """);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/replications/changeid?disk_id=disk-2000|vm_path is required",
            "/api/v1/replications/changeid?vm_path=/p|disk_id is required",
    })
    void thePreviousChangeIdNeedsPathAndDisk(String path, String details) {
        assertThat(get(path, VMA)).hasStatus(400).bodyJson()
                .isStrictlyEqualTo(error("Invalid query parameter", details));
    }

    @Test
    void aChangeIdPostIsRefusedWithoutChangeIdOrForAnUnknownJobOrDiskAndPublishesNothing() {
        OffsetDateTime at = OffsetDateTime.of(2025, 9, 23, 9, 0, 0, 0, ZoneOffset.UTC);
        ReadModelRows rows = new ReadModelRows(db);
        rows.job("job-web-1", "ctx-web-1", "vm-web-1", "web1", "replicating", at);
        rows.disk("job-web-1", "disk-2000", "ctx-web-1", "vm-web-1", null, at);
        rows.disk("job-web-1", "disk-2001", "ctx-web-1", "vm-web-1", null, at);

        assertThat(postChangeId("job-web-1", "{\"disk_id\": \"disk-2000\"}")).hasStatus(400).bodyJson()
                .isStrictlyEqualTo(error("Invalid request payload", "change_id is required"));
        assertThat(postChangeId("job-web-1", "{\"change_id\": 5}")).hasStatus(400).bodyJson()
                .isStrictlyEqualTo(error("Invalid request payload", "change_id must be a string"));
        assertThat(postChangeId("job-web-1", "[]")).hasStatus(400).bodyJson()
                .isStrictlyEqualTo(error("Invalid request payload", "the request body must be a JSON object"));
        assertThat(postChangeId("job-web-1", "{\"change_id\": \"52 4d/8\"}")).hasStatus(400).bodyJson()
                .isStrictlyEqualTo(error("Invalid request payload", "disk_id is required: job job-web-1 has 2 disks"));
        assertThat(postChangeId("job-none", "{\"change_id\": \"52 4d/8\", \"disk_id\": \"disk-2000\"}"))
                .hasStatus(404).bodyJson()
                .isStrictlyEqualTo(error("Replication job not found", "No replication job job-none"));
        assertThat(postChangeId("job-web-1", "{\"change_id\": \"52 4d/8\", \"disk_id\": \"disk-3000\"}"))
                .hasStatus(404).bodyJson()
                .isStrictlyEqualTo(error("Disk not found", "Replication job job-web-1 has no disk disk-3000"));
        assertThat(changeIds.published).isEmpty();
    }

    private MvcTestResult post(String body, String token) {
        return mvc.post().uri("/api/v1/replications").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private MvcTestResult postChangeId(String jobId, String body) {
        return mvc.post().uri("/api/v1/replications/" + jobId + "/changeid").header("Authorization", "Bearer " + VMA)
                .contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private MvcTestResult get(String path, String token) {
        return mvc.get().uri(path).header("Authorization", "Bearer " + token).exchange();
    }

    private static String error(String error, String details) {
        return "{\"error\": " + quote(error) + ", \"details\": " + quote(details) + ", \"timestamp\": \"" + NOW + "\"}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String hex(String token) {
        return HexFormat.of().formatHex(BearerTokens.sha256(token));
    }
}
