package io.migratekit.drills;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady load of asynchronous replication requests, round-robin over some VMs, at a fixed pace from
 * a few threads, in the background: what a drill crashes something in the middle of. Owns its
 * threads and the answers; asserts nothing.
 */
final class RequestLoad {

    private final DrillApi api;
    private final List<DrillApi.Vm> vms;
    private final int total;
    private final Duration pause;
    private final Duration timeout;
    private final AtomicInteger next = new AtomicInteger();
    private final List<DrillApi.Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> unacknowledged = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads;

    private RequestLoad(DrillApi api, List<DrillApi.Vm> vms, int total, Duration pause, Duration timeout, int threads) {
        this.api = api;
        this.vms = List.copyOf(vms);
        this.total = total;
        this.pause = pause;
        this.timeout = timeout;
        this.threads = Executors.newFixedThreadPool(threads);
    }

    /** Starts {@code total} requests, each thread pausing {@code pause} between its requests. */
    static RequestLoad start(DrillApi api, List<DrillApi.Vm> vms, int total, int threads, Duration pause,
            Duration timeout) {
        RequestLoad load = new RequestLoad(api, vms, total, pause, timeout, threads);
        for (int i = 0; i < threads; i++) {
            load.threads.submit(load::run);
        }
        load.threads.shutdown();
        return load;
    }

    private void run() {
        int index;
        while ((index = next.getAndIncrement()) < total) {
            DrillApi.Answer answer = api.requestReplicationAsync(vms.get(index % vms.size()), timeout);
            answers.add(answer);
            if (answer.status() == 202 && answer.requestId() != null) {
                accepted.add(answer.requestId());
            }
            if (answer.status() == 503) {
                DrillApi.unacknowledgedRequestId(answer).ifPresent(unacknowledged::add);
            }
            ChildProcess.sleep(pause);
        }
    }

    /**
     * The drills' steady load: {@code total} requests round-robin over the simulator's whole inventory
     * from 3 threads, each pausing 150 ms between its requests, with a 10 s client deadline each.
     */
    static RequestLoad steady(DrillApi api, int total) {
        return start(api, api.inventory(), total, 3, Duration.ofMillis(150), Duration.ofSeconds(10));
    }

    /** Waits until this many requests have their answer. */
    void awaitAnswered(int count) {
        while (answered() < count) {
            ChildProcess.sleep(Duration.ofMillis(50));
        }
    }

    /** Requests answered so far. */
    int answered() {
        return answers.size();
    }

    void awaitDone(Duration limit) throws InterruptedException {
        if (!threads.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the load did not finish within " + limit);
        }
    }

    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    /** Requests answered 503 because the broker did not acknowledge them: they may still have been written. */
    Set<String> unacknowledged() {
        return Set.copyOf(unacknowledged);
    }

    List<DrillApi.Answer> answers() {
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    /** How many answers of each status (0: none in time, -1: connection failed). */
    Map<Integer, Integer> statuses() {
        Map<Integer, Integer> counts = new TreeMap<>();
        answers().forEach(a -> counts.merge(a.status(), 1, Integer::sum));
        return counts;
    }

    Duration slowest() {
        return answers().stream().map(DrillApi.Answer::took).max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
