package io.migratekit.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedTestInfrastructureTest {

    @Test
    void isStartedOncePerJvm() {
        assertThat(SharedTestInfrastructure.get()).isSameAs(SharedTestInfrastructure.get());
    }

    @Test
    void handsOutADifferentDatabaseOnEveryCall() {
        // given
        SharedTestInfrastructure infrastructure = SharedTestInfrastructure.get();

        // when
        String first = infrastructure.newDatabase("job-service");
        String second = infrastructure.newDatabase("job-service");

        // then
        assertThat(first).isNotEqualTo(second).contains("/db_job_service_");
        assertThat(second).contains("/db_job_service_");
    }

    @Test
    void givesNamesThatFitPostgresLimitsForLongPrefixes() {
        String jdbcUrl = SharedTestInfrastructure.get().newDatabase("x".repeat(100));

        assertThat(jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1)).hasSizeLessThanOrEqualTo(63);
    }
}
