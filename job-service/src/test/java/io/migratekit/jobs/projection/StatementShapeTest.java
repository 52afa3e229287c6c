package io.migratekit.jobs.projection;

import static io.migratekit.db.Tables.REPLICATION_REQUESTS;
import static io.migratekit.jobs.projection.StatementShape.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.insertInto;
import static org.jooq.impl.DSL.update;

import io.migratekit.jobs.testing.ReadModelDatabase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Statement shapes against real PostgreSQL: rendering once, binding each row, refusing what cannot be bound. */
class StatementShapeTest {

    private static final OffsetDateTime AT = OffsetDateTime.of(2025, 9, 23, 10, 15, 30, 123_000_000, ZoneOffset.UTC);

    private static ReadModelDatabase db;

    @BeforeAll
    static void database() {
        db = ReadModelDatabase.create("statement_shape");
    }

    @BeforeEach
    void emptyTables() {
        db.truncate();
    }

    @Test
    void eachRowIsExecutedInOrderWithItsValuesAndReportsItsCount() {
        // given: an upsert whose request id is used twice, a row repeating the first's key, nulls and
        // every type the projector binds
        var r = REPLICATION_REQUESTS;
        StatementShape upsert = StatementShape.of("a test upsert", insertInto(r)
                .set(r.REQUEST_ID, value(r.REQUEST_ID))
                .set(r.VMWARE_VM_ID, value(r.VMWARE_VM_ID))
                .set(r.VM_NAME, coalesce(value(r.VM_NAME), value(r.REQUEST_ID)))
                .set(r.REQUESTED_BY, inline("it's a test"))
                .set(r.START_REPLICATION, value(r.START_REPLICATION))
                .set(r.OUTCOME, inline("pending"))
                .set(r.MESSAGE, value(r.MESSAGE))
                .set(r.CREATED_AT, value(r.CREATED_AT))
                .set(r.DECIDED_AT, value(r.DECIDED_AT))
                .onConflict(r.REQUEST_ID)
                .doUpdate()
                .set(r.VM_NAME, excluded(r.VM_NAME))
                .where(r.VM_NAME.ne(excluded(r.VM_NAME))));
        StatementShape.Rows rows = upsert.rows();
        rows.add().set(r.REQUEST_ID, "req-1").set(r.VMWARE_VM_ID, "vm-1").set(r.VM_NAME, null)
                .set(r.START_REPLICATION, true).set(r.MESSAGE, null).set(r.CREATED_AT, AT).set(r.DECIDED_AT, null);
        rows.add().set(r.REQUEST_ID, "req-2").set(r.VMWARE_VM_ID, "vm-2").set(r.VM_NAME, "web01")
                .set(r.START_REPLICATION, false).set(r.MESSAGE, "a message").set(r.CREATED_AT, AT)
                .set(r.DECIDED_AT, AT.plusSeconds(1));
        rows.add().set(r.REQUEST_ID, "req-1").set(r.VMWARE_VM_ID, "vm-1").set(r.VM_NAME, "renamed")
                .set(r.START_REPLICATION, true).set(r.MESSAGE, null).set(r.CREATED_AT, AT).set(r.DECIDED_AT, null);
        rows.add().set(r.REQUEST_ID, "req-1").set(r.VMWARE_VM_ID, "vm-1").set(r.VM_NAME, "renamed")
                .set(r.START_REPLICATION, true).set(r.MESSAGE, null).set(r.CREATED_AT, AT).set(r.DECIDED_AT, null);

        // when
        int[] counts = db.dsl().connectionResult(rows::execute);

        // then
        assertThat(counts).containsExactly(1, 1, 1, 0);
        assertThat(upsert.sql()).doesNotContain(":").contains("'it''s a test'");
        assertThat(db.snapshot().get("replication_requests")).containsExactly(
                row("req-1", "vm-1", "renamed", "it's a test", true, null, AT, null),
                row("req-2", "vm-2", "web01", "it's a test", false, "a message", AT, AT.plusSeconds(1)));
    }

    @Test
    void aValueThatIsNotANamedParameterIsRefusedWhenTheShapeIsBuilt() {
        // given
        var r = REPLICATION_REQUESTS;

        // when / then
        assertThatThrownBy(() -> StatementShape.of("a test update", update(r)
                .set(r.VM_NAME, value(r.VM_NAME))
                .where(r.REQUEST_ID.eq("req-1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a test update has a value that is not a named parameter");
    }

    @Test
    void aRowWithoutEveryValueOrWithAValueTheStatementDoesNotTakeIsRefusedBeforeAnythingIsSent() {
        // given
        var r = REPLICATION_REQUESTS;
        StatementShape rename = StatementShape.of("a test update", update(r)
                .set(r.VM_NAME, value(r.VM_NAME))
                .where(r.REQUEST_ID.eq(value(r.REQUEST_ID))));
        StatementShape.Rows incomplete = rename.rows();
        incomplete.add().set(r.VM_NAME, "web01");

        // when / then
        assertThatThrownBy(() -> db.dsl().connectionResult(incomplete::execute))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a test update: no value for a parameter of String");
        assertThatThrownBy(() -> rename.rows().add().set(r.JOB_ID, "job-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a test update has no parameter job_id of String");
        assertThat(db.dsl().connectionResult(rename.rows()::execute)).isEmpty();
    }

    private static Map<String, Object> row(String requestId, String vmId, String vmName, String requestedBy,
            boolean startReplication, String message, OffsetDateTime createdAt, OffsetDateTime decidedAt) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("request_id", requestId);
        row.put("vmware_vm_id", vmId);
        row.put("vm_name", vmName);
        row.put("requested_by", requestedBy);
        row.put("start_replication", startReplication);
        row.put("failover_id", null);
        row.put("outcome", "pending");
        row.put("job_id", null);
        row.put("context_id", null);
        row.put("reason", null);
        row.put("message", message);
        row.put("created_at", createdAt);
        row.put("decided_at", decidedAt);
        return row;
    }
}
