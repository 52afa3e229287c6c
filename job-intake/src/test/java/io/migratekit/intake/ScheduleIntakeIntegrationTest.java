package io.migratekit.intake;

import static io.migratekit.db.Tables.GROUP_MEMBERSHIPS;
import static io.migratekit.db.Tables.MACHINE_GROUPS;
import static io.migratekit.db.Tables.SCHEDULES;
import static io.migratekit.db.Tables.SCHEDULE_EXECUTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.GroupMembershipChanged;
import io.migratekit.events.MachineGroupDefined;
import io.migratekit.events.ScheduleDefined;
import io.migratekit.events.ScheduleTriggerRequested;
import io.migratekit.schemas.Topics;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schedule and machine-group routes of job-intake as it runs in production — real Kafka,
 * registry and PostgreSQL — while the test plays scheduler-service: it reads the definition events
 * and triggers the API published, and writes the rows scheduler-service would materialize from them.
 */
class ScheduleIntakeIntegrationTest {

    private static final String OPERATOR = IntakeStack.OPERATOR_TOKEN;
    private static final String VIEWER = IntakeStack.READ_ONLY_TOKEN;
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 9, 20, 8, 0, 0, 0, ZoneOffset.UTC);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static IntakeStack stack;
    private static Http http;
    private static PlayedPipeline.Reader<ScheduleDefined> schedules;
    private static PlayedPipeline.Reader<MachineGroupDefined> groups;
    private static PlayedPipeline.Reader<GroupMembershipChanged> memberships;
    private static PlayedPipeline.Reader<ScheduleTriggerRequested> triggers;

    @BeforeAll
    static void start() {
        stack = IntakeStack.get();
        http = new Http(stack.baseUrl);
        String bootstrap = stack.infra.bootstrapServers();
        schedules = new PlayedPipeline.Reader<>(bootstrap, stack.registry, Topics.SCHEDULES);
        groups = new PlayedPipeline.Reader<>(bootstrap, stack.registry, Topics.MACHINE_GROUPS);
        memberships = new PlayedPipeline.Reader<>(bootstrap, stack.registry, Topics.GROUP_MEMBERSHIPS);
        triggers = new PlayedPipeline.Reader<>(bootstrap, stack.registry, Topics.SCHEDULE_TRIGGER_REQUESTED);
    }

    @AfterAll
    static void stop() {
        schedules.close();
        groups.close();
        memberships.close();
        triggers.close();
    }

    @Test
    void aNewScheduleIsPublishedWithItsDefaultsKeyedByItsId() throws Exception {
        HttpResponse<String> answer = http.post("/api/v1/schedules", OPERATOR, "{\"name\": \"nightly-" + UUID.randomUUID()
                + "\", \"cron_expression\": \"30 2 * * *\", \"timezone\": \"America/New_York\"}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String id = field(answer.body(), "id");
        ConsumerRecord<String, ScheduleDefined> published = schedules.next(r -> r.key().equals(id));
        ScheduleDefined event = published.value();
        assertThat(event).isEqualTo(ScheduleDefined.newBuilder().setEventId(event.getEventId())
                .setOccurredAt(IntakeStack.NOW).setCorrelationId(event.getCorrelationId()).setScheduleId(id)
                .setName(event.getName()).setDescription(null).setCronExpression("30 2 * * *")
                .setTimezone("America/New_York").setReplicationType(null).setMaxConcurrentJobs(1).setRetryAttempts(3)
                .setRetryDelayMinutes(30).setEnabled(true).setSkipIfRunning(true).setDeleted(false)
                .setChangedBy("operator-tests").build());
        assertThat(answer.headers().firstValue("Location")).contains("/api/v1/schedules/" + id);
    }

    @Test
    void badSchedulesAre400NamingTheField() {
        assertProblem(http.post("/api/v1/schedules", OPERATOR, "{\"name\": \"x\", \"cron_expression\": \"0 0 2 * * * 2026\"}"),
                400, "cron_expression has 7 fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)");
        assertProblem(http.post("/api/v1/schedules", OPERATOR, "{\"name\": \"x\", \"cron_expression\": \"0 2 * * *\", "
                + "\"timezone\": \"Mars/Olympus\"}"), 400, "timezone is not a known time zone: Mars/Olympus");
        assertProblem(http.post("/api/v1/schedules", OPERATOR, "{\"name\": \"x\", \"cron_expression\": \"0 2 * * *\", "
                + "\"max_concurrent_jobs\": 0}"), 400, "max_concurrent_jobs must be between 1 and 100");
        assertProblem(http.post("/api/v1/schedules", OPERATOR, "{\"cron_expression\": \"0 2 * * *\"}"), 400,
                "name is required");
        assertProblem(http.post("/api/v1/schedules", OPERATOR, "{\"name\": \"x\", \"cron_expression\": \"0 2 * * *\", "
                + "\"replication_type\": \"full\"}"), 400, "replication_type must be one of: auto, initial, incremental");
        assertProblem(http.post("/api/v1/machine-groups", OPERATOR, "{\"name\": \"g\", \"max_concurrent_vms\": 0}"), 400,
                "max_concurrent_vms must be between 1 and 100");
        assertProblem(http.post("/api/v1/machine-groups", OPERATOR, "{\"name\": \"g\", \"max_concurrent_vms\": 1000}"), 400,
                "max_concurrent_vms must be between 1 and 100");
        assertProblem(http.post("/api/v1/machine-groups", OPERATOR, "{\"name\": \"g\", \"schedule_id\": \"nope\"}"), 400,
                "schedule_id: no schedule nope");
        assertProblem(http.post("/api/v1/machine-groups/nope/vms", OPERATOR, "{\"vm_context_ids\": [\"c\"]}"), 404,
                "No machine group nope");
        assertProblem(http.post("/api/v1/schedules/nope/trigger", OPERATOR, "{}"), 404, "No schedule nope");
        assertThat(schedules.drain()).as("nothing published").isEmpty();
        assertThat(groups.drain()).isEmpty();
    }

    @Test
    void aTakenNameIs409AndAVmInAnotherGroupIs409() {
        String schedule = scheduleRow("taken-" + UUID.randomUUID());
        String name = stack.db.fetchOne(SCHEDULES, SCHEDULES.SCHEDULE_ID.eq(schedule)).getName();
        assertProblem(http.post("/api/v1/schedules", OPERATOR, "{\"name\": \"" + name + "\", \"cron_expression\": "
                + "\"0 2 * * *\"}"), 409, "name " + name + " is the name of schedule " + schedule);

        String first = groupRow("first-" + UUID.randomUUID(), schedule);
        String second = groupRow("second-" + UUID.randomUUID(), schedule);
        String vm = "vm-" + UUID.randomUUID();
        new ReadModelRows(stack.db).context("ctx-" + vm, vm, "web-" + vm.substring(3, 11), "ready_for_failover", null, T0);
        memberRow(vm, "ctx-" + vm, first);

        assertProblem(http.post("/api/v1/machine-groups/" + second + "/vms", OPERATOR, "{\"vm_context_ids\": [\"ctx-"
                + vm + "\"]}"), 409, "vm_context_ids[0]: VM context ctx-" + vm + " is in group " + first + "; a VM is in "
                + "at most one group (remove it there first, or move it with PUT /api/v1/vm-contexts/{id}/group)");
        assertProblem(http.post("/api/v1/machine-groups/" + second + "/vms", OPERATOR,
                "{\"vm_context_ids\": [\"ctx-unknown\"]}"), 404, "vm_context_ids[0]: no VM context ctx-unknown");
        assertThat(memberships.drain()).isEmpty();
    }

    @Test
    void groupsMembersAndTriggersArePublishedAndTheTablesAreRead() throws Exception {
        // given: a schedule and an ungrouped VM
        String schedule = scheduleRow("reads-" + UUID.randomUUID());
        String vm = "vm-" + UUID.randomUUID();
        String context = "ctx-" + vm;
        // A name that sorts first: the page of ungrouped contexts is by name and other tests add contexts too.
        new ReadModelRows(stack.db).context(context, vm, "0-db-" + vm.substring(3, 11), "ready_for_failover", null, T0);
        assertThat(http.get("/api/v1/vm-contexts/ungrouped?limit=200", VIEWER).body()).contains(context);

        // when: a group is created on it and the VM added
        HttpResponse<String> created = http.post("/api/v1/machine-groups", OPERATOR, "{\"name\": \"g-" + vm
                + "\", \"schedule_id\": \"" + schedule + "\", \"max_concurrent_vms\": 50, \"priority\": 10}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String group = field(created.body(), "id");
        MachineGroupDefined defined = groups.next(r -> r.key().equals(group)).value();
        assertThat(defined.getScheduleId()).isEqualTo(schedule);
        assertThat(defined.getMaxConcurrentVms()).isEqualTo(50);
        assertThat(defined.getPriority()).isEqualTo(10);
        groupRow(group, "g-" + vm, schedule);
        HttpResponse<String> added = http.post("/api/v1/machine-groups/" + group + "/vms", OPERATOR,
                "{\"vm_context_ids\": [\"" + context + "\"], \"priority\": 5}");

        // then
        assertThat(added.statusCode()).as(added.body()).isEqualTo(202);
        GroupMembershipChanged member = memberships.next(r -> r.key().equals(vm)).value();
        assertThat(member).isEqualTo(GroupMembershipChanged.newBuilder().setEventId(member.getEventId())
                .setOccurredAt(IntakeStack.NOW).setCorrelationId(member.getCorrelationId()).setVmwareVmId(vm)
                .setContextId(context).setGroupId(group).setEnabled(true).setPriority(5).setChangedBy("operator-tests")
                .build());

        // when: scheduler-service applied it, the reads show it
        memberRow(vm, context, group);
        JSONAssert.assertEquals("[{\"vm_context_id\": \"" + context + "\", \"vmware_vm_id\": \"" + vm + "\", "
                + "\"group_id\": \"" + group + "\", \"enabled\": true, \"priority\": 50}]",
                http.get("/api/v1/machine-groups/" + group + "/vms", VIEWER).body(), JSONCompareMode.LENIENT);
        assertThat(http.get("/api/v1/vm-contexts/ungrouped?limit=200", VIEWER).body()).doesNotContain(context);
        JSONAssert.assertEquals("{\"id\": \"" + group + "\", \"schedule_id\": \"" + schedule + "\", \"member_count\": 1}",
                http.get("/api/v1/machine-groups/" + group, VIEWER).body(), JSONCompareMode.LENIENT);

        // and: a trigger is a command naming the schedule, its answer names the execution
        HttpResponse<String> triggered = http.post("/api/v1/schedules/" + schedule + "/trigger", OPERATOR,
                "{\"reason\": \"before cutover\"}");
        assertThat(triggered.statusCode()).as(triggered.body()).isEqualTo(202);
        ScheduleTriggerRequested trigger = triggers.next(r -> r.key().equals(schedule)).value();
        assertThat(trigger.getReason()).isEqualTo("before cutover");
        assertThat(trigger.getRequestedBy()).isEqualTo("operator-tests");
        JSONAssert.assertEquals("{\"schedule_id\": \"" + schedule + "\", \"execution_id\": \"exec-manual-"
                + trigger.getCorrelationId() + "\", \"status\": \"triggered\"}", triggered.body(), JSONCompareMode.STRICT);

        // and: executions are read from the scheduler's table
        stack.db.insertInto(SCHEDULE_EXECUTIONS).set(SCHEDULE_EXECUTIONS.EXECUTION_ID, "exec-manual-" + trigger.getCorrelationId())
                .set(SCHEDULE_EXECUTIONS.SCHEDULE_ID, schedule).set(SCHEDULE_EXECUTIONS.DUE_AT, T0)
                .set(SCHEDULE_EXECUTIONS.TRIGGERED_BY, "operator-tests").set(SCHEDULE_EXECUTIONS.OWNER, "s-1")
                .set(SCHEDULE_EXECUTIONS.STATUS, "completed").set(SCHEDULE_EXECUTIONS.VMS_ELIGIBLE, 1)
                .set(SCHEDULE_EXECUTIONS.JOBS_CREATED, 1).set(SCHEDULE_EXECUTIONS.JOBS_COMPLETED, 1)
                .set(SCHEDULE_EXECUTIONS.MAX_CONCURRENT_JOBS, 1).set(SCHEDULE_EXECUTIONS.RETRY_ATTEMPTS, 3)
                .set(SCHEDULE_EXECUTIONS.RETRY_DELAY_MINUTES, 30).set(SCHEDULE_EXECUTIONS.SKIP_IF_RUNNING, true)
                .set(SCHEDULE_EXECUTIONS.REPLICATION_TYPE, "auto").set(SCHEDULE_EXECUTIONS.SCHEDULED_AT, T0).execute();
        JSONAssert.assertEquals("{\"items\": [{\"id\": \"exec-manual-" + trigger.getCorrelationId() + "\", \"status\": "
                + "\"completed\", \"vms_eligible\": 1, \"jobs_created\": 1, \"jobs_completed\": 1, \"jobs_failed\": 0, "
                + "\"jobs_skipped\": 0, \"queued\": 0, \"due_at\": \"2025-09-20T08:00:00Z\"}], \"count\": 1}",
                http.get("/api/v1/schedules/" + schedule + "/executions", VIEWER).body(), JSONCompareMode.LENIENT);
    }

    @Test
    void updatesKeepWhatTheBodyLeavesOutAndDeletesAreDefinitionsFlaggedDeleted() {
        String schedule = scheduleRow("upd-" + UUID.randomUUID());

        assertThat(http.put("/api/v1/schedules/" + schedule, OPERATOR, "{\"max_concurrent_jobs\": 7}").statusCode())
                .isEqualTo(202);
        ScheduleDefined updated = schedules.next(r -> r.key().equals(schedule)).value();
        assertThat(updated.getMaxConcurrentJobs()).isEqualTo(7);
        assertThat(updated.getCronExpression()).isEqualTo("0 2 * * *");
        assertThat(updated.getTimezone()).isEqualTo("Europe/Berlin");

        assertThat(http.post("/api/v1/schedules/" + schedule + "/enable", OPERATOR, "{\"enabled\": false}").statusCode())
                .isEqualTo(202);
        assertThat(schedules.next(r -> r.key().equals(schedule)).value().getEnabled()).isFalse();

        assertThat(http.delete("/api/v1/schedules/" + schedule, OPERATOR).statusCode()).isEqualTo(202);
        assertThat(schedules.next(r -> r.key().equals(schedule)).value().getDeleted()).isTrue();
    }

    @Test
    void aReadOnlyTokenReadsButDoesNotWrite() {
        assertThat(http.get("/api/v1/schedules", VIEWER).statusCode()).isEqualTo(200);
        assertThat(http.post("/api/v1/schedules", VIEWER, "{\"name\": \"x\", \"cron_expression\": \"0 2 * * *\"}")
                .statusCode()).isEqualTo(403);
        assertThat(http.get("/api/v1/machine-groups", null).statusCode()).isEqualTo(401);
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String details) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(field(answer.body(), "details")).isEqualTo(details);
    }

    private static String field(String body, String name) {
        return JSON.readTree(body).get(name).asString();
    }

    /** A schedule as scheduler-service materializes it. */
    private static String scheduleRow(String name) {
        String id = UUID.randomUUID().toString();
        stack.db.insertInto(SCHEDULES).set(SCHEDULES.SCHEDULE_ID, id).set(SCHEDULES.NAME, name)
                .set(SCHEDULES.CRON_EXPRESSION, "0 2 * * *").set(SCHEDULES.TIMEZONE, "Europe/Berlin")
                .set(SCHEDULES.REPLICATION_TYPE, "auto").set(SCHEDULES.MAX_CONCURRENT_JOBS, 1)
                .set(SCHEDULES.RETRY_ATTEMPTS, 3).set(SCHEDULES.RETRY_DELAY_MINUTES, 30).set(SCHEDULES.ENABLED, true)
                .set(SCHEDULES.SKIP_IF_RUNNING, true).set(SCHEDULES.CHANGED_BY, "operator-tests")
                .set(SCHEDULES.CREATED_AT, T0).set(SCHEDULES.UPDATED_AT, T0).execute();
        return id;
    }

    private static String groupRow(String name, String schedule) {
        return groupRow(UUID.randomUUID().toString(), name, schedule);
    }

    private static String groupRow(String id, String name, String schedule) {
        stack.db.insertInto(MACHINE_GROUPS).set(MACHINE_GROUPS.GROUP_ID, id).set(MACHINE_GROUPS.NAME, name)
                .set(MACHINE_GROUPS.SCHEDULE_ID, schedule).set(MACHINE_GROUPS.MAX_CONCURRENT_VMS, 5)
                .set(MACHINE_GROUPS.PRIORITY, 50).set(MACHINE_GROUPS.CHANGED_BY, "operator-tests")
                .set(MACHINE_GROUPS.CREATED_AT, T0).set(MACHINE_GROUPS.UPDATED_AT, T0).execute();
        return id;
    }

    private static void memberRow(String vm, String context, String group) {
        stack.db.insertInto(GROUP_MEMBERSHIPS).set(GROUP_MEMBERSHIPS.VMWARE_VM_ID, vm)
                .set(GROUP_MEMBERSHIPS.CONTEXT_ID, context).set(GROUP_MEMBERSHIPS.GROUP_ID, group)
                .set(GROUP_MEMBERSHIPS.ENABLED, true).set(GROUP_MEMBERSHIPS.PRIORITY, 50)
                .set(GROUP_MEMBERSHIPS.ADDED_BY, "operator-tests").set(GROUP_MEMBERSHIPS.ADDED_AT, T0).execute();
    }
}
