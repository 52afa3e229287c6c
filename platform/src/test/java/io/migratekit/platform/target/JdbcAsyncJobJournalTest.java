package io.migratekit.platform.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.infra.SharedTestInfrastructure;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The durable async-job journal on the services' migrated tables in a real PostgreSQL. */
class JdbcAsyncJobJournalTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T05:00:00Z"), ZoneOffset.UTC);
    static DataSource dataSource;

    @BeforeAll
    static void migrate() {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(infra.newDatabase("journal"));
        pg.setUser(infra.postgres().username());
        pg.setPassword(infra.postgres().password());
        dataSource = pg;
        assertThat(Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate().success)
                .isTrue();
    }

    @Test
    void aRecordedJobOutlivesItsJournalObjectUntilItEnds() {
        // given
        JdbcAsyncJobJournal journal = new JdbcAsyncJobJournal(dataSource, "cloudstack_async_jobs", CLOCK);

        // when a job is recorded, then replaced by a later one for the same operation
        journal.recorded("1/attachVolume/v-1", "attachVolume", "job-1");
        journal.recorded("1/attachVolume/v-1", "attachVolume", "job-2");

        // then a new journal object (a restarted service) sees the later job, and only it
        JdbcAsyncJobJournal restarted = new JdbcAsyncJobJournal(dataSource, "cloudstack_async_jobs", CLOCK);
        assertThat(restarted.recordedJob("1/attachVolume/v-1")).contains("job-2");
        assertThat(restarted.recordedJob("1/attachVolume/v-2")).isEmpty();

        // and once ended, nothing is recorded (ending again is harmless)
        restarted.ended("1/attachVolume/v-1");
        restarted.ended("1/attachVolume/v-1");
        assertThat(journal.recordedJob("1/attachVolume/v-1")).isEmpty();
    }

    @Test
    void eachServiceHasItsOwnTable() {
        // given
        JdbcAsyncJobJournal jobs = new JdbcAsyncJobJournal(dataSource, "cloudstack_async_jobs", CLOCK);
        JdbcAsyncJobJournal failovers = new JdbcAsyncJobJournal(dataSource, "failover_cloudstack_async_jobs", CLOCK);

        // when
        failovers.recorded("1/deployVirtualMachine/pgtest1-1a2b3c4d", "deployVirtualMachine", "job-9");

        // then
        assertThat(failovers.recordedJob("1/deployVirtualMachine/pgtest1-1a2b3c4d")).contains("job-9");
        assertThat(jobs.recordedJob("1/deployVirtualMachine/pgtest1-1a2b3c4d")).isEmpty();
    }

    @Test
    void racingRecordsOfOneOperationLeaveOneOfTheirJobs() throws Exception {
        // given
        JdbcAsyncJobJournal journal = new JdbcAsyncJobJournal(dataSource, "cloudstack_async_jobs", CLOCK);
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();

        // when
        for (int i = 0; i < racers; i++) {
            String jobId = "job-" + i;
            done.add(pool.submit(() -> {
                go.await();
                journal.recorded("1/createVolume/race", "createVolume", jobId);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // then no upsert failed and exactly one job is recorded
        Optional<String> recorded = journal.recordedJob("1/createVolume/race");
        assertThat(recorded).isPresent();
        assertThat(recorded.get()).matches("job-[0-7]");
    }

    @Test
    void aTableNameThatIsNotOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new JdbcAsyncJobJournal(dataSource, "jobs; drop table x", CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a table name: jobs; drop table x");
    }
}
