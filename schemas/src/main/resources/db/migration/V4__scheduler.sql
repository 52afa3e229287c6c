-- The scheduler's state. Writer of every table here: scheduler-service. schedules, machine_groups and
-- group_memberships are materialized from job-intake's definition changelogs (migratekit.schedules,
-- migratekit.machine-groups, migratekit.group-memberships); job-intake reads them for its GETs.
CREATE TABLE schedules (
    schedule_id             varchar(64)   NOT NULL PRIMARY KEY,
    name                    varchar(255)  NOT NULL UNIQUE,
    description             varchar(1000),
    cron_expression         varchar(255)  NOT NULL,
    timezone                varchar(64)   NOT NULL,
    replication_type        varchar(16)   NOT NULL,
    max_concurrent_jobs     integer       NOT NULL,
    retry_attempts          integer       NOT NULL,
    retry_delay_minutes     integer       NOT NULL,
    enabled                 boolean       NOT NULL,
    skip_if_running         boolean       NOT NULL,
    changed_by              varchar(128)  NOT NULL,
    created_at              timestamp with time zone NOT NULL,
    updated_at              timestamp with time zone NOT NULL
);

CREATE TABLE machine_groups (
    group_id                varchar(64)   NOT NULL PRIMARY KEY,
    name                    varchar(255)  NOT NULL UNIQUE,
    description             varchar(1000),
    schedule_id             varchar(64),
    max_concurrent_vms      integer       NOT NULL,
    priority                integer       NOT NULL,
    changed_by              varchar(128)  NOT NULL,
    created_at              timestamp with time zone NOT NULL,
    updated_at              timestamp with time zone NOT NULL
);
CREATE INDEX idx_groups_schedule ON machine_groups (schedule_id);

-- One row per VM: a VM is in at most one group (the changelog is keyed by the VM).
CREATE TABLE group_memberships (
    vmware_vm_id            varchar(64)   NOT NULL PRIMARY KEY,
    context_id              varchar(160)  NOT NULL,
    group_id                varchar(64)   NOT NULL,
    enabled                 boolean       NOT NULL,
    priority                integer       NOT NULL,
    added_by                varchar(128)  NOT NULL,
    added_at                timestamp with time zone NOT NULL
);
CREATE INDEX idx_memberships_group ON group_memberships (group_id);

-- One row per execution, with the schedule's settings as they were when it started (so it runs on
-- unchanged when the schedule changes or is deleted) and the instance that runs it. A scheduled execution's id is derived from (schedule, due time), so two
-- instances (or one restarted) claiming the same due time collide on the primary key: one runs it.
CREATE TABLE schedule_executions (
    execution_id            varchar(160)  NOT NULL PRIMARY KEY,
    schedule_id             varchar(64)   NOT NULL,
    due_at                  timestamp with time zone NOT NULL,
    triggered_by            varchar(128)  NOT NULL,
    owner                   varchar(128)  NOT NULL,
    reason                  varchar(1000),
    status                  varchar(16)   NOT NULL,
    skip_reason             varchar(64),
    vms_eligible            integer       NOT NULL DEFAULT 0,
    jobs_created            integer       NOT NULL DEFAULT 0,
    jobs_completed          integer       NOT NULL DEFAULT 0,
    jobs_failed             integer       NOT NULL DEFAULT 0,
    jobs_skipped            integer       NOT NULL DEFAULT 0,
    queued                  integer       NOT NULL DEFAULT 0,
    max_concurrent_jobs     integer       NOT NULL,
    retry_attempts          integer       NOT NULL,
    retry_delay_minutes     integer       NOT NULL,
    skip_if_running         boolean       NOT NULL,
    replication_type        varchar(16)   NOT NULL,
    scheduled_at            timestamp with time zone NOT NULL,
    started_at              timestamp with time zone,
    completed_at            timestamp with time zone
);
CREATE INDEX idx_executions_schedule ON schedule_executions (schedule_id, due_at);

-- One row per VM of an execution: where it is (queued, requested, running, completed, failed,
-- skipped), its attempt, the request id of that attempt and the job it started.
CREATE TABLE execution_vms (
    execution_id            varchar(160)  NOT NULL,
    vmware_vm_id            varchar(64)   NOT NULL,
    context_id              varchar(160)  NOT NULL,
    group_id                varchar(64)   NOT NULL,
    group_max_concurrent_vms integer      NOT NULL,
    seq                     integer       NOT NULL,
    status                  varchar(16)   NOT NULL,
    reason                  varchar(1000),
    attempt                 integer       NOT NULL DEFAULT 0,
    failures                integer       NOT NULL DEFAULT 0,
    request_id              varchar(200),
    job_id                  varchar(64),
    retry_at                timestamp with time zone,
    updated_at              timestamp with time zone NOT NULL,
    PRIMARY KEY (execution_id, vmware_vm_id)
);
