package io.migratekit.bench;

import io.migratekit.events.FailoverStep;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.StepStatus;
import io.migratekit.schemas.Topics;
import io.migratekit.standalone.Stack;
import io.migratekit.vmasim.SimVm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Figure 4: failover-service's reaction time. Runs live failovers through the REST API, {@code parallel}
 * at once: for each a VM new to the pipeline is replicated ({@code POST /api/v1/replications}), waited for
 * until its context is {@code ready_for_failover} (its job completed, as the read model shows it), then
 * failed over live ({@code POST /api/v1/failovers}) and waited for until the failover ended. The reaction
 * delay of one failover is read from the events themselves, one clock: the {@code occurred_at} of the
 * {@code target_vm} step's {@code started} minus that of the final sync's {@code JobCompleted} (stamped by
 * progress-service, matched by failover id). The power-off and the target VM run on the simulated VMA and
 * CloudStack, at once. Owns its HTTP client, its event reader and its VMs (removed from the simulator at
 * the end); does not own the failover process (failover-service does).
 */
final class FailoverReaction {

    static final Set<String> ENDED = Set.of("completed", "failed", "cleaned_up");
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration EVENT_WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Stack stack;
    private final PlatformClients clients;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** By failover id: the final sync's JobCompleted and the target_vm step's start, as read from the topics. */
    private final Map<String, Instant> syncCompleted = new ConcurrentHashMap<>();
    private final Map<String, Instant> targetStarted = new ConcurrentHashMap<>();

    FailoverReaction(Stack stack, PlatformClients clients) {
        this.stack = stack;
        this.clients = clients;
    }

    /** {@code count} live failovers, {@code parallel} at once, each on a new VM named {@code <tag>-…}. */
    Run run(String tag, int count, int parallel) throws InterruptedException {
        List<SimVm> vms = BenchVms.create(tag, count);
        Histogram delays = Latency.histogram();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (TopicTail tail = new TopicTail(clients, "bench-failover-events",
                List.of(Topics.JOB_COMPLETED, Topics.FAILOVER_STEP_CHANGED), this::onEvent)) {
            ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> new Thread(r, "bench-failover"));
            try {
                List<Future<Long>> runs = new ArrayList<>();
                for (SimVm vm : vms) {
                    runs.add(pool.submit(() -> reactionMillis(vm)));
                }
                for (int i = 0; i < runs.size(); i++) {
                    try {
                        long millis = runs.get(i).get();
                        Latency.record(delays, millis * 1_000_000L);
                    } catch (ExecutionException e) {
                        problems.add(vms.get(i).name() + ": " + e.getCause().getMessage());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            tail.check();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(count, (int) delays.getTotalCount(), Latency.of(delays), seconds, List.copyOf(problems), vms);
    }

    private void onEvent(String key, SpecificRecord event) {
        if (event instanceof JobCompleted completed && completed.getFailoverId() != null) {
            syncCompleted.putIfAbsent(completed.getFailoverId(), completed.getOccurredAt());
        } else if (event instanceof FailoverStepChanged step && step.getStep() == FailoverStep.target_vm
                && step.getStatus() == StepStatus.started) {
            targetStarted.putIfAbsent(step.getFailoverId(), step.getOccurredAt());
        }
    }

    /** One live failover of a freshly replicated VM; its reaction delay in milliseconds. */
    private long reactionMillis(SimVm vm) throws InterruptedException {
        stack.simulator().inventory().add(vm);
        HttpResponse<String> started = post("/replications", BenchVms.restBody(vm));
        if (started.statusCode() != 201) {
            throw new IllegalStateException("the initial replication did not start: " + started.statusCode() + " "
                    + started.body());
        }
        await("/vm-contexts/" + vm.name(),
                body -> "ready_for_failover".equals(body.path("context").path("current_status").asString("")));
        ObjectNode request = JSON.createObjectNode().put("vm_name", vm.name()).put("failover_type", "live");
        HttpResponse<String> accepted = post("/failovers", request.toString());
        JsonNode answer = json(accepted);
        if (accepted.statusCode() != 202 || !"validated".equals(answer.path("status").asString(""))) {
            throw new IllegalStateException("failover not accepted: " + accepted.statusCode() + " " + accepted.body());
        }
        String failoverId = answer.get("failover_job_id").asString();
        JsonNode failover = await("/failovers/" + failoverId, body -> ENDED.contains(body.path("status").asString("")));
        if (!"completed".equals(failover.path("status").asString(""))) {
            throw new IllegalStateException("failover " + failoverId + " did not complete: " + failover);
        }
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (!syncCompleted.containsKey(failoverId) || !targetStarted.containsKey(failoverId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("failover " + failoverId + ": the final sync's JobCompleted "
                        + (syncCompleted.containsKey(failoverId) ? "read" : "NOT read") + ", the target_vm step's start "
                        + (targetStarted.containsKey(failoverId) ? "read" : "NOT read") + " within " + EVENT_WAIT);
            }
            Thread.sleep(POLL.toMillis());
        }
        return Duration.between(syncCompleted.get(failoverId), targetStarted.get(failoverId)).toMillis();
    }

    /** GET {@code path} until its 200 body matches (at most {@link #WAIT}); returns that body. */
    private JsonNode await(String path, Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> response;
        do {
            response = send(request(path).GET().build());
            if (response.statusCode() == 200 && wanted.test(json(response))) {
                return json(response);
            }
            Thread.sleep(POLL.toMillis());
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException(path + " not as expected within " + WAIT.toSeconds() + " s: "
                + response.statusCode() + " " + response.body());
    }

    private HttpResponse<String> post(String path, String body) throws InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(stack.apiUrl() + path)).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + stack.apiToken());
    }

    private HttpResponse<String> send(HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            return JSON.createObjectNode();
        }
    }

    /**
     * @param requested failovers requested
     * @param completed of those, how many completed with both events read (their delays are in {@code reaction})
     * @param reaction  the final sync's JobCompleted → the target_vm step started, from the events' occurred_at
     * @param seconds   the whole run, replications included
     * @param problems  what went wrong with the others
     * @param vms       the run's VMs (to remove from the simulator once the pipeline is idle)
     */
    record Run(int requested, int completed, Latency reaction, double seconds, List<String> problems, List<SimVm> vms) {

        boolean correct() {
            return completed == requested && problems.isEmpty();
        }
    }
}
