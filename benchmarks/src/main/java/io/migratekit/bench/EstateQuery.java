package io.migratekit.bench;

import static io.migratekit.db.Tables.REPLICATION_JOBS;
import static io.migratekit.db.Tables.VM_REPLICATION_CONTEXTS;

import io.migratekit.db.tables.records.ReplicationJobsRecord;
import io.migratekit.db.tables.records.VmReplicationContextsRecord;
import io.migratekit.infra.PostgresServer;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.intake.readmodel.ReadModel.ContextFilter;
import io.migratekit.intake.readmodel.ReadModel.ContextOrder;
import io.migratekit.intake.readmodel.Views.ContextSummary;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;

/**
 * The console's estate query at scale (issue 15): a fresh read model (PostgreSQL, the Flyway migrations of
 * {@code schemas}) filled with {@code --vms} (5,000) VM contexts and one to three jobs each (seeded random:
 * some replicating with progress, the others ready, failed or discovered after completed jobs), then each
 * query the estate view issues timed through job-intake's own {@link ReadModel} exactly as its controller
 * calls it for {@code GET /api/v1/vm-contexts}: the page ({@code contexts}, with its current and last
 * successful jobs) and the total ({@code countContexts}). Not through HTTP: JSON and the web layer are not
 * in the figure. Each query is checked against the same answer computed in plain Java from the seeded
 * rows (names in order, page size, total, jobs attached); a wrong answer fails the run (exit 2). Owns the
 * seeded estate and the measurement; owns none of the query shapes.
 */
public final class EstateQuery {

