package io.migratekit.scheduler.it;

import static io.migratekit.db.Tables.EXECUTION_VMS;
import static io.migratekit.db.Tables.GROUP_MEMBERSHIPS;
import static io.migratekit.db.Tables.MACHINE_GROUPS;
import static io.migratekit.db.Tables.SCHEDULES;
import static io.migratekit.db.Tables.SCHEDULE_EXECUTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.db.tables.records.ScheduleExecutionsRecord;
import io.migratekit.events.GroupMembershipChanged;
import io.migratekit.events.MachineGroupDefined;
import io.migratekit.events.ScheduleDefined;
import io.migratekit.events.ScheduleExecutionCompleted;
import io.migratekit.events.ScheduleTriggerRequested;
import io.migratekit.platform.schedule.ScheduleCron;
import io.migratekit.scheduler.it.SchedulerHarness.Answer;
import io.migratekit.scheduler.it.SchedulerHarness.Seen;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * scheduler-service end to end against the real broker, registry and PostgreSQL, two instances in one
 * JVM, while the test plays job-intake (definitions, triggers) and the decision and workflow (the
 * answers to the scheduler's requests, the jobs' ends).
 */
class SchedulerServiceIntegrationTest {

    /** A cron time that does not come during the test. */
    private static final String NEVER_SOON = "0 0 1 1 *";

    private static SchedulerHarness harness;

    @BeforeAll
    static void start() {
        harness = new SchedulerHarness(Map.of("migratekit.scheduler.missed-grace", "10m"));
        harness.start("s-b");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aTriggeredGroupReplicatesEveryVmUnderItsCapsAndTheExecutionAddsUp() throws Exception {
        // given: a schedule of 3 jobs at once, a group of 8 VMs (2 at once) and one of 4 VMs (5 at once), one VM disabled
        String schedule = schedule("caps", NEVER_SOON, 3, 0, true);
        String groupA = group("caps-a", schedule, 2, 10);
        String groupB = group("caps-b", schedule, 5, 20);
        List<String> vms = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String vm = vm("caps-" + i, i < 8 ? groupA : groupB, true, i, Answer.COMPLETE);
            vms.add(vm);
        }
        vm("caps-disabled", groupB, false, 0, Answer.COMPLETE);

        // when
        String trigger = trigger(schedule, "before the cutover");

        // then: one execution, completed, every eligible VM replicated once, caps never exceeded
        ScheduleExecutionsRecord execution = awaitEnded("exec-manual-" + trigger);
        assertThat(execution.getStatus()).isEqualTo("completed");
        assertThat(counts(execution)).containsExactly(12, 12, 12, 0, 0, 0);
        assertThat(execution.getTriggeredBy()).isEqualTo("operator-tests");
        assertThat(execution.getReason()).isEqualTo("before the cutover");
        List<Seen> seen = harness.requests.stream().filter(s -> s.executionId().equals(execution.getExecutionId())).toList();
        assertThat(seen).extracting(Seen::vmId).containsExactlyInAnyOrderElementsOf(vms);
        assertThat(seen).allSatisfy(s -> assertThat(s.scheduledBy()).isEqualTo("operator-tests"));
        assertThat(harness.db.selectFrom(EXECUTION_VMS).where(EXECUTION_VMS.EXECUTION_ID.eq(execution.getExecutionId()))
                .orderBy(EXECUTION_VMS.SEQ).fetch(EXECUTION_VMS.VMWARE_VM_ID)).as("group a (priority 10) first, "
                + "members by priority").containsExactlyElementsOf(vms);
        assertThat(harness.maxRunning.get(groupA).get()).as("group a's cap").isBetween(1, 2);
        assertThat(harness.maxRunning.get(groupB).get()).as("the schedule's cap").isBetween(1, 3);
        assertThat(harness.read(Topics.SCHEDULE_EXECUTION_STARTED, schedule)).singleElement()
                .satisfies(e -> assertThat(e.getVmsEligible()).isEqualTo(12));
        assertThat(harness.read(Topics.SCHEDULE_EXECUTION_COMPLETED, schedule)).singleElement()
                .satisfies(e -> assertThat(List.of(e.getStatus(), e.getVmsEligible(), e.getJobsCreated(),
                        e.getJobsCompleted(), e.getJobsFailed(), e.getJobsSkipped()))
                        .containsExactly("completed", 12, 12, 12, 0, 0));
    }

