package io.migratekit.progress.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    private final SecretRedactor redactor = new SecretRedactor(List.of("Hunter2-vc-pass", "", "abc"));

    @Test
    void configuredSecretsAndCredentialShapedTextAreRemoved() {
        String text = "login with Hunter2-vc-pass failed; url=http://root:toor@vma:8081/x token=\"eyJhbGci\" "
                + "Authorization: Bearer abc.def.ghi {\"password\": \"p@ss\"}";

        String clean = redactor.clean(text);

        assertThat(clean).isEqualTo("login with <redacted> failed; url=http://<redacted>@vma:8081/x "
                + "token=\"<redacted>\" Authorization: <redacted> <redacted> {\"password\": \"<redacted>\"}");
    }

    @Test
    void textIsPutOnOneLineAndCapped() {
        String clean = redactor.clean("first line\n\tsecond   line " + "x".repeat(600));

        assertThat(clean).startsWith("first line second line xxx");
        assertThat(clean).hasSize(500).endsWith("…");
    }

    @Test
    void nullBecomesEmptyAndShortConfiguredValuesAreNotTreatedAsSecrets() {
        assertThat(redactor.clean(null)).isEmpty();
        assertThat(redactor.clean("abc is not a secret")).isEqualTo("abc is not a secret");
    }
}
