package io.migratekit.jobs.testing;

import io.migratekit.infra.PostgresServer;
import io.migratekit.infra.SharedTestInfrastructure;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL database of the shared test server with the read-model migrations applied, and
 * a snapshot of the tables job-service writes (every row, every column, in key order).
 */
public final class ReadModelDatabase {

    private static final Map<String, String> TABLES_AND_KEYS = new LinkedHashMap<>();

    static {
        TABLES_AND_KEYS.put("vm_replication_contexts", "context_id");
        TABLES_AND_KEYS.put("replication_jobs", "id");
        TABLES_AND_KEYS.put("vm_disks", "job_id, disk_id");
        TABLES_AND_KEYS.put("disk_change_ids", "event_id");
        TABLES_AND_KEYS.put("replication_requests", "request_id");
    }

    private final String jdbcUrl;
    private final DSLContext dsl;

    private ReadModelDatabase(String jdbcUrl, DSLContext dsl) {
        this.jdbcUrl = jdbcUrl;
        this.dsl = dsl;
    }

    public static ReadModelDatabase create(String prefix) {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        String url = infra.newDatabase(prefix);
        PostgresServer postgres = infra.postgres();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new ReadModelDatabase(url, DSL.using(dataSource, SQLDialect.POSTGRES));
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public DSLContext dsl() {
        return dsl;
    }

    /** Every row of every table job-service writes, as column maps (times in UTC), in key order. */
    public Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> snapshot = new LinkedHashMap<>();
        TABLES_AND_KEYS.forEach((table, key) -> {
            List<Map<String, Object>> rows = dsl.fetch("select * from " + table + " order by " + key).intoMaps();
            rows.forEach(row -> row.replaceAll((column, value) -> value instanceof OffsetDateTime time
                    ? time.withOffsetSameInstant(ZoneOffset.UTC) : value));
            snapshot.put(table, rows);
        });
        return snapshot;
    }

    /** Empties the tables job-service writes. */
    public void truncate() {
        dsl.execute("truncate " + String.join(", ", TABLES_AND_KEYS.keySet()));
    }
}