    @Test
    void rejectionsAreSkipsWithTheDecisionsReasonAndFailedVmsAreRetriedAlone() throws Exception {
        // given: one VM failed over, one with a running job, one failing once, one failing every time (1 retry)
        String schedule = schedule("skips", NEVER_SOON, 5, 1, true);
        String group = group("skips", schedule, 5, 0);
        String failedOver = vm("skips-fo", group, true, 0, Answer.REJECT_FAILED_OVER);
        String busy = vm("skips-busy", group, true, 1, Answer.REJECT_ACTIVE_JOB);
        String flaky = vm("skips-flaky", group, true, 2, Answer.FAIL, Answer.COMPLETE);
        String broken = vm("skips-broken", group, true, 3, Answer.FAIL);
        String fine = vm("skips-fine", group, true, 4, Answer.COMPLETE);

        // when
        String trigger = trigger(schedule, null);

        // then
        ScheduleExecutionsRecord execution = awaitEnded("exec-manual-" + trigger);
        assertThat(execution.getStatus()).isEqualTo("failed");
        assertThat(counts(execution)).containsExactly(5, 3, 2, 1, 2, 0);
        assertThat(vmRows(execution.getExecutionId())).containsExactlyInAnyOrder(
                failedOver + " skipped 1 vm_failed_over", busy + " skipped 1 active_job",
                flaky + " completed 2 null", broken + " failed 2 vma_reported_failure", fine + " completed 1 null");
        assertThat(harness.requests.stream().filter(s -> s.executionId().equals(execution.getExecutionId())))
                .as("only the failed VMs were requested again").extracting(Seen::vmId)
                .containsExactlyInAnyOrder(failedOver, busy, flaky, flaky, broken, broken, fine);
    }

    @Test
    void withSkipIfRunningFalseAVmWithARunningJobIsRequestedAgainAfterItEnds() throws Exception {
        String schedule = schedule("queued", NEVER_SOON, 5, 0, false);
        String group = group("queued", schedule, 5, 0);
        String busy = vm("queued-busy", group, true, 0, Answer.REJECT_ACTIVE_JOB, Answer.COMPLETE);

        String trigger = trigger(schedule, null);
        await(() -> harness.requests.stream().anyMatch(s -> s.vmId().equals(busy)), "the first request");
        Thread.sleep(500);
        assertThat(harness.db.fetchOne(SCHEDULE_EXECUTIONS, SCHEDULE_EXECUTIONS.EXECUTION_ID.eq("exec-manual-" + trigger))
                .getQueued()).as("waiting, not skipped").isEqualTo(1);

        // when: the VM's other job ends
        harness.publish(Topics.JOB_COMPLETED, busy, io.migratekit.events.JobCompleted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId("someone-elses-request").setVmwareVmId(busy).setJobId("job-other")
                .setContextId("ctx").setReplicationType(io.migratekit.events.ReplicationType.incremental)
                .setChangeIds(List.of()).setBytesTransferred(0).setDurationMs(0).build());

        // then
        ScheduleExecutionsRecord execution = awaitEnded("exec-manual-" + trigger);
        assertThat(counts(execution)).containsExactly(1, 1, 1, 0, 0, 0);
        assertThat(vmRows(execution.getExecutionId())).containsExactly(busy + " completed 2 null");
    }

