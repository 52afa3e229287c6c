package io.migratekit.intake.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.intake.IntakeWebConfiguration;
import io.migratekit.intake.api.WebTestDoubles.RecordingPipeline;
import io.migratekit.intake.request.SampleBodies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The web layer with real CloudStack targets configured ({@code target=cloudstack}, ids 1 and 2):
 * a request naming another {@code ossea_config_id} is refused before anything is published, naming
 * the configured ids; a configured or omitted id goes on to the pipeline.
 */
@WebMvcTest(properties = {
        "spring.jackson.property-naming-strategy=SNAKE_CASE",
        "migratekit.intake.outcome-timeout=5s",
        "migratekit.security.tokens[0].name=operator-tests",
        "migratekit.security.tokens[0].sha256=" + ReplicationApiWebTest.OPERATOR_HASH,
        "migratekit.security.tokens[0].role=operator",
        "migratekit.cloudstack.target=cloudstack",
        "migratekit.cloudstack.targets[0].id=2",
        "migratekit.cloudstack.targets[0].api-url=http://127.0.0.1:1/client/api",
        "migratekit.cloudstack.targets[1].id=1"})
@Import({IntakeWebConfiguration.class, WebTestDoubles.class})
class TargetIdWebTest {

    static final String VM = ReplicationApiWebTest.VM;

    @Autowired
    MockMvcTester mvc;
    @Autowired
    RecordingPipeline pipeline;

    @BeforeEach
    void reset() {
        pipeline.reset();
    }

    @Test
    void anUnknownOsseaConfigIdIs400NamingTheConfiguredIdsAndNothingIsPublished() {
        MvcTestResult result = post(SampleBodies.full(VM).replace("\"ossea_config_id\": 1", "\"ossea_config_id\": 7"));

        assertThat(result).hasStatus(400).bodyJson().isStrictlyEqualTo("""
                {"error": "Unknown CloudStack target",
                 "details": "ossea_config_id 7 is not a configured CloudStack target; configured: 1, 2",
                 "timestamp": "%s"}
                """.formatted(ReplicationApiWebTest.NOW));
        assertThat(pipeline.nothingReceived()).isTrue();
    }

    @Test
    void aConfiguredOsseaConfigIdGoesToThePipeline() {
        MvcTestResult result = post(SampleBodies.full(VM).replace("\"ossea_config_id\": 1", "\"ossea_config_id\": 2"));

        assertThat(result).hasStatus(202);
        assertThat(pipeline.submitted).singleElement()
                .satisfies(request -> assertThat(request.getOsseaConfigId()).isEqualTo(2L));
        assertThat(pipeline.published).isEmpty();
    }

    @Test
    void anOmittedOsseaConfigIdGoesToThePipeline() {
        MvcTestResult result = post(SampleBodies.minimal(VM, "pgtest1"));

        assertThat(result).hasStatus(202);
        assertThat(pipeline.submitted).singleElement()
                .satisfies(request -> assertThat(request.getOsseaConfigId()).isNull());
        assertThat(pipeline.published).isEmpty();
    }

    private MvcTestResult post(String body) {
        return mvc.post().uri("/api/v1/replications").header("Authorization", "Bearer " + ReplicationApiWebTest.OPERATOR)
                .contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }
}
