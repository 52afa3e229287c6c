package io.migratekit.intake;

import static io.migratekit.db.Tables.DISK_CHANGE_IDS;
import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.REPLICATION_REQUESTS;
import static io.migratekit.db.Tables.VM_DISKS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Writes read-model rows the way job-service's projector would, so the tests can check the
 * queries. Test code only: job-intake itself never writes a table.
 */
public final class ReadModelRows {

    private final DSLContext db;

    public ReadModelRows(DSLContext db) {
        this.db = db;
    }

    public void context(String contextId, String vmId, String vmName, String status, String currentJobId,
            OffsetDateTime at) {
        db.insertInto(VM_REPLICATION_CONTEXTS)
                .set(VM_REPLICATION_CONTEXTS.CONTEXT_ID, contextId)
                .set(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID, vmId)
                .set(VM_REPLICATION_CONTEXTS.VM_NAME, vmName)
                .set(VM_REPLICATION_CONTEXTS.VM_PATH, "/DC1/vm/" + vmName)
                .set(VM_REPLICATION_CONTEXTS.VCENTER_HOST, "vcenter.example.test")
                .set(VM_REPLICATION_CONTEXTS.DATACENTER, "DC1")
                .set(VM_REPLICATION_CONTEXTS.CURRENT_STATUS, status)
                .set(VM_REPLICATION_CONTEXTS.CURRENT_JOB_ID, currentJobId)
                .set(VM_REPLICATION_CONTEXTS.TOTAL_JOBS_RUN, 2)
                .set(VM_REPLICATION_CONTEXTS.SUCCESSFUL_JOBS, 1)
                .set(VM_REPLICATION_CONTEXTS.FAILED_JOBS, 0)
                .set(VM_REPLICATION_CONTEXTS.CPU_COUNT, 2)
                .set(VM_REPLICATION_CONTEXTS.MEMORY_MB, 8192L)
                .set(VM_REPLICATION_CONTEXTS.OS_TYPE, "linux")
                .set(VM_REPLICATION_CONTEXTS.POWER_STATE, "poweredOn")
                .set(VM_REPLICATION_CONTEXTS.VMX_VERSION, "vmx-19")
                .set(VM_REPLICATION_CONTEXTS.CREATED_AT, at)
                .set(VM_REPLICATION_CONTEXTS.UPDATED_AT, at)
                .execute();
    }

    public void job(String jobId, String contextId, String vmId, String vmName, String status, OffsetDateTime at) {
        job(jobId, contextId, vmId, vmName, "/DC1/vm/" + vmName, "vcenter.example.test", status, at);
    }

    /** A job of the VM at {@code vmPath} in {@code vcenterHost}. */
    public void job(String jobId, String contextId, String vmId, String vmName, String vmPath, String vcenterHost,
            String status, OffsetDateTime at) {
        db.insertInto(REPLICATION_JOBS)
                .set(REPLICATION_JOBS.ID, jobId)
                .set(REPLICATION_JOBS.CONTEXT_ID, contextId)
                .set(REPLICATION_JOBS.VMWARE_VM_ID, vmId)
                .set(REPLICATION_JOBS.REQUEST_ID, "req-of-" + jobId)
                .set(REPLICATION_JOBS.SOURCE_VM_NAME, vmName)
                .set(REPLICATION_JOBS.SOURCE_VM_PATH, vmPath)
                .set(REPLICATION_JOBS.VCENTER_HOST, vcenterHost)
                .set(REPLICATION_JOBS.DATACENTER, "DC1")
                .set(REPLICATION_JOBS.REPLICATION_TYPE, "initial")
                .set(REPLICATION_JOBS.STATUS, status)
                .set(REPLICATION_JOBS.PROGRESS_PERCENT, "completed".equals(status) ? 100.0 : 42.5)
                .set(REPLICATION_JOBS.CURRENT_OPERATION, "copying disk-2000")
                .set(REPLICATION_JOBS.BYTES_TRANSFERRED, 1024L)
                .set(REPLICATION_JOBS.TOTAL_BYTES, 2048L)
                .set(REPLICATION_JOBS.THROUGHPUT_MBPS, 12.5)
                .set(REPLICATION_JOBS.OSSEA_CONFIG_ID, 1L)
                .set(REPLICATION_JOBS.REQUESTED_BY, "operator-tests")
                .set(REPLICATION_JOBS.CREATED_AT, at)
                .set(REPLICATION_JOBS.STARTED_AT, at)
                .set(REPLICATION_JOBS.COMPLETED_AT, "completed".equals(status) ? at.plusMinutes(5) : null)
                .set(REPLICATION_JOBS.UPDATED_AT, at)
                .execute();
    }

