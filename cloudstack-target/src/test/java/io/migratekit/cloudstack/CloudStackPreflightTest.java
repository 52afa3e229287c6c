package io.migratekit.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.cloudstack.CloudStackPreflight.Report;
import io.migratekit.cloudstack.client.CannedCloudStack;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudStackPreflightTest {

    private static final Function<String, String> ENVIRONMENT =
            name -> "CS_SECRET".equals(name) ? CloudStackTargetPlatformTest.SECRET : null;

    private final CannedCloudStack cloud = CloudStackTargetPlatformTest.canned();
    private final CloudStackTargetConfig config = CloudStackTargetPlatformTest.config(cloud.url());

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void aConfigurationThatMatchesTheCloudHasNoProblems() {
        // given
        cloud.ok("listZones", "{\"count\":1,\"zone\":[{\"id\":\"z-1\",\"name\":\"zone one\"}]}")
                .ok("listServiceOfferings", "{\"count\":1,\"serviceoffering\":[{\"id\":\"so-1\",\"name\":\"Custom\","
                        + "\"iscustomized\":true}]}")
                .ok("listDiskOfferings", "{\"count\":1,\"diskoffering\":[{\"id\":\"d-1\",\"name\":\"Custom\","
                        + "\"iscustomized\":true,\"disksize\":0}]}")
                .ok("listTemplates", "{\"count\":1,\"template\":[{\"id\":\"t-1\",\"name\":\"boot\",\"zoneid\":\"z-1\","
                        + "\"isready\":true}]}")
                .ok("listNetworks", "{\"count\":4,\"network\":[" + network("n-test") + "," + network("n-iso") + ","
                        + network("n-live-1") + "," + network("n-live-2") + "]}")
                .ok("listAccounts", "{\"count\":2,\"account\":[{\"id\":\"a-0\",\"name\":\"admin\",\"user\":[{\"id\":\"u-0\","
                        + "\"username\":\"admin\",\"apikey\":\"another-key\"}]},{\"id\":\"a-1\",\"name\":\"migration\","
                        + "\"user\":[{\"id\":\"u-1\",\"username\":\"oma\",\"apikey\":\"key-of-the-appliance\"}]}]}")
                .ok("listVirtualMachines", "{\"count\":1,\"virtualmachine\":[{\"id\":\"app-1\",\"name\":\"oma\","
                        + "\"state\":\"Running\",\"account\":\"migration\"}]}");

        // when
        Report report = CloudStackPreflight.check(config, ENVIRONMENT, CloudStackTargetPlatformTest.FAST, Clock.systemUTC());

        // then
        assertThat(report).isEqualTo(new Report(1, "app-1", List.of()));
        assertThat(report.ok()).isTrue();
        assertThat(cloud.commands()).containsExactly("listZones", "listServiceOfferings", "listDiskOfferings",
                "listTemplates", "listNetworks", "listAccounts", "listVirtualMachines");
    }

    @Test
    void saysEveryProblemInPlainWords() {
        // given
        cloud.ok("listZones", "{\"count\":1,\"zone\":[{\"id\":\"z-9\",\"name\":\"elsewhere\"}]}")
                .ok("listServiceOfferings", "{}")
                .ok("listDiskOfferings", "{\"count\":1,\"diskoffering\":[{\"id\":\"d-1\",\"name\":\"Small\","
                        + "\"iscustomized\":false,\"disksize\":5}]}")
                .ok("listTemplates", "{\"count\":1,\"template\":[{\"id\":\"t-1\",\"name\":\"boot\",\"zoneid\":\"z-9\"}]}")
                .ok("listNetworks", "{\"count\":1,\"network\":[" + network("n-live-1") + "]}")
                .answer("listAccounts", 530, "{\"listaccountsresponse\":{\"errorcode\":530,\"cserrorcode\":4250,"
                        + "\"errortext\":\"Internal error executing command\"}}")
                .ok("listVirtualMachines", "{}");

        // when
        Report report = CloudStackPreflight.check(config, ENVIRONMENT, CloudStackTargetPlatformTest.FAST, Clock.systemUTC());

        // then
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).containsExactly(
                "zone z-1 is not among the available zones (there are elsewhere z-9)",
                "service offering so-1 does not exist (there are none)",
                "disk offering d-1 (Small) has a fixed size; replication volumes need a custom-size disk offering",
                "template t-1 is not an executable template in zone z-1",
                "network n-test of the test network mapping does not exist or the API key cannot see it",
                "network n-iso of the test network mapping does not exist or the API key cannot see it",
                "network n-live-2 of the live network mapping does not exist or the API key cannot see it",
                "cannot list accounts: CloudStack listAccounts failed: Internal error executing command (errorcode 530, "
                        + "cserrorcode 4250)",
                "appliance VM app-1 does not exist or the API key cannot see it");
    }

    @Test
    void anApplianceOfAnotherAccountIsAProblem() {
        // given
        CloudStackTargetConfig noDefaultLive = new CloudStackTargetConfig(1, cloud.url(), "key-of-the-appliance",
                SecretSource.env("CS_SECRET"), "z-1", "d-1", "so-1", "t-1", "app-1", null, null);
        cloud.ok("listZones", "{\"count\":1,\"zone\":[{\"id\":\"z-1\",\"name\":\"zone one\"}]}")
                .ok("listServiceOfferings", "{\"count\":1,\"serviceoffering\":[{\"id\":\"so-1\",\"name\":\"Custom\"}]}")
                .ok("listDiskOfferings", "{\"count\":1,\"diskoffering\":[{\"id\":\"d-1\",\"name\":\"Custom\","
                        + "\"iscustomized\":true}]}")
                .ok("listTemplates", "{\"count\":1,\"template\":[{\"id\":\"t-1\",\"name\":\"boot\"}]}")
                .ok("listNetworks", "{}")
                .ok("listAccounts", "{\"count\":1,\"account\":[{\"id\":\"a-1\",\"name\":\"migration\"}]}")
                .ok("listVirtualMachines", "{\"count\":1,\"virtualmachine\":[{\"id\":\"app-1\",\"name\":\"oma\","
                        + "\"state\":\"Running\",\"account\":\"ops\"}]}");

        // when
        Report report = CloudStackPreflight.check(noDefaultLive, ENVIRONMENT, CloudStackTargetPlatformTest.FAST,
                Clock.systemUTC());

        // then
        assertThat(report.problems()).containsExactly(
                "the live network mapping has no default network: a live failover without a target network would have "
                        + "none",
                "appliance VM app-1 belongs to account ops, not to the API key's account migration: volumes created "
                        + "with this key cannot be attached to it");
    }

    @Test
    void aRefusedKeyIsTheOnlyProblemReported() {
        // when
        Report report = CloudStackPreflight.check(config, name -> "not-the-secret",
                CloudStackTargetPlatformTest.FAST, Clock.systemUTC());

        // then
        assertThat(report.problems()).containsExactly("CloudStack at " + cloud.url() + "/client/api refused the API key "
                + "or its secret key: unable to verify user credentials and/or request signature");
        assertThat(cloud.commands()).containsExactly("listZones");
    }

    @Test
    void aSecretThatCannotBeReadIsReportedWithoutCallingTheCloud() {
        // when
        Report report = CloudStackPreflight.check(config, name -> null, CloudStackTargetPlatformTest.FAST,
                Clock.systemUTC());

        // then
        assertThat(report.problems()).containsExactly(
                "the environment variable CS_SECRET that should hold the secret key is not set");
        assertThat(cloud.requests()).isEmpty();
    }

    private static String network(String id) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"zoneid\":\"z-1\",\"state\":\"Implemented\"}";
    }
}
