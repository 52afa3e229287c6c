package io.migratekit.intake.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ReplicationRequest;
import io.migratekit.intake.RequestBodies;
import io.migratekit.intake.api.ApiProblem;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Any body whatsoever is either a valid request (whose command event can be built) or a 4xx
 * problem with an error text and details; nothing else can come out of validation.
 */
class ValidatorFuzzTest {

    private final ReplicationRequestValidator validator = new ReplicationRequestValidator();

    @Property(tries = 1500)
    void anyJsonishBodyIsValidOrA4xxProblem(@ForAll("bodies") String body) {
        check(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void anyBytesAreValidOrA4xxProblem(@ForAll byte[] body) {
        check(body);
    }

    private void check(byte[] body) {
        ReplicationRequestBody valid;
        try {
            valid = validator.validate(body);
        } catch (ApiProblem problem) {
            Statistics.collect(problem.status().value());
            assertThat(problem.status().is4xxClientError()).isTrue();
            assertThat(problem.error()).isNotBlank();
            assertThat(problem.details()).isNotBlank();
            return;
        }
        Statistics.collect("valid");
        ReplicationRequest event = valid.toEvent("fuzz");
        assertThat(event.getSourceVm().getId()).isNotBlank();
        assertThat(event.getSourceVm().getName()).isNotBlank();
        assertThat(event.getSourceVm().getPath()).isNotBlank();
    }

    @Provide
    Arbitrary<String> bodies() {
        return RequestBodies.bodies();
    }
}