    @Test
    void twoInstancesFireEveryDueTimeOnceAndAMissedTimeIsSkippedOrRunByTheGraceWindow() throws Exception {
        // given: a schedule every 2 seconds with one VM, its jobs ending quickly, enabled once the VM is in its group
        String schedule = UUID.randomUUID().toString();
        harness.publish(Topics.SCHEDULES, schedule, definition(schedule, "every-2s", "*/2 * * * * *", 1, 0, true, false));
        await(() -> harness.db.fetchCount(SCHEDULES, SCHEDULES.SCHEDULE_ID.eq(schedule)) == 1, "the schedule");
        String group = group("every-2s", schedule, 1, 0);
        String vm = vm("every-2s", group, true, 0, Answer.COMPLETE);
        harness.publish(Topics.SCHEDULES, schedule, definition(schedule, "every-2s", "*/2 * * * * *", 1, 0, true, true));
        await(() -> harness.db.fetchOne(SCHEDULES, SCHEDULES.SCHEDULE_ID.eq(schedule)).getEnabled(), "enabled");
        Instant from = harness.db.fetchOne(SCHEDULES, SCHEDULES.SCHEDULE_ID.eq(schedule)).getUpdatedAt().toInstant();

        // when: both instances tick for 7 seconds, then the schedule is disabled
        Thread.sleep(7000);
        harness.publish(Topics.SCHEDULES, schedule, definition(schedule, "every-2s", "*/2 * * * * *", 1, 0, true, false));
        await(() -> !harness.db.fetchOne(SCHEDULES, SCHEDULES.SCHEDULE_ID.eq(schedule)).getEnabled(), "disabled");
        Instant disabled = harness.db.fetchOne(SCHEDULES, SCHEDULES.SCHEDULE_ID.eq(schedule)).getUpdatedAt().toInstant();
        Thread.sleep(1000);

        // then: one execution per due time, none missing, one request per execution
        List<Instant> due = ScheduleCron.of("*/2 * * * * *", "UTC").dueBetween(from, disabled, 1000);
        List<ScheduleExecutionsRecord> executions = harness.db.selectFrom(SCHEDULE_EXECUTIONS)
                .where(SCHEDULE_EXECUTIONS.SCHEDULE_ID.eq(schedule)).orderBy(SCHEDULE_EXECUTIONS.DUE_AT).fetch();
        assertThat(executions).extracting(e -> e.getDueAt().toInstant()).containsExactlyElementsOf(due);
        assertThat(executions).extracting(ScheduleExecutionsRecord::getOwner).isSubsetOf("s-a", "s-b");
        assertThat(harness.requests.stream().filter(s -> s.vmId().equals(vm)).map(Seen::executionId))
                .containsExactlyInAnyOrderElementsOf(executions.stream().map(ScheduleExecutionsRecord::getExecutionId).toList());
        assertThat(harness.read(Topics.SCHEDULE_EXECUTION_STARTED, schedule)).hasSize(due.size());
    }

    @Test
    void aMissedTimeWithinTheGraceWindowRunsOnceAndOlderOnesAreRecordedAsSkipped() throws Exception {
        // given: a schedule every 5 minutes last changed 32 minutes ago (no scheduler ran since), with one VM
        String schedule = UUID.randomUUID().toString();
        String group = group("missed", schedule, 1, 0);
        String vm = vm("missed", group, true, 0, Answer.COMPLETE);
        OffsetDateTime changed = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(32);

        // when: its row appears as if materialized then (the instances are ticking)
        harness.db.insertInto(SCHEDULES).set(SCHEDULES.SCHEDULE_ID, schedule).set(SCHEDULES.NAME, "missed-" + schedule)
                .set(SCHEDULES.CRON_EXPRESSION, "*/5 * * * *").set(SCHEDULES.TIMEZONE, "UTC")
                .set(SCHEDULES.REPLICATION_TYPE, "auto").set(SCHEDULES.MAX_CONCURRENT_JOBS, 1)
                .set(SCHEDULES.RETRY_ATTEMPTS, 0).set(SCHEDULES.RETRY_DELAY_MINUTES, 1).set(SCHEDULES.ENABLED, true)
                .set(SCHEDULES.SKIP_IF_RUNNING, true).set(SCHEDULES.CHANGED_BY, "test")
                .set(SCHEDULES.CREATED_AT, changed).set(SCHEDULES.UPDATED_AT, changed).execute();

        // then: the newest due time (at most 5 minutes old) ran, every older one is skipped as missed
        List<Instant> due = ScheduleCron.of("*/5 * * * *", "UTC").dueBetween(changed.toInstant(), Instant.now(), 100);
        Instant newest = due.get(due.size() - 1);
        ScheduleExecutionsRecord ran = awaitEnded("exec-" + schedule + "-" + newest.toEpochMilli());
        assertThat(counts(ran)).containsExactly(1, 1, 1, 0, 0, 0);
        List<ScheduleExecutionsRecord> all = harness.db.selectFrom(SCHEDULE_EXECUTIONS)
                .where(SCHEDULE_EXECUTIONS.SCHEDULE_ID.eq(schedule)).orderBy(SCHEDULE_EXECUTIONS.DUE_AT).fetch();
        assertThat(all).extracting(e -> e.getDueAt().toInstant()).containsExactlyElementsOf(due);
        assertThat(all.subList(0, all.size() - 1)).allSatisfy(e -> {
            assertThat(e.getStatus()).isEqualTo("skipped");
            assertThat(e.getSkipReason()).isEqualTo("missed");
        });
        assertThat(harness.requests.stream().filter(s -> s.vmId().equals(vm))).hasSize(1);
        assertThat(harness.read(Topics.SCHEDULE_EXECUTION_COMPLETED, schedule))
                .extracting(ScheduleExecutionCompleted::getStatus).containsOnly("skipped", "completed").hasSize(due.size());
    }

