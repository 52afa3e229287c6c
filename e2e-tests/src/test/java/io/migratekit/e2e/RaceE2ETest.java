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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests for the same VM never create two jobs, and every request gets an answer
 * (drill 1 of docs/reliability.md). Owns no stack: it uses the shared {@link Pipeline}.
 */
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

    /**
     * Drill 1 of docs/reliability.md: 2,000 concurrent POSTs spread over 100 VMs give exactly one
     * job per VM and 1,900 conflicts; no 5xx, no other status, and every request has its answer.
     */
    @Test
    void twoThousandConcurrentRequestsOverAHundredVmsGiveAHundredJobsAnd1900Conflicts() {
        // given: 100 VMs whose copies stall, so every job stays active while the requests race
        List<SimVm> vms = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SimVm vm = pipeline.newVm("race-many", 1);
            pipeline.stack.simulator().faults().forVm(vm.id()).stallCopyAt(5);
            vms.add(vm);
        }

        // when: 20 requests per VM, all sent at once
        long begin = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            responses.add(pipeline.postAsync("/replications", requestFor(vms.get(i % 100)), pipeline.stack.apiToken()));
        }
        Map<String, Integer> jobsPerVm = new HashMap<>();
        Map<Integer, Long> byStatus = new HashMap<>();
        List<String> conflictErrors = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> future : responses) {
            HttpResponse<String> response = future.join();
            byStatus.merge(response.statusCode(), 1L, Long::sum);
            if (response.statusCode() == 201) {
                jobsPerVm.merge(json(response).get("source_vm").get("id").asString(), 1, Integer::sum);
            } else if (response.statusCode() == 409) {
                conflictErrors.add(json(response).get("error").asString());
            }
        }
        long millis = (System.nanoTime() - begin) / 1_000_000;
        System.out.printf("race drill: 2000 requests over 100 VMs answered in %d ms (%s)%n", millis, byStatus);

        // then: one job per VM, everything else a 409 saying why, and the VMA started exactly 100 copies
        assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 100L, 409, 1900L));
        assertThat(jobsPerVm).hasSize(100).allSatisfy((vm, jobs) -> assertThat(jobs).isEqualTo(1));
        assertThat(conflictErrors).containsOnly("VM has active replication job");
        Set<String> vmIds = vms.stream().map(SimVm::id).collect(Collectors.toSet());
        assertThat(pipeline.stack.simulator().jobs().stream().filter(j -> vmIds.contains(j.vmId())).count())
                .isEqualTo(100);
    }
}
