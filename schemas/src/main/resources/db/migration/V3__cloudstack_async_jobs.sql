-- CloudStack async jobs started and not yet ended, recorded before the wait on them starts, so a
-- retry or a restarted service waits on the same job instead of issuing the command again
-- (AsyncJobJournal). One table per writer; an ended job's row is deleted.

-- Writer: job-service (createVolume, attachVolume, detachVolume of replication volumes).
CREATE TABLE cloudstack_async_jobs (
    operation_key           varchar(512)  PRIMARY KEY,
    command                 varchar(64)   NOT NULL,
    job_id                  varchar(128)  NOT NULL,
    recorded_at             timestamp with time zone NOT NULL
);

-- Writer: failover-service (the commands of failover VMs: snapshots, clones, deploy, attach, detach, start, stop, destroy).
CREATE TABLE failover_cloudstack_async_jobs (
    operation_key           varchar(512)  PRIMARY KEY,
    command                 varchar(64)   NOT NULL,
    job_id                  varchar(128)  NOT NULL,
    recorded_at             timestamp with time zone NOT NULL
);
