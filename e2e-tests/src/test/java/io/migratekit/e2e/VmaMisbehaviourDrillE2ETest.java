package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.VmFaults;
import io.migratekit.vmasim.VmaCall;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Drill 9 of docs/reliability.md: the VMA misbehaves — slow, half a JSON answer, 500s, no answer
 * within the deadline, a VM that vanishes between discovery and replicate, progress that turns to
 * garbage while the copy runs. Every case runs at the same time, each on its own VM; requests are
 * sent with {@code Prefer: respond-async} and their outcome read from the outcome URL, so a slow
 * machine changes nothing. Pass: a slow VMA, and one that answers replicate only after the deadline but
 * starts the copy, still give a job; every other case ends the request
 * (or the job) with an outcome and a message that say what went wrong; and afterwards, the fault
 * gone, the next request for the VM is accepted (nothing blocks a VM forever). Owns no stack: it uses the shared {@link Pipeline}.
 */
class VmaMisbehaviourDrillE2ETest {

    static Pipeline pipeline;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
    }

    /** One misbehaviour: the fault, and the outcome of the request it must give, with words of its message. */
    record Case(String name, Consumer<VmFaults> fault, String outcome, String messageMentions) {
    }

    @Test
    void everyMisbehaviourGivesAClearOutcomeAndLeavesTheVmFree() {
        List<Case> cases = List.of(
                new Case("slow", f -> f.responseDelay(Duration.ofSeconds(3)), "job_started", ""),
                new Case("garbled-discovery", f -> f.malformedJson(VmaCall.DISCOVER), "discovery_failed", "JSON"),
                new Case("discovery-500", f -> f.discoveryError(true), "discovery_failed", "500"),
                new Case("discovery-timeout", f -> f.discoveryDelay(Duration.ofSeconds(20)), "discovery_failed",
                        "15"),
                new Case("replicate-500", f -> f.replicateError(true), "job_failed", "500"),
                new Case("garbled-replicate", f -> f.malformedJson(VmaCall.REPLICATE), "job_failed", "JSON"),
                // The answer comes after the 15 s deadline, but the VMA starts the copy: the workflow finds the job
                // on the VMA within its no-job grace (30 s) and counts it as started, keeping its volumes.
                new Case("replicate-timeout", f -> f.replicateDelay(Duration.ofSeconds(40)), "job_started", ""),
                new Case("vanished", f -> f.vanishAfterDiscovery(true), "job_failed", "404"),
                new Case("garbled-progress", f -> { }, "job_started", ""));

        // given: one VM per case with its fault; every copy stalls so a started job stays running
        List<SimVm> vms = cases.stream().map(c -> {
            SimVm vm = pipeline.newVm("vma-" + c.name(), 1);
            c.fault().accept(pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(5));
            return vm;
        }).toList();

        // when: every VM is requested at once (answered at once, outcomes read from the request's URL)
        long begin = System.nanoTime();
        List<String> requests = vms.stream().map(VmaMisbehaviourDrillE2ETest::requestAsync).toList();

        // then: each case its own outcome, with a message that says what went wrong
        List<JsonNode> outcomes = requests.stream().map(VmaMisbehaviourDrillE2ETest::awaitDecided).toList();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode outcome = outcomes.get(i);
            System.out.printf("VMA drill %s: %s%n", c.name(), outcome);
            assertThat(outcome.get("outcome").asString()).as("%s: %s", c.name(), outcome).isEqualTo(c.outcome());
            assertThat(outcome.path("message").asString("")).as(c.name()).containsIgnoringCase(c.messageMentions());
        }
        // and: the job whose progress turns to garbage while it runs fails, saying the VMA's answers were unusable
        String garbledJob = outcomes.get(cases.size() - 1).get("job_id").asString();
        pipeline.stack.simulator().faults().forVm(vms.get(cases.size() - 1).id()).malformedJson(VmaCall.PROGRESS);
        JsonNode failed = awaitJobEnded(garbledJob);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("failure_reason").asString()).isEqualTo("VMA_UNREACHABLE");
        assertThat(failed.get("error_message").asString()).contains("no usable progress answer");
        System.out.printf("VMA drill garbled-progress: %s; every case ended in %d ms%n",
                failed.get("error_message").asString(), (System.nanoTime() - begin) / 1_000_000);

        // and: with the VMA healthy again, the next request for every VM whose job did not start is accepted
        for (int i = 0; i < cases.size(); i++) {
            if (!cases.get(i).outcome().equals("job_started") || cases.get(i).name().equals("garbled-progress")) {
                assertAcceptedAgain(vms.get(i));
            }
        }
    }

    /** Requests replication of the VM with {@code Prefer: respond-async}; returns the request id. */
    private static String requestAsync(SimVm vm) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(pipeline.stack.apiUrl() + "/replications"))
                .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + pipeline.stack.apiToken()).header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString(requestFor(vm).toString())).build();
        HttpResponse<String> accepted = pipeline.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json(accepted).get("request_id").asString();
    }

    /** The request as GET /replication-requests/{id} shows it once its outcome is final. */
    private static JsonNode awaitDecided(String requestId) {
        return await("request " + requestId, () -> json(pipeline.get("/replication-requests/" + requestId)),
                request -> Set.of("job_started", "job_failed", "discovery_failed", "rejected", "context_created")
                        .contains(request.path("outcome").asString("")));
    }

    private static void assertAcceptedAgain(SimVm vm) {
        pipeline.stack.simulator().faults().forVm(vm.id()).clear().stallCopyAt(5);
        HttpResponse<String> again = pipeline.post("/replications", requestFor(vm));
        assertThat(again.statusCode()).as("%s again: %s", vm.name(), again.body()).isEqualTo(201);
    }

    private static JsonNode awaitJobEnded(String jobId) {
        return await("job " + jobId, () -> json(pipeline.get("/replications/" + jobId)),
                job -> Set.of("completed", "failed").contains(job.path("status").asString("")));
    }

    private static JsonNode await(String what, Supplier<JsonNode> read, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode last;
        do {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + " did not end within 120 s: " + last);
    }
}