    public void disk(String jobId, String diskId, String contextId, String vmId, String changeId, OffsetDateTime at) {
        disk(jobId, diskId, contextId, vmId, null, changeId, at);
    }

    /** A disk of a job with the base the decision gave it ({@code previousChangeId}, null for none). */
    public void disk(String jobId, String diskId, String contextId, String vmId, String previousChangeId,
            String changeId, OffsetDateTime at) {
        db.insertInto(VM_DISKS)
                .set(VM_DISKS.JOB_ID, jobId)
                .set(VM_DISKS.DISK_ID, diskId)
                .set(VM_DISKS.CONTEXT_ID, contextId)
                .set(VM_DISKS.VMWARE_VM_ID, vmId)
                .set(VM_DISKS.LABEL, "Hard disk " + diskId)
                .set(VM_DISKS.VMDK_PATH, "[ds1] vm/" + diskId + ".vmdk")
                .set(VM_DISKS.SIZE_GB, 40L)
                .set(VM_DISKS.CAPACITY_BYTES, 42949672960L)
                .set(VM_DISKS.DATASTORE, "ds1")
                .set(VM_DISKS.PROVISIONING_TYPE, "thin")
                .set(VM_DISKS.UNIT_NUMBER, 0)
                .set(VM_DISKS.VOLUME_ID, "vol-" + jobId + "-" + diskId)
                .set(VM_DISKS.NBD_EXPORT_NAME, "migration-vol-vol-" + diskId)
                .set(VM_DISKS.DEVICE_PATH, "nbd://127.0.0.1:10809/migration-vol-vol-" + diskId)
                .set(VM_DISKS.STATUS, "copying")
                .set(VM_DISKS.CHANGE_ID, changeId)
                .set(VM_DISKS.PREVIOUS_CHANGE_ID, previousChangeId)
                .set(VM_DISKS.CREATED_AT, at)
                .set(VM_DISKS.UPDATED_AT, at)
                .execute();
    }

    public void changeId(String jobId, String contextId, String vmId, String diskId, String changeId, OffsetDateTime at) {
        db.insertInto(DISK_CHANGE_IDS)
                .set(DISK_CHANGE_IDS.EVENT_ID, UUID.randomUUID().toString())
                .set(DISK_CHANGE_IDS.JOB_ID, jobId)
                .set(DISK_CHANGE_IDS.CONTEXT_ID, contextId)
                .set(DISK_CHANGE_IDS.VMWARE_VM_ID, vmId)
                .set(DISK_CHANGE_IDS.DISK_ID, diskId)
                .set(DISK_CHANGE_IDS.CHANGE_ID, changeId)
                .set(DISK_CHANGE_IDS.RECORDED_AT, at)
                .execute();
    }

    public void request(String requestId, String vmId, String vmName, String outcome, String jobId, String contextId,
            OffsetDateTime at, OffsetDateTime decidedAt) {
        db.insertInto(REPLICATION_REQUESTS)
                .set(REPLICATION_REQUESTS.REQUEST_ID, requestId)
                .set(REPLICATION_REQUESTS.VMWARE_VM_ID, vmId)
                .set(REPLICATION_REQUESTS.VM_NAME, vmName)
                .set(REPLICATION_REQUESTS.REQUESTED_BY, "operator-tests")
                .set(REPLICATION_REQUESTS.START_REPLICATION, true)
                .set(REPLICATION_REQUESTS.OUTCOME, outcome)
                .set(REPLICATION_REQUESTS.JOB_ID, jobId)
                .set(REPLICATION_REQUESTS.CONTEXT_ID, contextId)
                .set(REPLICATION_REQUESTS.REASON, jobId == null && decidedAt != null ? "ACTIVE_REPLICATION_JOB" : null)
                .set(REPLICATION_REQUESTS.MESSAGE, decidedAt == null ? null : "decided by the test")
                .set(REPLICATION_REQUESTS.CREATED_AT, at)
                .set(REPLICATION_REQUESTS.DECIDED_AT, decidedAt)
                .execute();
    }
}
