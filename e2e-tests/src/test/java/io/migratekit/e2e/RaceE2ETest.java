package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.json;
import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.vmasim.SimVm;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent requests for the same VM never create two jobs, and every request gets an answer. */
class RaceE2ETest {

    static Pipeline pipeline;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
    }

    @Test
    void twoHundredConcurrentRequestsForOneVmGiveOneJobAnd199Conflicts() {
        SimVm vm = pipeline.newVm("race-one", 1);
        pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(5);

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            responses.add(pipeline.postAsync("/replications", requestFor(vm), pipeline.stack.apiToken()));
        }
        Map<Integer, Long> byStatus = responses.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

        assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 409, 199L));
        assertThat(pipeline.stack.simulator().jobs().stream().filter(j -> j.vmId().equals(vm.id())).count())
                .isEqualTo(1);
    }

    @Test
    void aThousandConcurrentRequestsOverFiftyVmsGiveFiftyJobs() {
        List<SimVm> vms = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            SimVm vm = pipeline.newVm("race-many", 1);
            pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(5);
            vms.add(vm);
        }

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            responses.add(pipeline.postAsync("/replications", requestFor(vms.get(i % 50)), pipeline.stack.apiToken()));
        }
        Map<String, Integer> jobsPerVm = new HashMap<>();
        Map<Integer, Long> byStatus = new HashMap<>();
        for (CompletableFuture<HttpResponse<String>> future : responses) {
            HttpResponse<String> response = future.join();
            byStatus.merge(response.statusCode(), 1L, Long::sum);
            if (response.statusCode() == 201) {
                jobsPerVm.merge(json(response).get("source_vm").get("id").asString(), 1, Integer::sum);
            }
        }

        assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 50L, 409, 950L));
        assertThat(jobsPerVm).hasSize(50).allSatisfy((vm, jobs) -> assertThat(jobs).isEqualTo(1));
    }
}
