package io.migratekit.jobs.projection;

import static io.migratekit.jobs.testing.Events.T0;

import com.zaxxer.hikari.HikariDataSource;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.jobs.testing.ReadModelDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DataSourceConnectionProvider;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.jooq.autoconfigure.ExceptionTranslatorExecuteListener;
import org.springframework.boot.jooq.autoconfigure.SpringTransactionProvider;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * A throughput harness for the projector, not a test: it asserts nothing and runs only when asked
 * ({@code mvn -o -pl job-service test -Dtest=ReadModelProjectorThroughput -Dmigratekit.benchmark=true}).
 * It projects the events of whole replications ({@link ReplicationEvents}: 13 events per VM) into real
 * PostgreSQL through a DSLContext wired as Spring Boot wires the service's (a Hikari pool, Spring transactions,
 * the exception-translating listener), in batches of 1, 10 and 100 events, and prints events/s, the
 * projecting thread's CPU and the database backend's CPU per event and the load average.
 *
 * <p>Two orders: by topic (a poll returns a partition's records together: windows of 50 VMs, each
 * event type's records of the window in a row) and interleaved (every VM's events in order, the VMs
 * mixed at random), the worst case for consecutive events of one type. It leaves judging the figures
 * to whoever reads them: the machine is shared, so only large differences mean anything.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "migratekit.benchmark", matches = "true")
class ReadModelProjectorThroughput {

    private static final int VMS = Integer.getInteger("migratekit.benchmark.vms", 600);
    private static final int WINDOW = 50;
    private static final int[] BATCH_SIZES = {1, 10, 100};

    @Test
    void projectReplications() {
        ReadModelDatabase db = ReadModelDatabase.create("projector_throughput");
        try (HikariDataSource pool = pool(db.jdbcUrl())) {
            DSLContext dsl = springLikeDsl(pool);
            ReadModelProjector projector = new ReadModelProjector(dsl);
            long backend = dsl.fetchSingle("select pg_backend_pid()").get(0, Integer.class);
            System.out.printf(Locale.ROOT, "projector throughput: %d VMs, %d events per run, %d cores%n", VMS,
                    VMS * ReplicationEvents.PER_VM, Runtime.getRuntime().availableProcessors());
            for (String order : List.of("by-topic", "interleaved")) {
                for (int batchSize : BATCH_SIZES) {
                    // A warm-up run of the same shape, then the measured one, each into empty tables.
                    run(db, projector, backend, order, batchSize, 1, false);
                    run(db, projector, backend, order, batchSize, 2, true);
                }
            }
        }
    }

    private static void run(ReadModelDatabase db, ReadModelProjector projector, long backend, String order,
            int batchSize, int seed, boolean print) {
        db.truncate();
        List<List<SpecificRecord>> replications = ReplicationEvents.replications(seed, VMS, T0);
        List<SpecificRecord> events = "by-topic".equals(order) ? byTopic(replications)
                : interleaved(replications, new Random(seed));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long backendTicks = backendTicks(backend);
        long cpu = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        for (int from = 0; from < events.size(); from += batchSize) {
            List<SpecificRecord> batch = events.subList(from, Math.min(events.size(), from + batchSize));
            if (batch.size() == 1) {
                projector.project(batch.get(0));
            } else {
                projector.projectAll(batch);
            }
        }
        long wall = System.nanoTime() - started;
        long javaCpu = threads.getCurrentThreadCpuTime() - cpu;
        long dbTicks = backendTicks(backend) - backendTicks;
        if (print) {
            int n = events.size();
            System.out.printf(Locale.ROOT, "order %-11s batch %3d: %7.0f events/s, Java CPU %.3f ms/event, "
                    + "PostgreSQL backend CPU %s ms/event, load average %.2f%n", order, batchSize,
                    n / (wall / 1e9), javaCpu / 1e6 / n,
                    dbTicks < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", dbTicks * 10.0 / n), load);
        }
    }

    /** Windows of {@link #WINDOW} VMs; in each, the window's events of one position in a row. */
    private static List<SpecificRecord> byTopic(List<List<SpecificRecord>> replications) {
        List<SpecificRecord> order = new ArrayList<>();
        for (int from = 0; from < replications.size(); from += WINDOW) {
            List<List<SpecificRecord>> window = replications.subList(from, Math.min(replications.size(), from + WINDOW));
            for (int position = 0; position < window.get(0).size(); position++) {
                for (List<SpecificRecord> replication : window) {
                    order.add(replication.get(position));
                }
            }
        }
        return order;
    }

    /** Every VM's events in order, the VMs mixed at random. */
    private static List<SpecificRecord> interleaved(List<List<SpecificRecord>> replications, Random random) {
        List<List<SpecificRecord>> queues = new ArrayList<>();
        replications.forEach(events -> queues.add(new ArrayList<>(events)));
        List<SpecificRecord> order = new ArrayList<>();
        while (!queues.isEmpty()) {
            int pick = random.nextInt(queues.size());
            order.add(queues.get(pick).remove(0));
            if (queues.get(pick).isEmpty()) {
                queues.remove(pick);
            }
        }
        return order;
    }

    /** A pool like the service's (one connection: the projecting thread is the only user). */
    private static HikariDataSource pool(String jdbcUrl) {
        var postgres = SharedTestInfrastructure.get().postgres();
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(postgres.username());
        pool.setPassword(postgres.password());
        pool.setMaximumPoolSize(1);
        return pool;
    }

    /** The DSLContext as Spring Boot's jOOQ auto-configuration builds it. */
    private static DSLContext springLikeDsl(HikariDataSource pool) {
        DefaultConfiguration configuration = new DefaultConfiguration();
        configuration.set(SQLDialect.POSTGRES);
        configuration.set(new DataSourceConnectionProvider(new TransactionAwareDataSourceProxy(pool)));
        configuration.set(new SpringTransactionProvider(new DataSourceTransactionManager(pool)));
        configuration.set(new DefaultExecuteListenerProvider(ExceptionTranslatorExecuteListener.DEFAULT));
        return configuration.dsl();
    }

    /** User and system CPU of the database backend in clock ticks (10 ms), or -1 where the OS does not tell. */
    private static long backendTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
