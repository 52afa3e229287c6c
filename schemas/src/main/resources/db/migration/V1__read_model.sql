-- Read model of the MigrateKit pipeline. The event log is the source of truth: every table here
-- is a projection that replaying the topics rebuilds. Keyed columns are varchar (jOOQ's DDL
-- simulation cannot index text). Each table has exactly one writer, named in its comment.

-- Writer: job-service projector (from the VmContext changelog).
CREATE TABLE vm_replication_contexts (
    context_id              varchar(160)  NOT NULL PRIMARY KEY,
    vmware_vm_id            varchar(64)   NOT NULL UNIQUE,
    vm_name                 varchar(255)  NOT NULL,
    vm_path                 varchar(1024) NOT NULL,
    vcenter_host            varchar(255),
    datacenter              varchar(255),
    current_status          varchar(32)   NOT NULL,
    current_job_id          varchar(64),
    last_successful_job_id  varchar(64),
    total_jobs_run          integer       NOT NULL DEFAULT 0,
    successful_jobs         integer       NOT NULL DEFAULT 0,
    failed_jobs             integer       NOT NULL DEFAULT 0,
    cpu_count               integer,
    memory_mb               bigint,
    os_type                 varchar(64),
    power_state             varchar(32),
    vmx_version             varchar(32),
    active_failover_id      varchar(64),
    created_at              timestamp with time zone NOT NULL,
    updated_at              timestamp with time zone NOT NULL,
    state_version           bigint        NOT NULL DEFAULT 0
);
CREATE INDEX idx_contexts_vm_name ON vm_replication_contexts (vm_name);

-- Writer: job-service projector (from JobCreated, JobStarted, JobProgress, JobCompleted, JobFailed).
CREATE TABLE replication_jobs (
    id                      varchar(64)   NOT NULL PRIMARY KEY,
    context_id              varchar(160)  NOT NULL,
    vmware_vm_id            varchar(64)   NOT NULL,
    request_id              varchar(64)   NOT NULL,
    source_vm_name          varchar(255)  NOT NULL,
    source_vm_path          varchar(1024) NOT NULL,
    vcenter_host            varchar(255),
    datacenter              varchar(255),
    replication_type        varchar(16)   NOT NULL,
    status                  varchar(32)   NOT NULL,
    progress_percent        double precision NOT NULL DEFAULT 0,
    current_operation       varchar(255),
    vma_sync_type           varchar(32),
    bytes_transferred       bigint        NOT NULL DEFAULT 0,
    total_bytes             bigint        NOT NULL DEFAULT 0,
    throughput_mbps         double precision NOT NULL DEFAULT 0,
    eta_seconds             bigint,
    last_poll_at            timestamp with time zone,
    failure_reason          varchar(64),
    error_message           varchar(4000),
    ossea_config_id         bigint,
    target_network          varchar(255),
    schedule_execution_id   varchar(128),
    vm_group_id             varchar(128),
    scheduled_by            varchar(128),
    requested_by            varchar(128)  NOT NULL,
    failover_id             varchar(64),
    created_at              timestamp with time zone NOT NULL,
    started_at              timestamp with time zone,
    completed_at            timestamp with time zone,
    updated_at              timestamp with time zone NOT NULL
);
CREATE INDEX idx_jobs_context ON replication_jobs (context_id);
CREATE INDEX idx_jobs_vm_name ON replication_jobs (source_vm_name);
CREATE INDEX idx_jobs_status ON replication_jobs (status);

-- Writer: job-service projector. One row per disk per job: the specification audit trail.
CREATE TABLE vm_disks (
    job_id                  varchar(64)   NOT NULL,
    disk_id                 varchar(64)   NOT NULL,
    context_id              varchar(160)  NOT NULL,
    vmware_vm_id            varchar(64)   NOT NULL,
    label                   varchar(255),
    vmdk_path               varchar(1024),
    size_gb                 bigint,
    capacity_bytes          bigint,
    datastore               varchar(255),
    provisioning_type       varchar(32),
    unit_number             integer,
    volume_id               varchar(128),
    nbd_export_name         varchar(255),
    device_path             varchar(1024),
    bytes_transferred       bigint        NOT NULL DEFAULT 0,
    total_bytes             bigint        NOT NULL DEFAULT 0,
    progress_percent        double precision NOT NULL DEFAULT 0,
    status                  varchar(32)   NOT NULL,
    change_id               varchar(512),
    previous_change_id      varchar(512),
    created_at              timestamp with time zone NOT NULL,
    updated_at              timestamp with time zone NOT NULL,
    PRIMARY KEY (job_id, disk_id)
);
CREATE INDEX idx_disks_context ON vm_disks (context_id);

