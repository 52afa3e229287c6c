package io.migratekit.intake;

import static io.migratekit.db.Tables.FAILOVER_JOBS;
import static io.migratekit.db.Tables.JOB_STEPS;

import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/**
 * Writes failover rows the way failover-service would, so the tests can check the failover queries.
 * Test code only: job-intake itself never writes a table.
 */
public final class FailoverRows {

    private final DSLContext db;

    public FailoverRows(DSLContext db) {
        this.db = db;
    }

    public void failover(String failoverId, String contextId, String vmId, String vmName, String type, String status,
            String targetVmId, OffsetDateTime at) {
        db.insertInto(FAILOVER_JOBS)
                .set(FAILOVER_JOBS.ID, failoverId)
                .set(FAILOVER_JOBS.CONTEXT_ID, contextId)
                .set(FAILOVER_JOBS.VMWARE_VM_ID, vmId)
                .set(FAILOVER_JOBS.VM_NAME, vmName)
                .set(FAILOVER_JOBS.VM_PATH, "/DC1/vm/" + vmName)
                .set(FAILOVER_JOBS.VCENTER_HOST, "vcenter.example.test")
                .set(FAILOVER_JOBS.DATACENTER, "DC1")
                .set(FAILOVER_JOBS.FAILOVER_TYPE, type)
                .set(FAILOVER_JOBS.STATUS, status)
                .set(FAILOVER_JOBS.POWER_ON_SOURCE_ON_FAILURE, true)
                .set(FAILOVER_JOBS.TEST_NETWORK, "test".equals(type) ? "test-net" : null)
                .set(FAILOVER_JOBS.FINAL_SYNC_DEADLINE_MINUTES, 30)
                .set(FAILOVER_JOBS.TARGET_VM_ID, targetVmId)
                .set(FAILOVER_JOBS.REQUESTED_BY, "operator-tests")
                .set(FAILOVER_JOBS.CREATED_AT, at)
                .set(FAILOVER_JOBS.COMPLETED_AT, "completed".equals(status) ? at.plusMinutes(2) : null)
                .set(FAILOVER_JOBS.UPDATED_AT, at.plusMinutes(2))
                .execute();
    }

    public void step(String failoverId, String step, int seq, String status, String message, String jobId,
            OffsetDateTime startedAt, OffsetDateTime completedAt) {
        db.insertInto(JOB_STEPS)
                .set(JOB_STEPS.FAILOVER_ID, failoverId)
                .set(JOB_STEPS.STEP, step)
                .set(JOB_STEPS.SEQ, seq)
                .set(JOB_STEPS.STATUS, status)
                .set(JOB_STEPS.MESSAGE, message)
                .set(JOB_STEPS.JOB_ID, jobId)
                .set(JOB_STEPS.STARTED_AT, startedAt)
                .set(JOB_STEPS.COMPLETED_AT, completedAt)
                .execute();
    }
}
