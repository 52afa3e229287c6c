package io.migratekit.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.platform.BearerTokens;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class TokenAuthenticatorTest {

    private static final String OPERATOR = "s3cret-operator-token";
    private static final String VIEWER = "s3cret-viewer-token";

    private final TokenAuthenticator authenticator = new TokenAuthenticator(List.of(
            ApiToken.fromConfig(0, "gui", hex(OPERATOR), "operator"),
            ApiToken.fromConfig(1, "dashboard", hex(VIEWER), "READ-ONLY")));

    @Test
    void aConfiguredTokenAuthenticatesAsItsNameAndRole() {
        assertThat(authenticator.authenticate("Bearer " + OPERATOR))
                .isEqualTo(new TokenAuthenticator.Result(new ApiPrincipal("gui", Role.OPERATOR), null));
        assertThat(authenticator.authenticate("bearer   " + VIEWER + "  "))
                .isEqualTo(new TokenAuthenticator.Result(new ApiPrincipal("dashboard", Role.READ_ONLY), null));
    }

    @Test
    void aMissingMalformedOrUnknownTokenDoesNotAuthenticate() {
        assertThat(authenticator.authenticate(null)).isEqualTo(new TokenAuthenticator.Result(null, "Missing bearer token"));
        assertThat(authenticator.authenticate("  ")).isEqualTo(new TokenAuthenticator.Result(null, "Missing bearer token"));
        assertThat(authenticator.authenticate("Basic Z3VpOnB3")).isEqualTo(
                new TokenAuthenticator.Result(null, "Authorization header must be 'Bearer <token>'"));
        assertThat(authenticator.authenticate("Bearer")).isEqualTo(
                new TokenAuthenticator.Result(null, "Authorization header must be 'Bearer <token>'"));
        assertThat(authenticator.authenticate("Bearer " + OPERATOR + "x")).isEqualTo(
                new TokenAuthenticator.Result(null, "Invalid bearer token"));
        assertThat(authenticator.authenticate("Bearer " + "x".repeat(5000))).isEqualTo(
                new TokenAuthenticator.Result(null, "Invalid bearer token"));
    }

    @Test
    void withoutConfiguredTokensNothingAuthenticatesAndTheStartWarns(CapturedOutput output) {
        TokenAuthenticator none = TokenAuthenticator.fromConfiguration(List.of());

        assertThat(none.hasTokens()).isFalse();
        assertThat(none.authenticate("Bearer " + OPERATOR)).isEqualTo(
                new TokenAuthenticator.Result(null, "Invalid bearer token"));
        assertThat(output.getOut()).contains("No API token is configured (migratekit.security.tokens[N].name/.sha256/.role):"
                + " every API request will be refused with 401");
    }

    @Test
    void theStartNamesTheTokensButNeverTheirHashes(CapturedOutput output) {
        TokenAuthenticator.fromConfiguration(List.of(ApiToken.fromConfig(0, "gui", hex(OPERATOR), "operator")));

        assertThat(output.getOut()).contains("1 API token(s) configured: [ApiToken[name=gui, role=operator]]")
                .doesNotContain(hex(OPERATOR)).doesNotContain(OPERATOR);
    }

    @Test
    void aTokenNameCanBeConfiguredOnlyOnce() {
        ApiToken first = ApiToken.fromConfig(0, "gui", hex(OPERATOR), "operator");
        ApiToken second = ApiToken.fromConfig(1, "gui", hex(VIEWER), "read-only");

        assertThatThrownBy(() -> new TokenAuthenticator(List.of(first, second)))
                .hasMessage("token name 'gui' is configured twice");
    }

    @Test
    void misconfiguredTokensAreRefusedWithoutRepeatingTheHash() {
        assertThatThrownBy(() -> ApiToken.fromConfig(2, "gui", "abc123", "operator"))
                .hasMessage("migratekit.security.tokens[2].sha256 (token 'gui') must be the SHA-256 of the token as "
                        + "64 hexadecimal digits");
        assertThatThrownBy(() -> ApiToken.fromConfig(0, "gui", hex(OPERATOR), "admin"))
                .hasMessage("migratekit.security.tokens[0].role (token 'gui'): unknown role 'admin', expected one of: "
                        + "operator, read-only, vma");
        assertThatThrownBy(() -> ApiToken.fromConfig(1, "", hex(OPERATOR), "vma"))
                .hasMessage("migratekit.security.tokens[1].name must be 1-128 characters of letters, digits, '.', '_', "
                        + "'@' or '-'");
        assertThat(ApiToken.fromConfig(0, "gui", hex(OPERATOR), "operator").toString())
                .isEqualTo("ApiToken[name=gui, role=operator]");
    }

    @Test
    void eachRoleGrantsExactlyItsPermissions() {
        assertThat(Role.OPERATOR.permits(Permission.READ)).isTrue();
        assertThat(Role.OPERATOR.permits(Permission.WRITE)).isTrue();
        assertThat(Role.OPERATOR.permits(Permission.CHANGE_ID)).isTrue();
        assertThat(Role.READ_ONLY.permits(Permission.READ)).isTrue();
        assertThat(Role.READ_ONLY.permits(Permission.WRITE)).isFalse();
        assertThat(Role.READ_ONLY.permits(Permission.CHANGE_ID)).isFalse();
        assertThat(Role.VMA.permits(Permission.READ)).isFalse();
        assertThat(Role.VMA.permits(Permission.WRITE)).isFalse();
        assertThat(Role.VMA.permits(Permission.CHANGE_ID)).isTrue();
    }

    private static String hex(String token) {
        return HexFormat.of().formatHex(BearerTokens.sha256(token));
    }
}