    static final int PAGE = 50;
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 5, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final String REPLICATING = "replicating";
    private static final String[] SETTLED = {"ready_for_failover", "ready_for_failover", "ready_for_failover", "failed",
            "discovered"};

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        System.exit(run(options, new Report(System.out)));
    }

    /** Runs the figure with these options; 0 when every answer was right, 2 when not. */
    static int run(Map<String, String> options, Report report) {
        int vms = Integer.parseInt(options.getOrDefault("vms", "5000"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "200"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "20"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        report.heading("Estate query: " + vms + " VM contexts, pages of " + PAGE + ", " + runs + " runs per query after "
                + warmup + " warm-up runs");
        report.line("Machine: " + Machine.current().describe());
        try (PostgresServer postgres = PostgresServer.start(null, 0)) {
            postgres.createDatabase("migratekit");
            DataSource dataSource = postgres.dataSource("migratekit");
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            try (var db = DSL.using(postgres.jdbcUrl("migratekit"), postgres.username(), postgres.password())) {
                long start = System.nanoTime();
                List<Vm> estate = seed(db, vms, new Random(seed));
                db.execute("analyze");
                report.line(String.format(Locale.ROOT, "- Seeded %d contexts and %d jobs in %.1f s (%d replicating)",
                        vms, estate.stream().mapToInt(vm -> vm.jobs).sum(), (System.nanoTime() - start) / 1e9,
                        estate.stream().filter(vm -> vm.status.equals(REPLICATING)).count()));
                ReadModel readModel = new ReadModel(db);
                for (Query query : queries(vms)) {
                    measure(report, readModel, estate, query, runs, warmup);
                }
            }
        }
        return report.correct() ? 0 : 2;
    }

    /** One estate request as the console sends it. */
    record Query(String title, ContextFilter filter, ContextOrder order, boolean descending, int offset) {
    }

    /** The console's requests: first page by name, a deep page, by status, by last update, a name and a status filter. */
    static List<Query> queries(int vms) {
        return List.of(
                new Query("first page by name", new ContextFilter(null, null), ContextOrder.NAME, false, 0),
                new Query("deep page by name (offset " + Math.max(0, vms - PAGE) + ")", new ContextFilter(null, null),
                        ContextOrder.NAME, false, Math.max(0, vms - PAGE)),
                new Query("first page by status", new ContextFilter(null, null), ContextOrder.STATUS, false, 0),
                new Query("first page by last update, newest first", new ContextFilter(null, null), ContextOrder.UPDATED,
                        true, 0),
                new Query("name filter \"" + nameFragment(vms) + "\"", new ContextFilter(nameFragment(vms), null),
                        ContextOrder.NAME, false, 0),
                new Query("status filter \"" + REPLICATING + "\"", new ContextFilter(null, REPLICATING),
                        ContextOrder.NAME, false, 0));
    }

    /** A name fragment (upper case: the filter ignores case) that matches the block of up to 100 VMs in the middle. */
    static String nameFragment(int vms) {
        return String.format(Locale.ROOT, "VM-%04d", vms / 2 / 100);
    }

    private static void measure(Report report, ReadModel readModel, List<Vm> estate, Query query, int runs,
            int warmup) {
        List<Double> millis = new ArrayList<>();
        List<ContextSummary> page = List.of();
        int total = -1;
        for (int i = 0; i < warmup + runs; i++) {
            long start = System.nanoTime();
            page = readModel.contexts(query.filter(), query.order(), query.descending(), PAGE, query.offset());
            total = readModel.countContexts(query.filter());
            if (i >= warmup) {
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        report.line("- " + query.title() + ": " + page.size() + " rows of " + total + "; median "
                + Stats.ms(Stats.percentile(millis, 0.50)) + " ms, p99 " + Stats.ms(Stats.percentile(millis, 0.99))
                + " ms, max " + Stats.ms(Stats.percentile(millis, 1.0)) + " ms");
        check(report, query, expected(estate, query), page, total);
    }

    /** The VMs the query must return, in order, computed from the seeded rows in plain Java. */
    private static List<Vm> expected(List<Vm> estate, Query query) {
        Predicate<Vm> passes = vm -> (query.filter().nameContains() == null
                || vm.name.toLowerCase(Locale.ROOT).contains(query.filter().nameContains().toLowerCase(Locale.ROOT)))
                && (query.filter().status() == null || vm.status.equals(query.filter().status()));
        Comparator<Vm> order = switch (query.order()) {
            case NAME -> Comparator.comparing((Vm vm) -> vm.name);
            case STATUS -> Comparator.comparing((Vm vm) -> vm.status).thenComparing(vm -> vm.name);
            case UPDATED -> Comparator.comparing((Vm vm) -> vm.updatedAt).reversed().thenComparing(vm -> vm.contextId);
        };
        return estate.stream().filter(passes).sorted(order).toList();
    }

    private static void check(Report report, Query query, List<Vm> matching, List<ContextSummary> page, int total) {
        List<Vm> wanted = matching.subList(Math.min(query.offset(), matching.size()),
                Math.min(query.offset() + PAGE, matching.size()));
        List<String> names = page.stream().map(summary -> summary.context().vmName()).toList();
        if (total != matching.size()) {
            report.failure(query.title() + ": total " + total + ", expected " + matching.size());
        }
        if (!names.equals(wanted.stream().map(vm -> vm.name).toList())) {
            report.failure(query.title() + ": page " + names + ", expected "
                    + wanted.stream().map(vm -> vm.name).toList());
            return;
        }
        for (int i = 0; i < page.size(); i++) {
            ContextSummary summary = page.get(i);
            Vm vm = wanted.get(i);
            String current = summary.currentJob() == null ? null : summary.currentJob().jobId();
            String lastGood = summary.lastSuccessfulJob() == null ? null : summary.lastSuccessfulJob().jobId();
            if (!Objects.equals(current, vm.currentJobId)
                    || !Objects.equals(lastGood, vm.lastSuccessfulJobId)) {
                report.failure(query.title() + ": " + vm.name + " came with jobs " + current + " / " + lastGood
                        + ", expected " + vm.currentJobId + " / " + vm.lastSuccessfulJobId);
            }
        }
    }

    /** One seeded VM: what the estate must show of it. */
    private record Vm(String contextId, String name, String status, OffsetDateTime updatedAt, String currentJobId,
            String lastSuccessfulJobId, int jobs) {
    }

    /**
     * Writes the contexts and their jobs as job-service's projector would have (names in a shuffled insert order,
     * so that the physical order is not the name order): one to three jobs each, the last one running with
     * progress when the VM is replicating, the earlier ones completed (a settled VM's last job may have failed).
     */
    private static List<Vm> seed(DSLContext db, int vms, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        List<Vm> estate = new ArrayList<>();
        List<TableRecord<?>> rows = new ArrayList<>();
        for (int i : order) {
            String vmId = String.format(Locale.ROOT, "vm-%06d", i);
            String name = String.format(Locale.ROOT, "estate-vm-%06d", i);
            String contextId = "ctx-" + vmId;
            String status = random.nextInt(5) == 0 ? REPLICATING : SETTLED[random.nextInt(SETTLED.length)];
            int jobs = 1 + random.nextInt(3);
            OffsetDateTime at = T0.plusSeconds(random.nextInt(30 * 24 * 3600));
            String current = null;
            String lastGood = null;
            for (int j = 0; j < jobs; j++) {
                String jobId = "job-" + vmId + "-" + j;
                boolean last = j == jobs - 1;
                String jobStatus = !last ? ReadModel.JOB_COMPLETED
                        : status.equals(REPLICATING) ? REPLICATING
                        : status.equals("failed") ? ReadModel.JOB_FAILED : ReadModel.JOB_COMPLETED;
                OffsetDateTime created = at.minusHours((long) (jobs - j) * 24);
                double progress = jobStatus.equals(REPLICATING) ? random.nextInt(1000) / 10.0
                        : jobStatus.equals(ReadModel.JOB_COMPLETED) ? 100.0 : 37.0;
                rows.add(job(db, jobId, contextId, vmId, name, jobStatus, j == 0 ? "initial" : "incremental",
                        progress, created));
                if (jobStatus.equals(REPLICATING)) {
                    current = jobId;
                } else if (jobStatus.equals(ReadModel.JOB_COMPLETED)) {
                    lastGood = jobId;
                }
            }
            rows.add(context(db, contextId, vmId, name, status, current, lastGood, jobs, at));
            estate.add(new Vm(contextId, name, status, at, current, lastGood, jobs));
            if (rows.size() >= 2000) {
                db.batchInsert(rows).execute();
                rows.clear();
            }
        }
        if (!rows.isEmpty()) {
            db.batchInsert(rows).execute();
        }
        return estate;
    }

    private static VmReplicationContextsRecord context(DSLContext db, String contextId, String vmId, String name,
            String status, String currentJobId, String lastSuccessfulJobId, int jobs, OffsetDateTime at) {
        VmReplicationContextsRecord r = db.newRecord(VM_REPLICATION_CONTEXTS);
        r.setContextId(contextId);
        r.setVmwareVmId(vmId);
        r.setVmName(name);
        r.setVmPath("/DC1/vm/" + name);
        r.setVcenterHost("vcenter.example.test");
        r.setDatacenter("DC1");
        r.setCurrentStatus(status);
        r.setCurrentJobId(currentJobId);
        r.setLastSuccessfulJobId(lastSuccessfulJobId);
        r.setTotalJobsRun(jobs);
        r.setSuccessfulJobs(lastSuccessfulJobId == null ? 0 : jobs - 1);
        r.setFailedJobs(status.equals("failed") ? 1 : 0);
        r.setCpuCount(2);
        r.setMemoryMb(8192L);
        r.setOsType("linux");
        r.setPowerState("poweredOn");
        r.setVmxVersion("vmx-19");
        r.setCreatedAt(T0.minusDays(60));
        r.setUpdatedAt(at);
        return r;
    }

    private static ReplicationJobsRecord job(DSLContext db, String jobId, String contextId, String vmId, String name,
            String status, String type, double progress, OffsetDateTime created) {
        boolean running = status.equals(REPLICATING);
        ReplicationJobsRecord r = db.newRecord(REPLICATION_JOBS);
        r.setId(jobId);
        r.setContextId(contextId);
        r.setVmwareVmId(vmId);
        r.setRequestId("req-of-" + jobId);
        r.setSourceVmName(name);
        r.setSourceVmPath("/DC1/vm/" + name);
        r.setVcenterHost("vcenter.example.test");
        r.setDatacenter("DC1");
        r.setReplicationType(type);
        r.setStatus(status);
        r.setProgressPercent(progress);
        r.setCurrentOperation(running ? "copying disk-2000" : null);
        long total = 40L << 30;
        r.setBytesTransferred((long) (total * progress / 100));
        r.setTotalBytes(total);
        r.setThroughputMbps(running ? 120.0 : 0.0);
        r.setEtaSeconds(running ? (long) ((100 - progress) * 3) : null);
        r.setOsseaConfigId(1L);
        r.setRequestedBy("benchmark");
        r.setCreatedAt(created);
        r.setStartedAt(created);
        r.setCompletedAt(running ? null : created.plusMinutes(20));
        r.setUpdatedAt(running ? created.plusMinutes(5) : created.plusMinutes(20));
        return r;
    }

    private EstateQuery() {
    }
}