-- Writer: job-service projector (from ChangeIdRecorded). The per-disk change-id history.
CREATE TABLE disk_change_ids (
    event_id                varchar(64)   NOT NULL PRIMARY KEY,
    job_id                  varchar(64)   NOT NULL,
    context_id              varchar(160)  NOT NULL,
    vmware_vm_id            varchar(64)   NOT NULL,
    disk_id                 varchar(64)   NOT NULL,
    change_id               varchar(512)  NOT NULL,
    previous_change_id      varchar(512),
    recorded_at             timestamp with time zone NOT NULL
);
CREATE INDEX idx_change_ids_job ON disk_change_ids (job_id);
CREATE INDEX idx_change_ids_context_disk ON disk_change_ids (context_id, disk_id);

-- Writer: job-service projector. One row per replication request and its outcome, so an
-- asynchronous caller can read the outcome and nothing is left without one.
CREATE TABLE replication_requests (
    request_id              varchar(64)   NOT NULL PRIMARY KEY,
    vmware_vm_id            varchar(64)   NOT NULL,
    vm_name                 varchar(255)  NOT NULL,
    requested_by            varchar(128)  NOT NULL,
    start_replication       boolean       NOT NULL,
    failover_id             varchar(64),
    outcome                 varchar(32)   NOT NULL,
    job_id                  varchar(64),
    context_id              varchar(160),
    reason                  varchar(64),
    message                 varchar(4000),
    created_at              timestamp with time zone NOT NULL,
    decided_at              timestamp with time zone
);
CREATE INDEX idx_requests_vm ON replication_requests (vmware_vm_id);

-- Writer: failover-service.
CREATE TABLE failover_jobs (
    id                          varchar(64)   NOT NULL PRIMARY KEY,
    context_id                  varchar(160)  NOT NULL,
    vmware_vm_id                varchar(64)   NOT NULL,
    vm_name                     varchar(255)  NOT NULL,
    failover_type               varchar(16)   NOT NULL,
    status                      varchar(32)   NOT NULL,
    power_on_source_on_failure  boolean       NOT NULL,
    test_network                varchar(255),
    final_sync_deadline_minutes integer       NOT NULL,
    final_sync_job_id           varchar(64),
    target_vm_id                varchar(128),
    failed_step                 varchar(32),
    error_message               varchar(4000),
    source_powered_back_on      boolean       NOT NULL DEFAULT false,
    requested_by                varchar(128)  NOT NULL,
    created_at                  timestamp with time zone NOT NULL,
    completed_at                timestamp with time zone,
    updated_at                  timestamp with time zone NOT NULL
);
CREATE INDEX idx_failovers_vm_name ON failover_jobs (vm_name);

-- Writer: failover-service. One row per step of a failover (the original's RunStep).
CREATE TABLE job_steps (
    failover_id             varchar(64)   NOT NULL,
    step                    varchar(32)   NOT NULL,
    seq                     integer       NOT NULL,
    status                  varchar(16)   NOT NULL,
    message                 varchar(4000),
    job_id                  varchar(64),
    started_at              timestamp with time zone NOT NULL,
    completed_at            timestamp with time zone,
    PRIMARY KEY (failover_id, step)
);

-- Writer: every consumer, each its own rows (consumer = service name). Idempotent consumers
-- record the events they handled here in the same transaction as their effect.
CREATE TABLE processed_events (
    consumer                varchar(64)   NOT NULL,
    event_id                varchar(64)   NOT NULL,
    processed_at            timestamp with time zone NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
