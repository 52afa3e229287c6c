package io.migratekit.intake;

import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The estate as the console asks for it, from the real read model (PostgreSQL): {@code GET
 * /api/v1/vm-contexts} filtered by part of the name (any case, wildcards taken literally) and by
 * status, sorted, paged and counted, each context with its current and last successful job; and a
 * VM's live failover downtime estimate from its own history.
 */
class EstateQueryIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 5, 10, 0, 0, 0, ZoneOffset.UTC);
    /** This run's VMs (the read model is shared by the test classes of the JVM). */
    private static final String PREFIX = "estate-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @RegisterExtension
    static final IntakeFixture fixture = IntakeFixture.open();

    @BeforeAll
    static void threeVms() {
        // alpha: replicating job-2 at 42.5 %, after job-1 completed; beta: ready; gamma: failed
        fixture.rows.context("ctx-a-" + PREFIX, "vm-a-" + PREFIX, PREFIX + "alpha", "replicating", "job-2-" + PREFIX, T0.plusHours(3));
        fixture.rows.job("job-1-" + PREFIX, "ctx-a-" + PREFIX, "vm-a-" + PREFIX, PREFIX + "alpha", "completed", T0);
        fixture.rows.job("job-2-" + PREFIX, "ctx-a-" + PREFIX, "vm-a-" + PREFIX, PREFIX + "alpha", "replicating", T0.plusHours(2));
        fixture.stack.db.update(VM_REPLICATION_CONTEXTS).set(VM_REPLICATION_CONTEXTS.LAST_SUCCESSFUL_JOB_ID, "job-1-" + PREFIX)
                .where(VM_REPLICATION_CONTEXTS.CONTEXT_ID.eq("ctx-a-" + PREFIX)).execute();
        fixture.stack.db.update(REPLICATION_JOBS).set(REPLICATION_JOBS.REPLICATION_TYPE, "incremental")
                .where(REPLICATION_JOBS.ID.eq("job-1-" + PREFIX)).execute();
        fixture.rows.context("ctx-b-" + PREFIX, "vm-b-" + PREFIX, PREFIX + "beta", "ready_for_failover", null, T0.plusHours(1));
        fixture.rows.context("ctx-g-" + PREFIX, "vm-g-" + PREFIX, PREFIX + "gamma", "failed", null, T0.plusHours(2));
    }

    @Test
    void theEstateIsFilteredByPartOfTheNameInAnyCaseAndCountedAndEachVmComesWithItsCurrentAndLastSuccessfulJob() {
        JsonNode page = get("/api/v1/vm-contexts?name=" + PREFIX.toUpperCase());

        assertThat(names(page)).containsExactly(PREFIX + "alpha", PREFIX + "beta", PREFIX + "gamma");
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("count").asInt()).isEqualTo(3);
        JsonNode alpha = page.get("vm_contexts").get(0);
        assertThat(alpha.get("context_id").asString()).isEqualTo("ctx-a-" + PREFIX);
        assertThat(alpha.get("current_status").asString()).isEqualTo("replicating");
        assertThat(alpha.get("current_job").get("job_id").asString()).isEqualTo("job-2-" + PREFIX);
        assertThat(alpha.get("current_job").get("progress_percent").asDouble()).isEqualTo(42.5);
        assertThat(alpha.get("current_job").get("throughput_mbps").asDouble()).isEqualTo(12.5);
        assertThat(alpha.get("last_successful_job").get("job_id").asString()).isEqualTo("job-1-" + PREFIX);
        assertThat(alpha.get("last_successful_job").get("replication_type").asString()).isEqualTo("incremental");
        assertThat(alpha.get("last_successful_job").get("completed_at").asString()).isEqualTo("2026-01-05T10:05:00Z");
        assertThat(alpha.get("last_successful_job").get("bytes_transferred").asLong()).isEqualTo(1024);
        JsonNode beta = page.get("vm_contexts").get(1);
        assertThat(beta.get("current_job").isNull()).isTrue();
        assertThat(beta.get("last_successful_job").isNull()).isTrue();
    }

    @Test
    void theEstateIsFilteredByStatusSortedAndPaged() {
        JsonNode ready = get("/api/v1/vm-contexts?status=ready_for_failover&name=" + PREFIX);
        JsonNode byNameDescending = get("/api/v1/vm-contexts?sort=name&order=desc&limit=2&name=" + PREFIX);
        JsonNode secondPage = get("/api/v1/vm-contexts?sort=name&order=desc&limit=2&offset=2&name=" + PREFIX);
        JsonNode byStatus = get("/api/v1/vm-contexts?sort=status&name=" + PREFIX);
        JsonNode byUpdate = get("/api/v1/vm-contexts?sort=updated&order=desc&name=" + PREFIX);
        JsonNode wildcard = get("/api/v1/vm-contexts?name=" + PREFIX + "%25");

        assertThat(names(ready)).containsExactly(PREFIX + "beta");
        assertThat(ready.get("total").asInt()).isEqualTo(1);
        assertThat(names(byNameDescending)).containsExactly(PREFIX + "gamma", PREFIX + "beta");
        assertThat(byNameDescending.get("total").asInt()).isEqualTo(3);
        assertThat(byNameDescending.get("count").asInt()).isEqualTo(2);
        assertThat(names(secondPage)).containsExactly(PREFIX + "alpha");
        assertThat(names(byStatus)).containsExactly(PREFIX + "gamma", PREFIX + "beta", PREFIX + "alpha");
        assertThat(names(byUpdate)).containsExactly(PREFIX + "alpha", PREFIX + "gamma", PREFIX + "beta");
        assertThat(names(wildcard)).isEmpty();
        assertThat(wildcard.get("total").asInt()).isZero();
    }

    @Test
    void anUnknownSortOrOrderIsABadRequestThatSaysWhatIsAllowed() {
        HttpResponse<String> sort = fixture.http.get("/api/v1/vm-contexts?sort=size", IntakeStack.READ_ONLY_TOKEN);
        HttpResponse<String> order = fixture.http.get("/api/v1/vm-contexts?order=up", IntakeStack.READ_ONLY_TOKEN);

        assertThat(sort.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(sort.body()).get("details").asString()).isEqualTo("sort must be one of name, status, updated");
        assertThat(order.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(order.body()).get("details").asString()).isEqualTo("order must be asc or desc");
    }

    @Test
    void theDowntimeEstimateOfALiveFailoverComesFromTheVmsOwnIncrementalSyncs() {
        JsonNode estimate = get("/api/v1/vm-contexts/" + PREFIX + "alpha/downtime-estimate");

        assertThat(estimate.toString()).isEqualTo("{\"power_off\":{\"seconds\":60,\"basis\":\"default: this VM has had "
                + "no power-off yet\"},\"final_sync\":{\"seconds\":300,\"basis\":\"median of this VM's last 1 incremental "
                + "sync\"},\"target_vm\":{\"seconds\":120,\"basis\":\"default: this VM has had no target VM creation yet\"},"
                + "\"total_seconds\":480,\"complete\":true}");
        assertThat(fixture.http.get("/api/v1/vm-contexts/" + PREFIX + "nobody/downtime-estimate",
                IntakeStack.READ_ONLY_TOKEN).statusCode()).isEqualTo(404);
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = fixture.http.get(path, IntakeStack.READ_ONLY_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> names(JsonNode page) {
        return page.get("vm_contexts").findValuesAsString("vm_name");
    }
}
