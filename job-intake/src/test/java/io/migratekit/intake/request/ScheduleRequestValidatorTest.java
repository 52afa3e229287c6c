package io.migratekit.intake.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.intake.api.ApiProblem;
import io.migratekit.intake.request.ScheduleBodies.GroupBody;
import io.migratekit.intake.request.ScheduleBodies.MembersBody;
import io.migratekit.intake.request.ScheduleBodies.ScheduleBody;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules of the schedule, group and membership bodies. */
class ScheduleRequestValidatorTest {

    private final ScheduleRequestValidator validator = new ScheduleRequestValidator();

    @Test
    void everyScheduleFieldIsReadAsSent() {
        ScheduleBody body = validator.schedule(bytes("{\"name\": \"nightly\", \"description\": \"d\", "
                + "\"cron_expression\": \"0 30 2 * * MON-FRI\", \"timezone\": \"Asia/Tokyo\", \"replication_type\": "
                + "\"incremental\", \"max_concurrent_jobs\": 100, \"retry_attempts\": 0, \"retry_delay_minutes\": 1, "
                + "\"enabled\": false, \"skip_if_running\": false}"), true);

        assertThat(body).isEqualTo(new ScheduleBody("nightly", "d", "0 30 2 * * MON-FRI",
                "Asia/Tokyo", "incremental", 100, 0, 1, false, false));
    }

    @Test
    void anUpdateMayLeaveEverythingOut() {
        assertThat(validator.schedule(bytes("{}"), false)).isEqualTo(new ScheduleBody(null, null, null, null, null, null,
                null, null, null, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"cron_expression\": \"0 2 * * *\"}|name is required",
            "{\"name\": \"n\"}|cron_expression is required",
            "{\"name\": \"n\", \"cron_expression\": \"0 0 2 * * * 2026\"}|cron_expression has 7 fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (second first)",
            "{\"name\": \"n\", \"cron_expression\": \"0 25 * * *\"}|cron_expression is invalid: ",
            "{\"name\": \"n\", \"cron_expression\": \"0 2 * * *\", \"timezone\": \"CET+99\"}|timezone is not a known time zone: CET+99",
            "{\"name\": \"n\", \"cron_expression\": \"0 2 * * *\", \"max_concurrent_jobs\": 101}|max_concurrent_jobs must be between 1 and 100",
            "{\"name\": \"n\", \"cron_expression\": \"0 2 * * *\", \"retry_attempts\": -1}|retry_attempts must be between 0 and 10",
            "{\"name\": \"n\", \"cron_expression\": \"0 2 * * *\", \"retry_delay_minutes\": 0}|retry_delay_minutes must be between 1 and 1440",
            "{\"name\": \"n\", \"cron_expression\": \"0 2 * * *\", \"enabled\": \"yes\"}|enabled must be true or false",
    })
    void aBadScheduleIs400NamingTheField(String json, String details) {
        assertThatThrownBy(() -> validator.schedule(bytes(json), true)).isInstanceOfSatisfying(ApiProblem.class, e -> {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.details()).startsWith(details);
        });
    }

    @Test
    void aGroupReadsItsFieldsAndANullScheduleDetachesIt() {
        assertThat(validator.group(bytes("{\"name\": \"g\", \"schedule_id\": \"s-1\", \"max_concurrent_vms\": 100, "
                + "\"priority\": 0}"), true)).isEqualTo(new GroupBody("g", null, "s-1", false, 100, 0));
        assertThat(validator.group(bytes("{\"schedule_id\": null}"), false))
                .isEqualTo(new GroupBody(null, null, null, true, null, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\": \"g\", \"max_concurrent_vms\": 0}|max_concurrent_vms must be between 1 and 100",
            "{\"name\": \"g\", \"max_concurrent_vms\": 1000}|max_concurrent_vms must be between 1 and 100",
            "{\"name\": \"g\", \"priority\": 101}|priority must be between 0 and 100",
            "{\"description\": \"no name\"}|name is required",
    })
    void aBadGroupIs400NamingTheField(String json, String details) {
        assertThatThrownBy(() -> validator.group(bytes(json), true)).isInstanceOfSatisfying(ApiProblem.class,
                e -> assertThat(e.details()).isEqualTo(details));
    }

    @Test
    void membersAreDistinctContextIdsWithDefaults() {
        assertThat(validator.members(bytes("{\"vm_context_ids\": [\"a\", \"b\", \"a\"]}")))
                .isEqualTo(new MembersBody(List.of("a", "b"), true, 50));
        assertThatThrownBy(() -> validator.members(bytes("{\"vm_context_ids\": []}")))
                .hasMessageEndingWith("vm_context_ids must be an array of 1 to 1000 strings");
        assertThatThrownBy(() -> validator.members(bytes("{\"vm_context_ids\": [\"a\", 7]}")))
                .hasMessageEndingWith("vm_context_ids[1] must be a context id (1 to 160 characters)");
    }

    @Test
    void enableNeedsItsFlagAndATriggerReasonIsOptional() {
        assertThat(validator.enabled(bytes("{\"enabled\": false}"))).isFalse();
        assertThatThrownBy(() -> validator.enabled(bytes("{}"))).hasMessageEndingWith("enabled is required");
        assertThat(validator.reason(new byte[0])).isNull();
        assertThat(validator.reason(bytes("{\"reason\": \"cutover\"}"))).isEqualTo("cutover");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
