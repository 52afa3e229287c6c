package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScheduleTablesTest {

    @Test
    void anExecutionShowsItsCountsAndStatusAndAMissingStartAsADash() {
        // given: the API's executions, newest first
        var items = ApiClient.JSON.readTree("""
                [{"id": "exec-manual-1", "triggered_by": "operator", "started_at": "2026-12-06T08:00:00Z",
                  "vms_eligible": 3, "jobs_created": 3, "jobs_completed": 2, "jobs_failed": 1, "jobs_skipped": 0,
                  "status": "completed"},
                 {"id": "exec-2", "triggered_by": "scheduler", "started_at": null, "vms_eligible": 0,
                  "jobs_created": 0, "jobs_completed": 0, "jobs_failed": 0, "jobs_skipped": 4, "status": "skipped"}]
                """);

        // when / then
        assertThat(ScheduleTables.executions(items)).containsExactly(
                "ID             TRIGGER    STARTED               ELIGIBLE  CREATED  COMPLETED  FAILED  SKIPPED  STATUS",
                "exec-manual-1  operator   2026-12-06T08:00:00Z  3         3        2          1       0        completed",
                "exec-2         scheduler  -                     0         0        0          0       4        skipped");
    }

    @Test
    void aScheduleShowsEnabledAsYesOrNoAndAGroupWithoutScheduleAsADash() {
        var schedules = ApiClient.JSON.readTree("""
                [{"id": "s1", "name": "nightly\\u001b[2J", "cron_expression": "0 2 * * *", "timezone": "UTC",
                  "replication_type": "auto", "max_concurrent_jobs": 2, "enabled": false}]
                """);
        var groups = ApiClient.JSON.readTree("""
                [{"id": "g1", "name": "web", "schedule_id": null, "max_concurrent_vms": 5, "priority": 50,
                  "member_count": 1}]
                """);

        assertThat(ScheduleTables.schedules(schedules)).containsExactly(
                "ID  NAME         CRON       TIMEZONE  TYPE  MAX JOBS  ENABLED",
                "s1  nightly?[2J  0 2 * * *  UTC       auto  2         no");
        assertThat(ScheduleTables.groups(groups)).containsExactly(
                "ID  NAME  SCHEDULE  MAX VMS  PRIORITY  VMS",
                "g1  web   -         5        50        1");
    }
}
