package io.migratekit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's every figure, run once with tiny counts on a real standalone stack, so that its code
 * cannot rot: asserts only what the runs must be — every request answered exactly once with the answer
 * the mix calls for, no second active job, every failover completed with its events read, every job
 * followed and ended, contexts restored after job-service's restart — never how
 * fast anything was. (The cold starts in fresh JVMs are left out: the stack's start in this JVM is
 * figure 7's path.)
 */
class PipelineBenchmarkSmokeTest {

    private static final int PARTITIONS = 3;
    private static final int VMS = 60;
    private static final double JOB_SHARE = 0.2;
    private static final int CONTEXTS = 200;
    private static final int FAILOVERS = 2;
    private static final int FOLLOWED_JOBS = 20;

    @TempDir
    Path dir;

    @Test
    void everyFigureRunsWithTinyCountsAndEveryRequestIsAnsweredExactlyOnce() throws Exception {
        // given: tiny counts for every figure, one run each
        Path reportFile = dir.resolve("report.md");
        BenchmarkOptions options = BenchmarkOptions.parse("--repeats=1", "--partitions=" + PARTITIONS,
                "--data-dir=" + dir.resolve("data"), "--report=" + reportFile, "--floor-rate=200", "--floor-seconds=1",
                "--floor-burst=500", "--job-rate=10", "--job-warmup-seconds=1", "--job-seconds=2", "--job-light-rate=5",
                "--decision-vms=" + VMS, "--job-share=" + JOB_SHARE, "--failovers=" + FAILOVERS,
                "--failover-parallel=" + FAILOVERS, "--followed-jobs=" + FOLLOWED_JOBS, "--follow-warmup-seconds=1",
                "--follow-seconds=3", "--state-contexts=" + CONTEXTS, "--cold-starts=0",
                "--drain-seconds=60",
                // Static members leave the group when job-service stops, so its restart is not held up by
                // the 45 s session timeout a dynamic member is waited for (see docs/benchmarks.md).
                "--set=spring.kafka.streams.properties.group.instance.id=benchmarks-smoke-test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipelineBenchmark benchmark = new PipelineBenchmark(options, new PrintStream(out, true, StandardCharsets.UTF_8));

        // when
        benchmark.run();

        // then: no run found a request answered twice, wrongly or not at all
        assertThat(benchmark.failures()).isEmpty();
        assertThat(benchmark.correct()).isTrue();

        // figure 1: every record of the latency run timed, a burst throughput
        assertThat(benchmark.floorRuns()).singleElement().satisfies(run -> {
            assertThat(run.latency().count()).isEqualTo(200);
            assertThat(run.recordsPerSecond()).isPositive();
        });

        // figure 2: every measured request answered 201, each stage of the path timed
        assertThat(benchmark.jobRuns()).singleElement().satisfies(run -> {
            assertThat(run.statuses()).isEqualTo(Map.of(201, 20));
            assertThat(run.latency().count()).isEqualTo(20);
            assertThat(run.stages()).hasSize(StageTimes.STAGES.size())
                    .allSatisfy((stage, time) -> assertThat(time.count()).as(stage).isEqualTo(20));
        });
        assertThat(benchmark.lightJobRun().statuses()).isEqualTo(Map.of(201, 10));

        // figure 3: the mix's answers, through discovery and into the decision alone
        assertThat(benchmark.decisionRuns()).singleElement().satisfies(PipelineBenchmarkSmokeTest::assertMixAnswered);
        assertThat(benchmark.decisionOnlyRuns()).singleElement().satisfies(PipelineBenchmarkSmokeTest::assertMixAnswered);

        // figure 4: every live failover completed, its final sync's JobCompleted and target_vm start read
        assertThat(benchmark.failoverRun()).satisfies(run -> {
            assertThat(run.problems()).isEmpty();
            assertThat(run.requested()).isEqualTo(FAILOVERS);
            assertThat(run.completed()).isEqualTo(FAILOVERS);
            assertThat(run.reaction().count()).isEqualTo(FAILOVERS);
        });

        // figure 5: every job created once, started, followed through the window, polled, and failed afterwards
        assertThat(benchmark.fanInRun()).satisfies(run -> {
            assertThat(run.verdict().byKind()).isEqualTo(Map.of("context_created_with_job", (long) FOLLOWED_JOBS,
                    "job_created", (long) FOLLOWED_JOBS));
            assertThat(run.verdict().correct()).isTrue();
            assertThat(run.started()).isEqualTo(FOLLOWED_JOBS);
            assertThat(run.window().followedMin()).isEqualTo(FOLLOWED_JOBS);
            assertThat(run.window().followedMax()).isEqualTo(FOLLOWED_JOBS);
            assertThat(run.window().pollsPerSecond()).isPositive();
            assertThat(run.failedByReason()).isEqualTo(Map.of("VMA_REPORTED_FAILURE", FOLLOWED_JOBS));
            assertThat(run.completed()).isZero();
        });

        // figure 6: one context per VM, the mix at that size, and the contexts back after each restart
        assertThat(benchmark.materialized().verdict().byKind()).isEqualTo(Map.of("context_created", (long) CONTEXTS));
        assertThat(benchmark.materialized().verdict().correct()).isTrue();
        assertThat(benchmark.decisionAtScaleRuns()).singleElement().satisfies(PipelineBenchmarkSmokeTest::assertMixAnswered);
        assertThat(benchmark.restores()).hasSize(2).allSatisfy(restore -> {
            assertThat(restore.verdict().byKind()).isEqualTo(Map.of("rejected_VM_ALREADY_MANAGED", (long) PARTITIONS));
            assertThat(restore.verdict().correct()).isTrue();
        });
        assertThat(benchmark.restores()).extracting(StateScale.Restore::wiped).containsExactly(false, true);

        // figure 7: the stack's memory was read
        assertThat(benchmark.idleMemory().jvmRss()).isPositive();
        assertThat(benchmark.idleMemory().childrenByName()).containsKeys("PostgreSQL", "schema registry (JVM)");

        // and the report holds the summary of every figure
        String report = Files.readString(reportFile);
        assertThat(report).isEqualTo(out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
        assertThat(report).contains("## Summary", "| 1 raw Kafka hop", "| 2 job creation", "| 2b job creation",
                "| 3 decisions/s", "| 3b decisions/s", "| 4 failover reaction time", "| 5 progress fan-in",
                "| 6 contexts materialized", "| 6 decisions/s at", "| 6 job-service restore", "| 7 cold start",
                "| 7 memory idle", "| 7 memory under figure 3's load");
    }

    /**
     * The mix of {@link DecisionLoad} over {@value #VMS} VMs: every first request a context (with a job for
     * the job share), repeated requests dropped, every second request refused — or, when the VM's job
     * had already ended, a new job.
     */
    private static void assertMixAnswered(PipelineBenchmark.DecisionRun run) {
        int jobs = 0;
        int seconds = 0;
        int secondsOnJobs = 0;
        for (int i = 0; i < VMS; i++) {
            boolean job = DecisionLoad.startsJob(i, JOB_SHARE);
            jobs += job ? 1 : 0;
            seconds += i % 2 == 1 ? 1 : 0;
            secondsOnJobs += i % 2 == 1 && job ? 1 : 0;
        }
        RunLedger.Verdict verdict = run.verdict();
        long ended = verdict.endedBeforeSecondRequest();
        Map<String, Long> expected = new TreeMap<>(Map.of(
                "context_created", (long) (VMS - jobs),
                "context_created_with_job", (long) jobs,
                "job_created", jobs + ended,
                "rejected_VM_ALREADY_MANAGED", (long) (seconds - secondsOnJobs)));
        if (secondsOnJobs - ended > 0) {
            expected.put("rejected_ACTIVE_REPLICATION_JOB", secondsOnJobs - ended);
        }
        assertThat(verdict.byKind()).isEqualTo(expected);
        assertThat(verdict.expected()).isEqualTo(VMS + seconds);
        assertThat(verdict.answered()).isEqualTo(VMS + seconds);
        assertThat(verdict.duplicateOutcomes()).isZero();
        assertThat(verdict.unexpected()).isZero();
        assertThat(verdict.secondActiveJobs()).isZero();
        assertThat(run.result().complete()).isTrue();
        assertThat(run.result().published()).isEqualTo(VMS + seconds + VMS / 3);
    }
}
