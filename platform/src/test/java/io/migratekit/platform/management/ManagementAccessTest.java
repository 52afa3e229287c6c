package io.migratekit.platform.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.platform.BearerTokens;
import io.migratekit.platform.management.ManagementAccess.Access;
import io.migratekit.platform.management.ManagementAccess.Verdict;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManagementAccessTest {

    private static final String TOKEN = "mgmt-token-for-this-test";
    private static final ManagementAccess ACCESS =
            new ManagementAccess("/actuator", List.of(BearerTokens.sha256("another"), BearerTokens.sha256(TOKEN)));

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void theProbedHealthIsOpenWithItsStatusOnly(String path) {
        assertThat(ACCESS.decide(path, null)).isEqualTo(new Verdict(Access.STATUS_ONLY, null));
        assertThat(ACCESS.decide(path, "Bearer wrong")).isEqualTo(new Verdict(Access.STATUS_ONLY, null));
        assertThat(ACCESS.decide(path, "Basic dXNlcjpwdw==")).isEqualTo(new Verdict(Access.STATUS_ONLY, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus", "/actuator/env",
            "/actuator/metrics", "/actuator", "/actuator/health/db"})
    void theManagementTokenOpensEverything(String path) {
        assertThat(ACCESS.decide(path, "Bearer " + TOKEN)).isEqualTo(new Verdict(Access.AUTHORIZED, null));
        assertThat(ACCESS.decide(path, "bearer  " + TOKEN + " ")).isEqualTo(new Verdict(Access.AUTHORIZED, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/prometheus", "/actuator/env", "/actuator/metrics", "/actuator/info", "/actuator",
            "/actuator/health/db", "/actuator/health/liveness/x", "/actuator/health/", "/actuator/anything"})
    void everythingElseUnderTheBasePathNeedsTheToken(String path) {
        assertThat(ACCESS.decide(path, null)).isEqualTo(new Verdict(Access.REFUSED,
                path + " needs the management token (Authorization: Bearer <token>): Missing bearer token"));
        assertThat(ACCESS.decide(path, "Bearer wrong")).isEqualTo(new Verdict(Access.REFUSED,
                path + " needs the management token (Authorization: Bearer <token>): Invalid bearer token"));
        assertThat(ACCESS.decide(path, "Token " + TOKEN)).isEqualTo(new Verdict(Access.REFUSED, path
                + " needs the management token (Authorization: Bearer <token>): Authorization header must be "
                + "'Bearer <token>'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/replications", "/", "/actuatorx/prometheus", "/v3/api-docs", "/error"})
    void pathsOutsideTheBasePathAreNotItsBusiness(String path) {
        assertThat(ACCESS.decide(path, null)).isEqualTo(new Verdict(Access.NOT_MANAGEMENT, null));
        assertThat(ACCESS.decide(path, "Bearer " + TOKEN)).isEqualTo(new Verdict(Access.NOT_MANAGEMENT, null));
    }

    @Test
    void withoutAConfiguredTokenOnlyTheOpenHealthAnswers() {
        ManagementAccess none = new ManagementAccess("/actuator", List.of());

        assertThat(none.hasTokens()).isFalse();
        assertThat(none.decide("/actuator/health", "Bearer " + TOKEN)).isEqualTo(new Verdict(Access.STATUS_ONLY, null));
        assertThat(none.decide("/actuator/prometheus", "Bearer " + TOKEN)).isEqualTo(new Verdict(Access.REFUSED,
                "/actuator/prometheus needs the management token, and none is configured "
                        + "(migratekit.management.token-sha256, environment MIGRATEKIT_MANAGEMENT_TOKEN_SHA256)"));
    }

    @Test
    void aMovedBasePathMovesTheRule() {
        ManagementAccess moved = new ManagementAccess("/manage/", List.of(BearerTokens.sha256(TOKEN)));

        assertThat(moved.decide("/manage/health", null)).isEqualTo(new Verdict(Access.STATUS_ONLY, null));
        assertThat(moved.decide("/manage/prometheus", null).access()).isEqualTo(Access.REFUSED);
        assertThat(moved.decide("/actuator/prometheus", null)).isEqualTo(new Verdict(Access.NOT_MANAGEMENT, null));
    }

    @Test
    void theConfiguredHashesAreCheckedAtStart() {
        ManagementProperties properties = new ManagementProperties();
        String hash = HexFormat.of().formatHex(BearerTokens.sha256(TOKEN));
        properties.setTokenSha256(List.of(" " + hash.toUpperCase() + " ", ""));
        assertThat(properties.tokenHashes()).containsExactly(BearerTokens.sha256(TOKEN));

        properties.setTokenSha256(List.of(hash, "not-a-hash"));
        assertThatThrownBy(properties::tokenHashes).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("migratekit.management.token-sha256[1] must be the SHA-256 of the management token as 64 "
                        + "hexadecimal digits");
    }
}