    @Test
    void anExecutionResumesAfterItsInstanceStopsAndAManualTriggerDuringItIsItsOwnExecution() throws Exception {
        String schedule = schedule("resume", NEVER_SOON, 1, 0, true);
        String group = group("resume", schedule, 1, 0);
        String first = vm("resume-1", group, true, 0, Answer.HOLD, Answer.REJECT_ACTIVE_JOB);
        String second = vm("resume-2", group, true, 1, Answer.COMPLETE);
        String trigger = trigger(schedule, null);
        await(() -> harness.holds(first), "the first job runs");
        String executionId = "exec-manual-" + trigger;
        String owner = harness.db.fetchOne(SCHEDULE_EXECUTIONS, SCHEDULE_EXECUTIONS.EXECUTION_ID.eq(executionId)).getOwner();

        // when: a second trigger while the first runs
        String again = trigger(schedule, "again");
        await(() -> harness.db.fetchOne(SCHEDULE_EXECUTIONS, SCHEDULE_EXECUTIONS.EXECUTION_ID.eq("exec-manual-" + again))
                != null, "the second execution");

        // and: the owner of the first stops, its job ends meanwhile, and it starts again
        harness.stop(owner);
        harness.end(first, true);
        harness.start(owner);

        // then
        ScheduleExecutionsRecord execution = awaitEnded(executionId);
        assertThat(counts(execution)).containsExactly(2, 2, 2, 0, 0, 0);
        assertThat(harness.requests.stream().filter(s -> s.executionId().equals(executionId))).extracting(Seen::vmId)
                .containsExactly(first, second);
        ScheduleExecutionsRecord second2 = awaitEnded("exec-manual-" + again);
        assertThat(counts(second2)).as("the VM still running in the first is skipped in the second")
                .containsExactly(2, 1, 1, 0, 1, 0);
        assertThat(harness.db.fetchCount(SCHEDULE_EXECUTIONS, SCHEDULE_EXECUTIONS.SCHEDULE_ID.eq(schedule))).isEqualTo(2);
    }

    @Test
    void aScheduleDeletedWhileItsExecutionRunsLetsItRunToItsEnd() throws Exception {
        String schedule = schedule("deleted", NEVER_SOON, 1, 0, true);
        String group = group("deleted", schedule, 1, 0);
        String first = vm("deleted-1", group, true, 0, Answer.HOLD);
        String second = vm("deleted-2", group, true, 1, Answer.COMPLETE);
        String trigger = trigger(schedule, null);
        await(() -> harness.holds(first), "the first job runs");

        // when: the schedule is deleted, then the running job ends
        ScheduleDefined deleted = definition(schedule, "deleted", NEVER_SOON, 1, 0, true, true);
        deleted.setDeleted(true);
        harness.publish(Topics.SCHEDULES, schedule, deleted);
        await(() -> harness.db.fetchCount(SCHEDULES, SCHEDULES.SCHEDULE_ID.eq(schedule)) == 0, "the schedule is gone");
        assertThat(harness.db.fetchOne(MACHINE_GROUPS, MACHINE_GROUPS.GROUP_ID.eq(group)).getScheduleId())
                .as("its group stays, without a schedule").isNull();
        harness.end(first, true);

        // then: the execution went on with the settings it started with, to its end
        ScheduleExecutionsRecord execution = awaitEnded("exec-manual-" + trigger);
        assertThat(execution.getStatus()).isEqualTo("completed");
        assertThat(counts(execution)).containsExactly(2, 2, 2, 0, 0, 0);
        assertThat(vmRows(execution.getExecutionId())).containsExactlyInAnyOrder(first + " completed 1 null",
                second + " completed 1 null");
    }

