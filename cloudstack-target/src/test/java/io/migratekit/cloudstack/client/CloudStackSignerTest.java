package io.migratekit.cloudstack.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudStackSignerTest {

    private static final String SECRET =
            "VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ";

    @Test
    void signsTheKnownAnswerVector() {
        // given: the parameters in sending order, mixed case as a caller may write them
        Map<String, String> params = new LinkedHashMap<>();
        params.put("command", "listUsers");
        params.put("response", "json");
        params.put("apikey", "plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg");

        // when
        String toSign = CloudStackSigner.stringToSign(params);
        String signature = new CloudStackSigner(SECRET.getBytes(StandardCharsets.UTF_8)).sign(params);

        // then
        assertThat(toSign).isEqualTo("apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg"
                + "&command=listusers&response=json");
        assertThat(signature).isEqualTo("TTpdDq/7j/J58XCRHomKoQXEQds=");
    }

    @Test
    void encodesSpacesAsPercent20AndLeavesTheSignatureOut() {
        // given
        Map<String, String> params = new LinkedHashMap<>();
        params.put("name", "web server+1");
        params.put("details[0].cpuNumber", "4");
        params.put("signature", "ignored");

        // when
        String toSign = CloudStackSigner.stringToSign(params);

        // then
        assertThat(toSign).isEqualTo("details[0].cpunumber=4&name=web%20server%2b1");
    }
}
