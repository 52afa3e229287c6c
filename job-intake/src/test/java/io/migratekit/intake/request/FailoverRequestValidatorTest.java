package io.migratekit.intake.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.events.FailoverType;
import io.migratekit.intake.api.ApiProblem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;

/** The rules of a failover request body, and its defaults. */
class FailoverRequestValidatorTest {

    private final FailoverRequestValidator validator = new FailoverRequestValidator();

    @Test
    void everyFieldIsReadAsSent() {
        FailoverRequestBody body = validate("{\"context_id\": \"ctx-web1-20250923-101530\", \"vm_name\": \"web1\", "
                + "\"failover_type\": \"test\", \"power_on_source_on_failure\": false, \"test_network\": \"net-t\", "
                + "\"final_sync_deadline_minutes\": 1440, \"unknown\": 1}");

        assertThat(body).isEqualTo(new FailoverRequestBody("ctx-web1-20250923-101530", "web1", FailoverType.test, false,
                "net-t", 1440));
    }

    @Test
    void theSourceIsPoweredBackOnAndTheFinalSyncHasHalfAnHourUnlessSaidOtherwise() {
        FailoverRequestBody body = validate("{\"vm_name\": \"web1\", \"failover_type\": \"live\", \"test_network\": \"\"}");

        assertThat(body).isEqualTo(new FailoverRequestBody(null, "web1", FailoverType.live, true, null, 30));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "|Invalid request payload|the request body is empty",
            "[]|Invalid request payload|the request body must be a JSON object",
            "{\"vm_name\": \"a\", \"vm_name\": \"b\", \"failover_type\": \"live\"}|Invalid request payload|the request body is not valid JSON (line 1, column 27)",
            "{\"context_id\": \"\", \"failover_type\": \"live\"}|Invalid request payload|context_id or vm_name is required",
            "{\"vm_name\": \"web1\", \"failover_type\": null}|Invalid failover type|failover_type must be one of: test, live",
            "{\"vm_name\": \"web1\", \"failover_type\": \"live\", \"final_sync_deadline_minutes\": 1.5}|Invalid request payload|final_sync_deadline_minutes must be an integer",
            "{\"vm_name\": \"web1\", \"failover_type\": \"live\", \"test_network\": 5}|Invalid request payload|test_network must be a string",
    })
    void anInvalidBodyIsRefusedNamingWhatIsWrong(String body, String error, String details) {
        assertThatThrownBy(() -> validate(body == null ? "" : body)).isInstanceOfSatisfying(ApiProblem.class, problem -> {
            assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(problem.error()).isEqualTo(error);
            assertThat(problem.details()).isEqualTo(details);
        });
    }

    private FailoverRequestBody validate(String body) {
        return validator.validate(body.getBytes(StandardCharsets.UTF_8));
    }
}
