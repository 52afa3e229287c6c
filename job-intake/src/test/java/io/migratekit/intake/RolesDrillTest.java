package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.intake.request.SampleBodies;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drill 11 of docs/reliability.md, roles, on the running API (real HTTP, broker, registry and
 * PostgreSQL): a read-only token and the VMA's callback token may not create jobs, failovers or
 * cleanups — 403 naming the role and the route, and nothing on any command topic — while the
 * read-only token may read.
 */
class RolesDrillTest {

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

    @ParameterizedTest
    @ValueSource(strings = {IntakeStack.READ_ONLY_TOKEN, IntakeStack.VMA_TOKEN})
    void aTokenWithoutWriteRightsCreatesNothing(String token) {
        String role = token.equals(IntakeStack.VMA_TOKEN) ? "vma" : "read-only";
        String vm = UUID.randomUUID().toString();

        HttpResponse<String> replication = http.post("/api/v1/replications", token, SampleBodies.minimal(vm, "roles"));
        HttpResponse<String> failover = http.post("/api/v1/failovers", token,
                "{\"vm_name\": \"roles\", \"failover_type\": \"live\"}");
        HttpResponse<String> cleanup = http.post("/api/v1/failovers/failover-roles/cleanup", token, "");

        assertThat(replication.statusCode()).isEqualTo(403);
        assertThat(replication.body()).contains("Role " + role + " may not call POST /api/v1/replications");
        assertThat(failover.statusCode()).isEqualTo(403);
        assertThat(failover.body()).contains("Role " + role + " may not call POST /api/v1/failovers");
        assertThat(cleanup.statusCode()).isEqualTo(403);
        assertThat(cleanup.body()).contains("Role " + role + " may not call POST /api/v1/failovers/failover-roles/cleanup");
        assertThat(pipeline.remainingRequests()).isEmpty();
        assertThat(pipeline.remainingFailovers()).isEmpty();
        assertThat(pipeline.remainingCleanups()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/vm-contexts", "/api/v1/replications", "/api/v1/failovers"})
    void theReadOnlyTokenMayRead(String path) {
        assertThat(http.get(path, IntakeStack.READ_ONLY_TOKEN).statusCode()).isEqualTo(200);
    }
}
