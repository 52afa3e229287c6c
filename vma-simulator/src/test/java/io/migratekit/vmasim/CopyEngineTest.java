package io.migratekit.vmasim;

import static io.migratekit.vmasim.SimTestSupport.get;
import static io.migratekit.vmasim.SimTestSupport.json;
import static io.migratekit.vmasim.SimTestSupport.post;
import static io.migratekit.vmasim.SimTestSupport.replicateBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The simulated copy engine: the per-disk {@code completed} trap, the change-id callbacks (GET
 * before, POST after each disk, bearer token), full vs incremental, retries, idempotent replicate
 * and the start-up 404.
 */
class CopyEngineTest {

    private static final long MIB = 1024L * 1024;
    private static final String TOKEN = "vma-callback-token-for-tests";

    private SimTestSupport.StubOma oma;
    private VmaSimulator sim;
    private Inventory inventory;

    @BeforeEach
    void setUp() throws Exception {
        oma = new SimTestSupport.StubOma();
        inventory = Inventory.empty();
    }

    @AfterEach
    void tearDown() {
        if (sim != null) {
            sim.close();
        }
        oma.close();
    }

    private void start(SimulatorConfig.Builder config) {
        sim = VmaSimulator.start(config.inventory(inventory)
                .tickInterval(Duration.ofMillis(10))
                .callbackRetryBackoff(Duration.ofMillis(20))
                .build());
    }

    private String progressUrl(String jobId) {
        return sim.baseUrl() + "/api/v1/progress/" + jobId;
    }

