package io.migratekit.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.scheduler.plan.ExecutionPlan.Counts;
import io.migratekit.scheduler.plan.ExecutionPlan.Vm;
import io.migratekit.scheduler.plan.ExecutionPlan.VmState;
import io.migratekit.scheduler.plan.ExecutionPlan.VmStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExecutionPlanTest {

    @Test
    void vmsAreRequestedInOrderUpToTheScheduleAndGroupCaps() {
        // given: group a (cap 1) first, then group b (cap 5); the schedule allows 2
        ExecutionPlan plan = ExecutionPlan.fresh(2, Map.of("a", 1, "b", 5), 0,
                List.of(vm("a1", "a"), vm("a2", "a"), vm("b1", "b"), vm("b2", "b")));

        // when / then: a1, then b1 (a is full), nothing more
        assertThat(plan.requestable()).extracting(s -> s.vm().vmwareVmId()).containsExactly("a1", "b1");
        assertThat(plan.requestable()).isEmpty();

        // when: a1's job starts and ends, then a2 takes its slot
        plan.started("a1");
        plan.completed("a1");
        assertThat(plan.requestable()).extracting(s -> s.vm().vmwareVmId()).containsExactly("a2");
        assertThat(plan.counts()).isEqualTo(new Counts(4, 1, 1, 0, 0, 3));
    }

    @Test
    void aSkipFreesTheSlotAndCountsAsSkippedNotFailed() {
        ExecutionPlan plan = ExecutionPlan.fresh(1, Map.of("a", 5), 3, List.of(vm("a1", "a"), vm("a2", "a")));
        plan.requestable();

        plan.skipped("a1", "vm_in_failover");

        assertThat(plan.state("a1").orElseThrow()).isEqualTo(new VmState(vm("a1", "a"), VmStatus.SKIPPED, 1, 0, false,
                "vm_in_failover"));
        assertThat(plan.requestable()).extracting(s -> s.vm().vmwareVmId()).containsExactly("a2");
        plan.started("a2");
        plan.completed("a2");
        assertThat(plan.counts()).isEqualTo(new Counts(2, 1, 1, 0, 1, 0));
        assertThat(plan.ended()).isTrue();
        assertThat(plan.status()).isEqualTo("completed");
    }

    @Test
    void aFailedVmIsRetriedUpToTheAttemptsAndThenFailsTheExecution() {
        ExecutionPlan plan = ExecutionPlan.fresh(5, Map.of("a", 5), 1, List.of(vm("a1", "a"), vm("a2", "a")));
        plan.requestable();
        plan.started("a1");
        plan.started("a2");
        plan.completed("a2");

        plan.failed("a1", "vma_error");
        assertThat(plan.state("a1").orElseThrow().status()).isEqualTo(VmStatus.RETRY_WAIT);
        assertThat(plan.requestable()).as("not before its retry is due").isEmpty();
        assertThat(plan.ended()).isFalse();

        plan.retryDue("a1");
        assertThat(plan.requestable()).extracting(VmState::attempt).containsExactly(2);
        plan.started("a1");
        plan.failed("a1", "vma_error");

        assertThat(plan.state("a1").orElseThrow().status()).isEqualTo(VmStatus.FAILED);
        assertThat(plan.counts()).isEqualTo(new Counts(2, 2, 1, 1, 0, 0));
        assertThat(plan.ended()).isTrue();
        assertThat(plan.status()).isEqualTo("failed");
    }

    @Test
    void aVmWithARunningJobWaitsForItAndIsRequestedAfterIt() {
        ExecutionPlan plan = ExecutionPlan.fresh(1, Map.of("a", 1), 0, List.of(vm("a1", "a"), vm("a2", "a")));
        plan.requestable();

        plan.waitForActiveJob("a1");
        assertThat(plan.requestable()).extracting(s -> s.vm().vmwareVmId()).containsExactly("a2");
        assertThat(plan.counts().queued()).isEqualTo(2);

        plan.activeJobEnded("a1");
        plan.started("a2");
        plan.completed("a2");
        assertThat(plan.requestable()).as("a new request, so a new request id").extracting(s -> s.vm().vmwareVmId()
                + "#" + s.attempt()).containsExactly("a1#2");
    }

    @Test
    void eventsOfAnotherStateAreIgnored() {
        ExecutionPlan plan = ExecutionPlan.fresh(1, Map.of("a", 1), 0, List.of(vm("a1", "a")));

        assertThat(plan.completed("a1")).isEmpty();
        assertThat(plan.started("zz")).isEmpty();
        assertThat(plan.counts()).isEqualTo(new Counts(1, 0, 0, 0, 0, 1));
    }

    /** Property: under random job durations, outcomes and skips the caps hold at every moment and the counts add up. */
    @Test
    void capsAreNeverExceededAndTheAccountingIsExactUnderRandomJobs() {
        for (long seed = 1; seed <= 200; seed++) {
            Random random = new Random(seed);
            int groups = 1 + random.nextInt(4);
            Map<String, Integer> caps = new HashMap<>();
            List<Vm> vms = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                caps.put("g" + g, 1 + random.nextInt(5));
                for (int i = random.nextInt(30); i >= 0; i--) {
                    vms.add(vm("g" + g + "-vm" + i, "g" + g));
                }
            }
            int scheduleCap = 1 + random.nextInt(10);
            int retries = random.nextInt(3);
            ExecutionPlan plan = ExecutionPlan.fresh(scheduleCap, caps, retries, vms);
            int steps = 0;
            while (!plan.ended()) {
                assertThat(++steps).as("seed %d ends", seed).isLessThan(100_000);
                plan.requestable();
                assertCaps(plan, scheduleCap, caps, seed);
                List<VmState> moving = plan.states().stream()
                        .filter(s -> s.status() != VmStatus.COMPLETED && s.status() != VmStatus.FAILED
                                && s.status() != VmStatus.SKIPPED && s.status() != VmStatus.QUEUED)
                        .toList();
                VmState s = moving.get(random.nextInt(moving.size()));
                String id = s.vm().vmwareVmId();
                switch (s.status()) {
                    case REQUESTED -> {
                        int roll = random.nextInt(10);
                        if (roll == 0) {
                            plan.skipped(id, "vm_in_failover");
                        } else if (roll == 1) {
                            plan.waitForActiveJob(id);
                        } else {
                            plan.started(id);
                        }
                    }
                    case RUNNING -> {
                        if (random.nextInt(4) == 0) {
                            plan.failed(id, "vma_error");
                        } else {
                            plan.completed(id);
                        }
                    }
                    case RETRY_WAIT -> plan.retryDue(id);
                    case WAITING_ACTIVE_JOB -> plan.activeJobEnded(id);
                    default -> throw new AssertionError(s);
                }
                Counts c = plan.counts();
                assertThat(c.jobsCreated() + c.jobsSkipped() + c.queued()).as("seed %d", seed).isEqualTo(c.vmsEligible());
            }
            Counts c = plan.counts();
            assertThat(c.jobsCompleted() + c.jobsFailed()).as("seed %d", seed).isEqualTo(c.jobsCreated());
            assertThat(c.queued()).isZero();
            assertThat(c.vmsEligible()).isEqualTo(vms.size());
            assertThat(plan.status()).isEqualTo(c.jobsFailed() == 0 ? "completed" : "failed");
        }
    }

    private static void assertCaps(ExecutionPlan plan, int scheduleCap, Map<String, Integer> caps, long seed) {
        assertThat(plan.holdingSlots()).as("seed %d schedule cap", seed).isLessThanOrEqualTo(scheduleCap);
        caps.forEach((group, cap) -> assertThat(plan.holdingSlots(group)).as("seed %d group %s", seed, group)
                .isLessThanOrEqualTo(cap));
    }

    private static Vm vm(String id, String group) {
        return new Vm(id, "ctx-" + id, group);
    }
}
