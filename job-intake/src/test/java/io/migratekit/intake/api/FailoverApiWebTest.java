package io.migratekit.intake.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.FailoverRejected;
import io.migratekit.events.FailoverRejectionReason;
import io.migratekit.events.FailoverRequested;
import io.migratekit.events.FailoverType;
import io.migratekit.intake.FailoverRows;
import io.migratekit.intake.IntakeWebConfiguration;
import io.migratekit.intake.ReadModelRows;
import io.migratekit.intake.api.WebTestDoubles.RecordingFailoverCommands;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The failover endpoints alone (controller, authentication, validation, answers) with recording
 * failover commands and a real read model: every answer as exact JSON, and what was published.
 */
@WebMvcTest(properties = {
        "spring.jackson.property-naming-strategy=SNAKE_CASE",
        "migratekit.intake.outcome-timeout=5s",
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
class FailoverApiWebTest {

    private static final String OPERATOR = ReplicationApiWebTest.OPERATOR;
    private static final String VIEWER = ReplicationApiWebTest.VIEWER;
    private static final String NOW = ReplicationApiWebTest.NOW;
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 9, 22, 8, 0, 0, 0, ZoneOffset.UTC);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Autowired
    MockMvcTester mvc;
    @Autowired
    RecordingFailoverCommands commands;
    @Autowired
    DSLContext db;

    @BeforeEach
    void reset() {
        commands.reset();
    }

    @Test
    void withoutWriteRightsAFailoverIsRefusedAndNothingIsPublished() {
        MvcTestResult anonymous = mvc.post().uri("/api/v1/failovers").contentType(MediaType.APPLICATION_JSON)
                .content("{\"vm_name\": \"x\", \"failover_type\": \"live\"}").exchange();
        MvcTestResult viewer = post("/api/v1/failovers", "{\"vm_name\": \"x\", \"failover_type\": \"live\"}", VIEWER);
        MvcTestResult viewerCleanup = post("/api/v1/failovers/failover-x/cleanup", "", VIEWER);

        assertThat(anonymous).hasStatus(401).bodyJson().isStrictlyEqualTo(error("Unauthorized", "Missing bearer token"));
        assertThat(viewer).hasStatus(403).bodyJson().isStrictlyEqualTo(error("Forbidden",
                "Role read-only may not call POST /api/v1/failovers"));
        assertThat(viewerCleanup).hasStatus(403).bodyJson().isStrictlyEqualTo(error("Forbidden",
                "Role read-only may not call POST /api/v1/failovers/failover-x/cleanup"));
        assertThat(commands.nothingReceived()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{not json|Invalid request payload|the request body is not valid JSON (line 1, column 2)",
            "{\"failover_type\": \"live\"}|Invalid request payload|context_id or vm_name is required",
            "{\"vm_name\": \"  \", \"failover_type\": \"live\"}|Invalid request payload|context_id or vm_name is required",
            "{\"vm_name\": \"web1\"}|Invalid failover type|failover_type must be one of: test, live",
            "{\"vm_name\": \"web1\", \"failover_type\": \"LIVE\"}|Invalid failover type|failover_type must be one of: test, live",
            "{\"vm_name\": \"web1\", \"failover_type\": \"live\", \"final_sync_deadline_minutes\": 0}|Invalid request payload|final_sync_deadline_minutes must be between 1 and 1440",
            "{\"vm_name\": \"web1\", \"failover_type\": \"live\", \"final_sync_deadline_minutes\": 1441}|Invalid request payload|final_sync_deadline_minutes must be between 1 and 1440",
            "{\"vm_name\": \"web1\", \"failover_type\": \"live\", \"power_on_source_on_failure\": \"yes\"}|Invalid request payload|power_on_source_on_failure must be true or false",
            "{\"vm_name\": 7, \"failover_type\": \"live\"}|Invalid request payload|vm_name must be a string",
    })
    void anInvalidBodyIs400AndNothingIsPublished(String body, String error, String details) {
        MvcTestResult result = post("/api/v1/failovers", body, OPERATOR);

        assertThat(result).hasStatus(400).bodyJson().isStrictlyEqualTo(error(error, details));
        assertThat(commands.nothingReceived()).isTrue();
    }

    @Test
    void aVmWithoutAContextIs404AndAnAmbiguousNameIs409AndNothingIsPublished() {
        String name = "twin-" + SEQUENCE.incrementAndGet();
        ReadModelRows rows = new ReadModelRows(db);
        rows.context("ctx-" + name + "-a", "vm-" + name + "-a", name, "ready_for_failover", null, T0);
        rows.context("ctx-" + name + "-b", "vm-" + name + "-b", name, "ready_for_failover", null, T0);

        MvcTestResult unknownName = post("/api/v1/failovers", "{\"vm_name\": \"nobody\", \"failover_type\": \"live\"}",
                OPERATOR);
        MvcTestResult unknownContext = post("/api/v1/failovers",
                "{\"context_id\": \"ctx-nobody\", \"failover_type\": \"test\"}", OPERATOR);
        MvcTestResult ambiguous = post("/api/v1/failovers", "{\"vm_name\": \"" + name + "\", \"failover_type\": \"live\"}",
                OPERATOR);
        MvcTestResult mismatch = post("/api/v1/failovers", "{\"context_id\": \"ctx-" + name
                + "-a\", \"vm_name\": \"other\", \"failover_type\": \"live\"}", OPERATOR);

        assertThat(unknownName).hasStatus(404).bodyJson().isStrictlyEqualTo(error("VM context not found",
                "No VM context for VM nobody"));
        assertThat(unknownContext).hasStatus(404).bodyJson().isStrictlyEqualTo(error("VM context not found",
                "No VM context for context ctx-nobody"));
        assertThat(ambiguous).hasStatus(409).bodyJson().isStrictlyEqualTo(error("VM name is ambiguous",
                "2 VM contexts have this name: ctx-" + name + "-a, ctx-" + name + "-b; name the context by context_id"));
        assertThat(mismatch).hasStatus(400).bodyJson().isStrictlyEqualTo(error("Invalid request payload",
                "vm_name does not match the VM of context_id ctx-" + name + "-a"));
        assertThat(commands.nothingReceived()).isTrue();
    }

    @Test
    void anAcceptedFailoverIs202ValidatedAndItsCommandCarriesTheRequest() {
        // given
        String name = "accepted-" + SEQUENCE.incrementAndGet();
        new ReadModelRows(db).context("ctx-" + name, "vm-" + name, name, "ready_for_failover", null, T0);
        commands.answer = request -> Optional.of(accepted(request));

        // when
        MvcTestResult result = post("/api/v1/failovers", "{\"vm_name\": \"" + name + "\", \"failover_type\": \"test\", "
                + "\"test_network\": \"net-test\", \"power_on_source_on_failure\": false, "
                + "\"final_sync_deadline_minutes\": 45}", OPERATOR);

        // then
        assertThat(commands.requested).hasSize(1);
        FailoverRequested sent = commands.requested.get(0);
        String failoverId = sent.getFailoverId();
        assertThat(failoverId).matches("failover-20250923-101530\\.123-[0-9a-f]{6}");
        assertThat(sent).isEqualTo(FailoverRequested.newBuilder().setEventId(sent.getEventId())
                .setOccurredAt(Instant.parse(NOW)).setCorrelationId(failoverId).setVmwareVmId("vm-" + name)
                .setFailoverId(failoverId).setContextId("ctx-" + name).setVmName(name)
                .setFailoverType(FailoverType.test).setPowerOnSourceOnFailure(false).setTestNetwork("net-test")
                .setFinalSyncDeadlineMinutes(45).setRequestedBy("operator-tests").build());
        assertThat(result).hasStatus(202).hasHeader("Location", "/api/v1/failovers/" + failoverId).bodyJson()
                .isStrictlyEqualTo("{\"failover_job_id\": \"" + failoverId + "\", \"status\": \"validated\", "
                        + "\"failover_url\": \"/api/v1/failovers/" + failoverId + "\", \"message\": \"Failover test of VM "
                        + name + " accepted; its steps are at the failover URL\"}");
        assertThat(commands.cleanups).isEmpty();
    }

    @Test
    void aLiveFailoverByContextIdDefaultsItsOptionsAndIs202PendingWhenTheDecisionIsLate() {
        String name = "late-" + SEQUENCE.incrementAndGet();
        new ReadModelRows(db).context("ctx-" + name, "vm-" + name, name, "ready_for_failover", null, T0);

        MvcTestResult result = post("/api/v1/failovers", "{\"context_id\": \"ctx-" + name + "\", \"failover_type\": "
                + "\"live\", \"test_network\": \"ignored-for-live\"}", OPERATOR);

        FailoverRequested sent = commands.requested.get(0);
        assertThat(sent.getPowerOnSourceOnFailure()).isTrue();
        assertThat(sent.getFinalSyncDeadlineMinutes()).isEqualTo(30);
        assertThat(sent.getTestNetwork()).isNull();
        assertThat(sent.getFailoverType()).isEqualTo(FailoverType.live);
        assertThat(result).hasStatus(202).bodyJson().isStrictlyEqualTo("{\"failover_job_id\": \""
                + sent.getFailoverId() + "\", \"status\": \"pending\", \"failover_url\": \"/api/v1/failovers/"
                + sent.getFailoverId() + "\", \"message\": \"The decision did not answer in time; the failover's state "
                + "will be at the failover URL\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "VM_NOT_MANAGED|VM is not managed|VM is not managed",
            "NO_COMPLETED_REPLICATION|VM has no completed replication|VM has no completed replication",
            "ACTIVE_REPLICATION_JOB|VM has active replication job|VM has active replication job",
            "ALREADY_FAILED_OVER|VM is already failed over|VM is already failed over (failed_over_live)",
            "FAILOVER_IN_PROGRESS|VM has a failover in progress|VM has a failover in progress",
    })
    void aRejectedFailoverIs409WithItsReason(FailoverRejectionReason reason, String error, String message) {
        String name = "rejected-" + SEQUENCE.incrementAndGet();
        new ReadModelRows(db).context("ctx-" + name, "vm-" + name, name, "failed_over_live", null, T0);
        commands.answer = request -> Optional.of(FailoverRejected.newBuilder().setEventId("e-1")
                .setOccurredAt(Instant.parse(NOW)).setCorrelationId(request.getFailoverId())
                .setVmwareVmId(request.getVmwareVmId()).setFailoverId(request.getFailoverId()).setVmName(name)
                .setContextId("ctx-" + name).setReason(reason).setMessage(message).build());

        MvcTestResult result = post("/api/v1/failovers", "{\"vm_name\": \"" + name + "\", \"failover_type\": \"live\"}",
                OPERATOR);

        String failoverId = commands.requested.get(0).getFailoverId();
        assertThat(result).hasStatus(409).bodyJson().isStrictlyEqualTo(error(error, message + "; context_id ctx-" + name
                + "; failover_id " + failoverId));
    }

    @Test
    void aBrokerThatIsGoneIs503() {
        String name = "nobroker-" + SEQUENCE.incrementAndGet();
        new ReadModelRows(db).context("ctx-" + name, "vm-" + name, name, "ready_for_failover", null, T0);
        commands.unavailable = true;

        MvcTestResult result = post("/api/v1/failovers", "{\"vm_name\": \"" + name + "\", \"failover_type\": \"live\"}",
                OPERATOR);

        assertThat(result).hasStatus(503).bodyJson().isStrictlyEqualTo(error("Pipeline unavailable",
                "The pipeline's broker is unavailable; the request was not accepted, retry later"));
    }

    @Test
    void aFailoverIsShownWithEveryStepAndListedByVmName() {
        String name = "shown-" + SEQUENCE.incrementAndGet();
        String failoverId = "failover-20250922-080000.000-" + String.format("%06d", SEQUENCE.incrementAndGet());
        FailoverRows rows = new FailoverRows(db);
        rows.failover(failoverId, "ctx-" + name, "vm-" + name, name, "live", "running", null, T0);
        rows.step(failoverId, "validation", 1, "completed", "accepted by the decision", "job-1", T0, T0);
        rows.step(failoverId, "source_power_off", 2, "completed", "source VM powered off", null, T0,
                T0.plusSeconds(3));
        rows.step(failoverId, "final_sync", 3, "started", "final sync requested", null, T0.plusSeconds(3), null);

        MvcTestResult shown = get("/api/v1/failovers/" + failoverId, VIEWER);
        MvcTestResult listed = get("/api/v1/failovers?vm_name=" + name, VIEWER);
        MvcTestResult unknown = get("/api/v1/failovers/failover-none", VIEWER);

        String view = """
                {"failover_job_id": "%1$s", "context_id": "ctx-%2$s", "vmware_vm_id": "vm-%2$s", "vm_name": "%2$s",
                 "failover_type": "live", "status": "running", "current_step": null, "power_on_source_on_failure": true,
                 "test_network": null, "final_sync_deadline_minutes": 30, "final_sync_request_id": null,
                 "final_sync_deadline_at": null, "final_sync_job_id": null, "target_vm_id": null, "failed_step": null,
                 "error_message": null, "source_powered_back_on": false, "requested_by": "operator-tests",
                 "created_at": "2025-09-22T08:00:00Z", "completed_at": null, "updated_at": "2025-09-22T08:02:00Z"
                """.formatted(failoverId, name);
        assertThat(shown).hasStatus(200).bodyJson().isStrictlyEqualTo(view + """
                , "steps": [
                  {"step": "validation", "seq": 1, "status": "completed", "message": "accepted by the decision",
                   "job_id": "job-1", "started_at": "2025-09-22T08:00:00Z", "completed_at": "2025-09-22T08:00:00Z"},
                  {"step": "source_power_off", "seq": 2, "status": "completed", "message": "source VM powered off",
                   "job_id": null, "started_at": "2025-09-22T08:00:00Z", "completed_at": "2025-09-22T08:00:03Z"},
                  {"step": "final_sync", "seq": 3, "status": "started", "message": "final sync requested",
                   "job_id": null, "started_at": "2025-09-22T08:00:03Z", "completed_at": null}]}
                """);
        assertThat(listed).hasStatus(200).bodyJson().isStrictlyEqualTo("{\"failovers\": [" + view + "}], \"count\": 1, "
                + "\"limit\": 50, \"offset\": 0}");
        assertThat(unknown).hasStatus(404).bodyJson().isStrictlyEqualTo(error("Failover not found",
                "No failover failover-none (an accepted failover appears within seconds)"));
    }

    @Test
    void onlyACompletedTestFailoverIsCleanedUp() {
        String name = "cleanup-" + SEQUENCE.incrementAndGet();
        FailoverRows rows = new FailoverRows(db);
        String test = "failover-test-" + name;
        String live = "failover-live-" + name;
        String running = "failover-running-" + name;
        rows.failover(test, "ctx-" + name, "vm-" + name, name, "test", "completed", "target-1", T0);
        rows.failover(live, "ctx-" + name, "vm-" + name, name, "live", "completed", "target-2", T0);
        rows.failover(running, "ctx-" + name, "vm-" + name, name, "test", "running", null, T0);

        MvcTestResult cleaned = post("/api/v1/failovers/" + test + "/cleanup", "", OPERATOR);
        MvcTestResult liveRefused = post("/api/v1/failovers/" + live + "/cleanup", "", OPERATOR);
        MvcTestResult runningRefused = post("/api/v1/failovers/" + running + "/cleanup", "", OPERATOR);
        MvcTestResult unknown = post("/api/v1/failovers/failover-none/cleanup", "", OPERATOR);

        assertThat(cleaned).hasStatus(202).bodyJson().isStrictlyEqualTo("{\"failover_job_id\": \"" + test + "\", "
                + "\"status\": \"cleanup_requested\", \"failover_url\": \"/api/v1/failovers/" + test + "\", "
                + "\"message\": \"Cleanup of the test failover requested; its step is at the failover URL\"}");
        FailoverCleanupRequested sent = commands.cleanups.get(0);
        assertThat(commands.cleanups).containsExactly(FailoverCleanupRequested.newBuilder().setEventId(sent.getEventId())
                .setOccurredAt(Instant.parse(NOW)).setCorrelationId(test).setVmwareVmId("vm-" + name)
                .setFailoverId(test).setContextId("ctx-" + name).setRequestedBy("operator-tests").build());
        assertThat(liveRefused).hasStatus(409).bodyJson().isStrictlyEqualTo(error("Failover cannot be cleaned up",
                "only a completed test failover is cleaned up; failover " + live + " is a live failover with status "
                        + "completed"));
        assertThat(runningRefused).hasStatus(409).bodyJson().isStrictlyEqualTo(error("Failover cannot be cleaned up",
                "only a completed test failover is cleaned up; failover " + running + " is a test failover with status "
                        + "running"));
        assertThat(unknown).hasStatus(404).bodyJson().isStrictlyEqualTo(error("Failover not found",
                "No failover failover-none (an accepted failover appears within seconds)"));
        assertThat(commands.requested).isEmpty();
    }

    private static FailoverAccepted accepted(FailoverRequested request) {
        return FailoverAccepted.newBuilder().setEventId("e-1").setOccurredAt(Instant.parse(NOW))
                .setCorrelationId(request.getFailoverId()).setVmwareVmId(request.getVmwareVmId())
                .setFailoverId(request.getFailoverId()).setContextId(request.getContextId())
                .setVmName(request.getVmName()).setVmPath("/DC1/vm/" + request.getVmName())
                .setFailoverType(request.getFailoverType()).setLastSuccessfulJobId("job-1").setVolumes(List.of())
                .build();
    }

    private MvcTestResult post(String path, String body, String token) {
        return mvc.post().uri(path).header("Authorization", "Bearer " + token)
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
}
