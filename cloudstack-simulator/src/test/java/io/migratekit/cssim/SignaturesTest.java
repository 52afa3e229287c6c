package io.migratekit.cssim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The simulator's own signature verifier against the known answer of the CloudStack documentation. */
class SignaturesTest {

    static final String DOC_SECRET = "VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ";
    static final String DOC_KEY = "plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg";
    static final String DOC_STRING = "apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg"
            + "&command=listusers&response=json";
    static final String DOC_SIGNATURE = "TTpdDq/7j/J58XCRHomKoQXEQds=";
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private static Map<String, String> docRequest() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("command", "listUsers");
        p.put("response", "json");
        p.put("apiKey", DOC_KEY);
        return p;
    }

    @Test
    void knownAnswerOfTheDocumentationIsReproducedAndAccepted() {
        // given the documentation's request and secret
        Map<String, String> p = docRequest();
        // when the simulator builds the string to sign and its HMAC
        String toSign = Signatures.stringToSign(p);
        String signature = Signatures.hmac(toSign, DOC_SECRET);
        // then both are the documented ones and the verifier accepts the signed request
        assertThat(toSign).isEqualTo(DOC_STRING);
        assertThat(signature).isEqualTo(DOC_SIGNATURE);
        p.put("signature", DOC_SIGNATURE);
        assertThat(Signatures.verify(p, DOC_KEY, DOC_SECRET, NOW, null)).isTrue();
    }

    @Test
    void aChangedSignatureParameterOrKeyIsRefused() {
        Map<String, String> p = docRequest();
        p.put("signature", DOC_SIGNATURE);
        assertThat(Signatures.verify(p, DOC_KEY, DOC_SECRET + "x", NOW, null)).as("other secret").isFalse();
        assertThat(Signatures.verify(p, DOC_KEY + "x", DOC_SECRET, NOW, null)).as("other key").isFalse();
        p.put("command", "listUsers2");
        assertThat(Signatures.verify(p, DOC_KEY, DOC_SECRET, NOW, null)).as("changed parameter").isFalse();
        Map<String, String> unsigned = docRequest();
        assertThat(Signatures.verify(unsigned, DOC_KEY, DOC_SECRET, NOW, null)).as("no signature").isFalse();
    }

    @Test
    void valuesAreEncodedWithSpacesAsPercent20BeforeLowerCasing() {
        // given a value with a space, a slash and a plus, and a map parameter name
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", "My Vol/1+2");
        p.put("details[0].cpuNumber", "4");
        // then the name stays unencoded and the value is encoded as URLEncoder with %20, all lower case
        assertThat(Signatures.stringToSign(p)).isEqualTo("details[0].cpunumber=4&name=my%20vol%2f1%2b2");
    }

    @Test
    void version3RequiresAnUnexpiredExpiresAndOptionallyAWindow() {
        Map<String, String> p = docRequest();
        p.put("signatureVersion", "3");
        p.put("expires", "2026-12-06T10:05:00+0000");
        p.put("signature", Signatures.hmac(Signatures.stringToSign(p), DOC_SECRET));
        assertThat(Signatures.verify(p, DOC_KEY, DOC_SECRET, NOW, null)).as("in time").isTrue();
        assertThat(Signatures.verify(p, DOC_KEY, DOC_SECRET, NOW.plusSeconds(301), null)).as("expired").isFalse();
        assertThat(Signatures.verify(p, DOC_KEY, DOC_SECRET, NOW, Duration.ofMinutes(15))).as("within window").isTrue();
        assertThat(Signatures.verify(p, DOC_KEY, DOC_SECRET, NOW.minusSeconds(3600), Duration.ofMinutes(15)))
                .as("too far ahead").isFalse();
        Map<String, String> noExpires = docRequest();
        noExpires.put("signatureVersion", "3");
        noExpires.put("signature", Signatures.hmac(Signatures.stringToSign(noExpires), DOC_SECRET));
        assertThat(Signatures.verify(noExpires, DOC_KEY, DOC_SECRET, NOW, null)).as("version 3 without expires").isFalse();
    }

    @Test
    void expiresIsReadInTheFormsClientsSend() {
        assertThat(Signatures.parseExpires("2026-12-06T10:15:00Z")).isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
        assertThat(Signatures.parseExpires("2026-12-06T10:15:00+0000")).isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
        assertThat(Signatures.parseExpires("2026-12-06T11:15:00+01:00")).isEqualTo(Instant.parse("2026-12-06T10:15:00Z"));
        assertThat(Signatures.parseExpires("tomorrow")).isNull();
    }
}