    /** Progress is a plain-text 404 until the engine's first update; on a busy machine that takes a while. */
    private void awaitVisible(String jobId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> get(progressUrl(jobId)).statusCode() == 200);
    }

    @Test
    void multiDiskJobReportsCompletedAtTheEndOfEachDisk() {
        SimVm vm = inventory.add(SimVm.builder("trap01").disk(256 * MIB).disk(256 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(2048 * MIB).diskGap(Duration.ZERO).omaToken(TOKEN));
        CountDownLatch holdFirstCallback = new CountDownLatch(1);
        oma.postGates.put("disk-2000", holdFirstCallback);

        assertThat(post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-trap-1", vm, oma.url())).statusCode())
                .isEqualTo(200);

        awaitVisible("job-trap-1");
        JsonNode intermediate = await().atMost(Duration.ofSeconds(10))
                .until(() -> json(get(progressUrl("job-trap-1"))), p -> "completed".equals(p.get("status").asString()));
        long total = intermediate.get("total_bytes").asLong();
        assertThat(total).isEqualTo(512 * MIB);
        assertThat(intermediate.get("bytes_transferred").asLong()).as("first 'completed' is only disk 1").isEqualTo(256 * MIB);
        assertThat(intermediate.get("percentage").asDouble()).as("the current disk's percentage").isEqualTo(100.0);
        assertThat(intermediate.get("disk_progresses").get(0).get("status").asString()).isEqualTo("completed");
        assertThat(intermediate.get("disk_progresses").get(1).get("status").asString()).isEqualTo("pending");
        assertThat(sim.job("job-trap-1").orElseThrow().finished()).isFalse();

        holdFirstCallback.countDown();
        JsonNode second = await().atMost(Duration.ofSeconds(10))
                .until(() -> json(get(progressUrl("job-trap-1"))), p -> "in_progress".equals(p.get("status").asString())
                        || p.get("bytes_transferred").asLong() == total);
        JsonNode done = await().atMost(Duration.ofSeconds(10))
                .until(() -> json(get(progressUrl("job-trap-1"))),
                        p -> "completed".equals(p.get("status").asString()) && p.get("bytes_transferred").asLong() == total);
        assertThat(second.get("bytes_transferred").asLong()).isGreaterThanOrEqualTo(256 * MIB);
        assertThat(done.get("disk_progresses").get(1).get("status").asString()).isEqualTo("completed");
        assertThat(done.get("sync_type").asString()).isEqualTo("full");
        assertThat(done.get("errors").size()).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> sim.job("job-trap-1").orElseThrow().finished());
        JsonNode later = json(get(progressUrl("job-trap-1")));
        assertThat(later.get("status").asString()).as("finished jobs stay readable").isEqualTo("completed");
        assertThat(later.get("bytes_transferred").asLong()).isEqualTo(total);
    }

    @Test
    void intermediateCompletedIsVisibleDuringTheConfiguredGap() {
        SimVm vm = inventory.add(SimVm.builder("gap01").disk(64 * MIB).disk(64 * MIB));
        // Half a second per disk, so a poller on a busy machine still sees the second disk in progress.
        start(SimulatorConfig.builder().copyRateBytesPerSecond(128 * MIB).diskGap(Duration.ofSeconds(1)));
        post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-gap-1", vm, oma.url()));

        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            HttpResponse<String> r = get(progressUrl("job-gap-1"));
            if (r.statusCode() == 200) {
                JsonNode p = json(r);
                String mark = p.get("status").asString() + "@" + (p.get("bytes_transferred").asLong() == p.get("total_bytes").asLong() ? "all" : "part");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(mark)) {
                    seen.add(mark);
                }
            }
            return !seen.isEmpty() && seen.get(seen.size() - 1).equals("completed@all");
        });
        assertThat(seen).containsSubsequence("completed@part", "in_progress@part", "completed@all");
    }

    @Test
    void withoutATokenTheEngineCallsBackAsTheDeployedOneWithoutAnAuthorizationHeader() {
        // given: no VMA_SIM_OMA_TOKEN (the deployed copy engine's way)
        SimVm vm = inventory.add(SimVm.builder("notoken01").disk(8 * MIB).disk(8 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(256 * MIB).diskGap(Duration.ZERO));

        // when
        post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-notoken-1", vm, oma.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.job("job-notoken-1").orElseThrow().finished());

        // then: both lookups and both posts, none with an Authorization header
        List<SimTestSupport.StubOma.Call> calls = oma.calls();
        assertThat(calls).extracting(SimTestSupport.StubOma.Call::method).containsExactlyInAnyOrder("GET", "GET", "POST",
                "POST");
        assertThat(calls).extracting(SimTestSupport.StubOma.Call::authorization).containsOnlyNulls();
    }

    @Test
    void engineAsksForChangeIdsFirstThenPostsOnePerDiskWithTheBearerToken() {
        SimVm vm = inventory.add(SimVm.builder("cbt01").folder("db").disk(8 * MIB).disk(16 * MIB).disk(8 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(256 * MIB).diskGap(Duration.ZERO).omaToken(TOKEN));

        post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-cbt-1", vm, oma.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.job("job-cbt-1").orElseThrow().finished());

        List<SimTestSupport.StubOma.Call> calls = oma.calls();
        assertThat(calls).hasSize(6);
        for (SimTestSupport.StubOma.Call c : calls) {
            assertThat(c.authorization()).isEqualTo("Bearer " + TOKEN);
        }
        for (String disk : List.of("disk-2000", "disk-2001", "disk-2002")) {
            int getIndex = indexOf(calls, "GET", disk);
            int postIndex = indexOf(calls, "POST", disk);
            assertThat(getIndex).isGreaterThanOrEqualTo(0);
            assertThat(postIndex).isGreaterThan(getIndex);
            SimTestSupport.StubOma.Call g = calls.get(getIndex);
            assertThat(g.path()).isEqualTo("/api/v1/replications/changeid");
            assertThat(g.query()).containsEntry("vm_path", "/DemoDC/vm/db/cbt01").containsEntry("disk_id", disk);
            SimTestSupport.StubOma.Call p = calls.get(postIndex);
            assertThat(p.path()).isEqualTo("/api/v1/replications/job-cbt-1/changeid");
            assertThat(p.body().get("change_id").asString()).matches(ChangeIds.FORMAT.pattern());
            assertThat(p.body().get("disk_id").asString()).isEqualTo(disk);
            assertThat(p.body().get("previous_change_id").asString()).isEmpty();
        }
        assertThat(calls.subList(0, 3)).allMatch(c -> c.method().equals("GET"));
        assertThat(calls.subList(3, 6)).extracting(SimTestSupport.StubOma.Call::diskId)
                .containsExactly("disk-2000", "disk-2001", "disk-2002");
        JobSnapshot job = sim.job("job-cbt-1").orElseThrow();
        assertThat(job.disks()).allMatch(d -> d.callbackDone() && !d.changeId().isEmpty());
    }

    private static int indexOf(List<SimTestSupport.StubOma.Call> calls, String method, String disk) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).method().equals(method) && disk.equals(calls.get(i).diskId())) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void previousChangeIdMeansIncrementalCopyOfAFraction() {
        SimVm vm = inventory.add(SimVm.builder("incr01").disk(100 * MIB).disk(50 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(1024 * MIB).diskGap(Duration.ZERO).incrementalFraction(0.1));
        String previous0 = "52 3c ec 17 6d 4e 2f 8a-b1 9c 0e 3a 7f 22 51 d4/4";
        String previous1 = "52 aa bb cc dd ee ff 00-11 22 33 44 55 66 77 88/12";
        oma.changeIds.put(vm.path() + "|disk-2000", previous0);
        oma.changeIds.put(vm.path() + "|disk-2001", previous1);

        post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-incr-1", vm, oma.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.job("job-incr-1").orElseThrow().finished());

        JsonNode p = json(get(progressUrl("job-incr-1")));
        assertThat(p.get("sync_type").asString()).isEqualTo("incremental");
        assertThat(p.get("total_bytes").asLong()).isEqualTo(Math.round(100 * MIB * 0.1) + Math.round(50 * MIB * 0.1));
        List<SimTestSupport.StubOma.Call> posts = oma.calls().stream().filter(c -> c.method().equals("POST")).toList();
        assertThat(posts.get(0).body().get("previous_change_id").asString()).isEqualTo(previous0);
        String next = posts.get(0).body().get("change_id").asString();
        assertThat(next).startsWith("52 3c ec 17 6d 4e 2f 8a-b1 9c 0e 3a 7f 22 51 d4/");
        assertThat(Long.parseLong(next.substring(next.indexOf('/') + 1))).isGreaterThan(4);
        assertThat(posts.get(1).body().get("previous_change_id").asString()).isEqualTo(previous1);
        assertThat(oma.calls()).allMatch(c -> c.authorization() == null);
    }

    @Test
    void failedCallbacksAreRetriedThenRecordedInErrors() {
        SimVm vm = inventory.add(SimVm.builder("retry01").disk(8 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(1024 * MIB).callbackAttempts(3));
        oma.postFailuresLeft.set(2);
        post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-retry-1", vm, oma.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.job("job-retry-1").orElseThrow().finished());
        assertThat(oma.calls().stream().filter(c -> c.method().equals("POST")).count()).isEqualTo(3);
        assertThat(json(get(progressUrl("job-retry-1"))).get("errors").size()).isZero();

        oma.alwaysFailPosts = true;
        post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-retry-2", vm, oma.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.job("job-retry-2").orElseThrow().finished());
        JsonNode p = json(get(progressUrl("job-retry-2")));
        assertThat(p.get("status").asString()).isEqualTo("completed");
        assertThat(p.get("errors").size()).isEqualTo(1);
        assertThat(p.get("errors").get(0).asString()).contains("disk-2000").contains("HTTP 500");
        assertThat(p.get("last_error").asString()).isEmpty();
        assertThat(oma.callsFor("job-retry-2")).hasSize(3);
    }

    @Test
    void unreachableOmaMeansFullCopyWithTheLookupErrorRecorded() {
        SimVm vm = inventory.add(SimVm.builder("nooma01").disk(8 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(1024 * MIB).callbackAttempts(1));
        String deadOma = oma.url();
        oma.close();
        post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-nooma-1", vm, deadOma));
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.job("job-nooma-1").orElseThrow().finished());
        JsonNode p = json(get(progressUrl("job-nooma-1")));
        assertThat(p.get("sync_type").asString()).isEqualTo("full");
        assertThat(p.get("status").asString()).isEqualTo("completed");
        assertThat(p.get("errors").size()).isEqualTo(2);
    }

    @Test
    void replicateIsIdempotentPerJobIdAndRejectsReuseForAnotherVm() {
        SimVm vm = inventory.add(SimVm.builder("idem01").disk(512 * MIB));
        SimVm other = inventory.add(SimVm.builder("idem02").disk(8 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(64 * MIB));
        JsonNode first = json(post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-idem-1", vm, oma.url())));
        HttpResponse<String> again = post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-idem-1", vm, oma.url()));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("started_at").asString()).isEqualTo(first.get("started_at").asString());
        assertThat(sim.jobs()).hasSize(1);

        HttpResponse<String> conflict = post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-idem-1", other, oma.url()));
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(sim.jobs()).hasSize(1);
    }

    @Test
    void progressIs404UntilTheEngineStartsAndNotBefore() {
        SimVm vm = inventory.add(SimVm.builder("late01").disk(8 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(1024 * MIB).progressStartDelay(Duration.ofMillis(500)));
        assertThat(post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-late-1", vm, oma.url())).statusCode()).isEqualTo(200);
        HttpResponse<String> early = get(progressUrl("job-late-1"));
        assertThat(early.statusCode()).isEqualTo(404);
        assertThat(early.body().trim()).isEqualTo("job not found");
        assertThat(oma.calls()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> get(progressUrl("job-late-1")).statusCode() == 200);
    }

    @Test
    void jobPercentageModeReportsTheWholeJob() {
        SimVm vm = inventory.add(SimVm.builder("pct01").disk(64 * MIB).disk(64 * MIB));
        start(SimulatorConfig.builder().copyRateBytesPerSecond(1024 * MIB)
                .percentageMode(SimulatorConfig.PercentageMode.JOB).reportDiskProgress(false));
        CountDownLatch hold = new CountDownLatch(1);
        oma.postGates.put("disk-2000", hold);
        post(sim.baseUrl() + "/api/v1/replicate", replicateBody("job-pct-1", vm, oma.url()));
        awaitVisible("job-pct-1");
        JsonNode p = await().atMost(Duration.ofSeconds(10))
                .until(() -> json(get(progressUrl("job-pct-1"))), n -> "completed".equals(n.get("status").asString()));
        hold.countDown();
        assertThat(p.get("percentage").asDouble()).isEqualTo(50.0);
        assertThat(p.get("disk_progresses").size()).isZero();
    }
}
