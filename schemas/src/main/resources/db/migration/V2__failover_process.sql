-- The durable failover process. failover_jobs (V1) answers GET /api/v1/failovers; a process that
-- resumes after a restart needs more than that: where the source VM is (its power calls and the
-- final sync's request), the step it is in, the final sync's request id, its absolute deadline and
-- when it completed, and an optimistic version. Writer: failover-service (like V1's failover tables).
ALTER TABLE failover_jobs ADD COLUMN vm_path varchar(1024);
ALTER TABLE failover_jobs ADD COLUMN vcenter_host varchar(255);
ALTER TABLE failover_jobs ADD COLUMN datacenter varchar(255);
ALTER TABLE failover_jobs ADD COLUMN current_step varchar(32);
ALTER TABLE failover_jobs ADD COLUMN final_sync_request_id varchar(64);
ALTER TABLE failover_jobs ADD COLUMN final_sync_deadline_at timestamp with time zone;
ALTER TABLE failover_jobs ADD COLUMN final_sync_completed_at timestamp with time zone;
ALTER TABLE failover_jobs ADD COLUMN version bigint NOT NULL DEFAULT 0;
CREATE INDEX idx_failovers_status ON failover_jobs (status);

-- Writer: failover-service. The target volumes a failover builds its VM from, root disk first: the
-- accepted context's volumes, replaced by the final sync's when a live failover's sync started.
CREATE TABLE failover_volumes (
    failover_id             varchar(64)   NOT NULL,
    disk_id                 varchar(64)   NOT NULL,
    seq                     integer       NOT NULL,
    volume_id               varchar(128)  NOT NULL,
    PRIMARY KEY (failover_id, disk_id)
);