    // --- played job-intake and helpers

    private static String schedule(String name, String cron, int maxJobs, int retries, boolean skipIfRunning) {
        String id = UUID.randomUUID().toString();
        harness.publish(Topics.SCHEDULES, id, definition(id, name, cron, maxJobs, retries, skipIfRunning, true));
        await(() -> harness.db.fetchCount(SCHEDULES, SCHEDULES.SCHEDULE_ID.eq(id)) == 1, "schedule " + name);
        return id;
    }

    private static ScheduleDefined definition(String id, String name, String cron, int maxJobs, int retries,
            boolean skipIfRunning, boolean enabled) {
        return ScheduleDefined.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(now())
                .setCorrelationId(UUID.randomUUID().toString()).setScheduleId(id).setName(name + "-" + id)
                .setCronExpression(cron).setTimezone("UTC").setMaxConcurrentJobs(maxJobs).setRetryAttempts(retries)
                .setRetryDelayMinutes(1).setEnabled(enabled).setSkipIfRunning(skipIfRunning).setChangedBy("operator-tests")
                .build();
    }

    private static String group(String name, String scheduleId, int cap, int priority) {
        String id = UUID.randomUUID().toString();
        harness.publish(Topics.MACHINE_GROUPS, id, MachineGroupDefined.newBuilder().setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now()).setCorrelationId(UUID.randomUUID().toString()).setGroupId(id)
                .setName(name + "-" + id).setScheduleId(scheduleId).setMaxConcurrentVms(cap).setPriority(priority)
                .setChangedBy("operator-tests").build());
        await(() -> harness.db.fetchCount(MACHINE_GROUPS, MACHINE_GROUPS.GROUP_ID.eq(id)) == 1, "group " + name);
        return id;
    }

    private static String vm(String name, String groupId, boolean enabled, int priority, Answer... answers) {
        String vm = "vm-" + UUID.randomUUID();
        harness.context(vm, name);
        harness.script(vm, answers);
        harness.publish(Topics.GROUP_MEMBERSHIPS, vm, GroupMembershipChanged.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(now()).setCorrelationId(UUID.randomUUID().toString())
                .setVmwareVmId(vm).setContextId("ctx-" + name).setGroupId(groupId).setEnabled(enabled)
                .setPriority(priority).setChangedBy("operator-tests").build());
        await(() -> harness.db.fetchCount(GROUP_MEMBERSHIPS, GROUP_MEMBERSHIPS.VMWARE_VM_ID.eq(vm)) == 1, "member " + name);
        return vm;
    }

    private static String trigger(String scheduleId, String reason) {
        String requestId = UUID.randomUUID().toString();
        harness.publish(Topics.SCHEDULE_TRIGGER_REQUESTED, scheduleId, ScheduleTriggerRequested.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(now()).setCorrelationId(requestId)
                .setScheduleId(scheduleId).setReason(reason).setRequestedBy("operator-tests").build());
        return requestId;
    }

    private static ScheduleExecutionsRecord awaitEnded(String executionId) {
        await(() -> {
            ScheduleExecutionsRecord e = harness.db.fetchOne(SCHEDULE_EXECUTIONS,
                    SCHEDULE_EXECUTIONS.EXECUTION_ID.eq(executionId));
            return e != null && e.getCompletedAt() != null;
        }, "execution " + executionId + " ends");
        return harness.db.fetchOne(SCHEDULE_EXECUTIONS, SCHEDULE_EXECUTIONS.EXECUTION_ID.eq(executionId));
    }

    private static List<Integer> counts(ScheduleExecutionsRecord e) {
        return List.of(e.getVmsEligible(), e.getJobsCreated(), e.getJobsCompleted(), e.getJobsFailed(),
                e.getJobsSkipped(), e.getQueued());
    }

    private static List<String> vmRows(String executionId) {
        return harness.db.selectFrom(EXECUTION_VMS).where(EXECUTION_VMS.EXECUTION_ID.eq(executionId))
                .fetch(r -> r.getVmwareVmId() + " " + r.getStatus() + " " + r.getAttempt() + " " + r.getReason());
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within 60 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
