package io.migratekit.schemas;

import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.VM_DISKS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.infra.SharedTestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Flyway migrations apply to real PostgreSQL and the generated jOOQ classes insert, select and upsert. */
class ReadModelTest {

    static String jdbcUrl;
    static String user;
    static String password;
    static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 27, 10, 0, 0, 0, ZoneOffset.UTC);

    @BeforeAll
    static void migrate() {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        jdbcUrl = infra.newDatabase("readmodel");
        user = infra.postgres().username();
        password = infra.postgres().password();
        var result = Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration").load().migrate();
        assertThat(result.success).isTrue();
    }

    @Test
    void contextsAreInsertedSelectedAndUpsertedOnlyForward() throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
            // given: a context at state version 2
            upsertContext(db, "ctx-pgtest1-20261127-100000", "replicating", "job-1", 2);

            // when: an older version arrives (a replay), then a newer one
            upsertContext(db, "ctx-pgtest1-20261127-100000", "discovered", null, 1);
            var afterStale = db.selectFrom(VM_REPLICATION_CONTEXTS).fetchOne();
            upsertContext(db, "ctx-pgtest1-20261127-100000", "ready_for_failover", null, 3);
            var afterNewer = db.selectFrom(VM_REPLICATION_CONTEXTS).fetchOne();

            // then: the stale one changed nothing, the newer one won, and there is one row
            assertThat(afterStale.getCurrentStatus()).isEqualTo("replicating");
            assertThat(afterStale.getCurrentJobId()).isEqualTo("job-1");
            assertThat(afterNewer.getCurrentStatus()).isEqualTo("ready_for_failover");
            assertThat(afterNewer.getCurrentJobId()).isNull();
            assertThat(afterNewer.getStateVersion()).isEqualTo(3L);
            assertThat(db.fetchCount(VM_REPLICATION_CONTEXTS)).isEqualTo(1);
        }
    }

    @Test
    void aJobAndItsDisksAreRecordedOncePerDisk() throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            DSLContext db = DSL.using(connection, SQLDialect.POSTGRES);
            // given: a job with two disks, recorded twice (a redelivery)
            for (int attempt = 0; attempt < 2; attempt++) {
                db.insertInto(REPLICATION_JOBS)
                        .set(REPLICATION_JOBS.ID, "job-20261127-100000.000-abcdef")
                        .set(REPLICATION_JOBS.CONTEXT_ID, "ctx-web01-20261127-100000")
                        .set(REPLICATION_JOBS.VMWARE_VM_ID, "vm-web01")
                        .set(REPLICATION_JOBS.REQUEST_ID, "req-1")
                        .set(REPLICATION_JOBS.SOURCE_VM_NAME, "web01")
                        .set(REPLICATION_JOBS.SOURCE_VM_PATH, "/DemoDC/vm/web01")
                        .set(REPLICATION_JOBS.REPLICATION_TYPE, "initial")
                        .set(REPLICATION_JOBS.STATUS, "pending")
                        .set(REPLICATION_JOBS.REQUESTED_BY, "gui")
                        .set(REPLICATION_JOBS.CREATED_AT, T0)
                        .set(REPLICATION_JOBS.UPDATED_AT, T0)
                        .onConflict(REPLICATION_JOBS.ID).doNothing().execute();
                for (String disk : new String[] {"disk-2000", "disk-2001"}) {
                    db.insertInto(VM_DISKS)
                            .set(VM_DISKS.JOB_ID, "job-20261127-100000.000-abcdef")
                            .set(VM_DISKS.DISK_ID, disk)
                            .set(VM_DISKS.CONTEXT_ID, "ctx-web01-20261127-100000")
                            .set(VM_DISKS.VMWARE_VM_ID, "vm-web01")
                            .set(VM_DISKS.SIZE_GB, 40L)
                            .set(VM_DISKS.STATUS, "pending")
                            .set(VM_DISKS.CREATED_AT, T0)
                            .set(VM_DISKS.UPDATED_AT, T0)
                            .onConflict(VM_DISKS.JOB_ID, VM_DISKS.DISK_ID).doNothing().execute();
                }
            }

            // when: the disks are read back with their job
            var rows = db.select(REPLICATION_JOBS.ID, VM_DISKS.DISK_ID)
                    .from(REPLICATION_JOBS).join(VM_DISKS).on(VM_DISKS.JOB_ID.eq(REPLICATION_JOBS.ID))
                    .orderBy(VM_DISKS.DISK_ID).fetch();

            // then: one row per disk, nothing more
            assertThat(rows).extracting(r -> r.get(VM_DISKS.DISK_ID)).containsExactly("disk-2000", "disk-2001");
        }
    }

    private static void upsertContext(DSLContext db, String contextId, String status, String jobId, long version) {
        db.insertInto(VM_REPLICATION_CONTEXTS)
                .set(VM_REPLICATION_CONTEXTS.CONTEXT_ID, contextId)
                .set(VM_REPLICATION_CONTEXTS.VMWARE_VM_ID, "vm-pgtest1")
                .set(VM_REPLICATION_CONTEXTS.VM_NAME, "pgtest1")
                .set(VM_REPLICATION_CONTEXTS.VM_PATH, "/DemoDC/vm/pgtest1")
                .set(VM_REPLICATION_CONTEXTS.CURRENT_STATUS, status)
                .set(VM_REPLICATION_CONTEXTS.CURRENT_JOB_ID, jobId)
                .set(VM_REPLICATION_CONTEXTS.CREATED_AT, T0)
                .set(VM_REPLICATION_CONTEXTS.UPDATED_AT, T0.plusMinutes(version))
                .set(VM_REPLICATION_CONTEXTS.STATE_VERSION, version)
                .onConflict(VM_REPLICATION_CONTEXTS.CONTEXT_ID).doUpdate()
                .set(VM_REPLICATION_CONTEXTS.CURRENT_STATUS, DSL.excluded(VM_REPLICATION_CONTEXTS.CURRENT_STATUS))
                .set(VM_REPLICATION_CONTEXTS.CURRENT_JOB_ID, DSL.excluded(VM_REPLICATION_CONTEXTS.CURRENT_JOB_ID))
                .set(VM_REPLICATION_CONTEXTS.UPDATED_AT, DSL.excluded(VM_REPLICATION_CONTEXTS.UPDATED_AT))
                .set(VM_REPLICATION_CONTEXTS.STATE_VERSION, DSL.excluded(VM_REPLICATION_CONTEXTS.STATE_VERSION))
                .where(VM_REPLICATION_CONTEXTS.STATE_VERSION.lt(DSL.excluded(VM_REPLICATION_CONTEXTS.STATE_VERSION)))
                .execute();
    }
}
