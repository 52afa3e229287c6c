package io.migratekit.cssim;

import static io.migratekit.cssim.SimTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.migratekit.cssim.SimTestSupport.Client;
import io.migratekit.cssim.SimTestSupport.Reply;
import tools.jackson.databind.JsonNode;

/** Authentication, the error shapes and the seeded lists as CloudStack answers them. */
class ApiContractTest {

    @TempDir
    static Path dataDir;
    static CloudStackSimulator sim;
    static Client client;

    @BeforeAll
    static void start() {
        sim = CloudStackSimulator.start(config(dataDir, Duration.ZERO).build());
        client = new Client(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static void assertUnauthorized(Reply r) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.envelopeKey()).isEqualTo("listzonesresponse");
        assertThat(r.body().toString()).isEqualTo(
                "{\"uuidList\":[],\"errorcode\":401,\"errortext\":\"unable to verify user credentials and/or request signature\"}");
    }

    @Test
    void aSignedGetAndASignedPostAreAnswered() {
        for (Reply r : new Reply[] {client.get("listZones", Map.of("available", "true")), client.post("listZones", Map.of())}) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.envelopeKey()).isEqualTo("listzonesresponse");
            assertThat(r.body().get("count").asInt()).isEqualTo(1);
            assertThat(r.body().get("zone").get(0).get("id").asString()).isEqualTo(sim.config().zone().id());
            assertThat(r.body().get("zone").get(0).get("name").asString()).isEqualTo(sim.config().zone().name());
        }
    }

    @Test
    void theDocumentationsKnownAnswerPassesAuthenticationOnTheWire() {
        // given a simulator holding the documentation's key pair
        try (CloudStackSimulator doc = CloudStackSimulator.start(SimulatorConfig.builder().dataDir(dataDir.resolve("doc"))
                .apiKey(SignaturesTest.DOC_KEY).secretKey(SignaturesTest.DOC_SECRET).build())) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("command", "listUsers");
            p.put("response", "json");
            p.put("apiKey", SignaturesTest.DOC_KEY);
            p.put("signature", SignaturesTest.DOC_SIGNATURE);
            // when the documented request is sent
            Reply r = new Client(doc).send(false, p);
            // then it is authenticated (listUsers is not simulated: 432, not 401)
            assertThat(r.status()).isEqualTo(432);
            assertThat(r.envelopeKey()).isEqualTo("listusersresponse");
        }
    }

    @Test
    void aWrongKeyIsRefusedWith401() {
        Client wrongKey = new Client(sim.endpoint(), "not-the-key", sim.config().secretKey());
        assertUnauthorized(wrongKey.get("listZones", Map.of()));
    }

    @Test
    void aWrongSecretIsRefusedWith401() {
        Client wrongSecret = new Client(sim.endpoint(), sim.config().apiKey(), "not-the-secret");
        assertUnauthorized(wrongSecret.post("listZones", Map.of()));
    }

    @Test
    void aParameterChangedAfterSigningIsRefusedWith401() {
        Map<String, String> p = client.signed("listZones", Map.of("id", "a"), Instant.now().plusSeconds(60), m -> {
            m.put("id", "b");
            return m;
        });
        assertUnauthorized(client.send(false, p));
    }

    @Test
    void anExpiredRequestIsRefusedWith401() {
        Map<String, String> p = client.signed("listZones", Map.of(), Instant.now().minusSeconds(1), m -> m);
        assertUnauthorized(client.send(true, p));
    }

    @Test
    void anUnknownCommandIs432() {
        Reply r = client.get("listUsers", Map.of());
        assertThat(r.status()).isEqualTo(432);
        assertThat(r.body().toString()).isEqualTo("{\"uuidList\":[],\"errorcode\":432,\"cserrorcode\":9999,"
                + "\"errortext\":\"The given command does not exist or it is not available for user\"}");
    }

    @Test
    void aMissingParameterIs431NamingIt() {
        Reply r = client.post("attachVolume", Map.of("id", "x"));
        assertThat(r.status()).isEqualTo(431);
        assertThat(r.envelopeKey()).isEqualTo("attachvolumeresponse");
        assertThat(r.body().get("errorcode").asInt()).isEqualTo(431);
        assertThat(r.body().get("errortext").asString()).isEqualTo("Unable to execute API command attachvolume due to missing parameter virtualmachineid");
    }

    @Test
    void aNonexistentIdIs431() {
        Reply r = client.post("deleteVolume", Map.of("id", "7b0c2f7e-0000-4000-8000-00000000dead"));
        assertThat(r.status()).isEqualTo(431);
        assertThat(r.body().get("errortext").asString())
                .startsWith("Unable to execute API command deletevolume due to invalid value. Invalid parameter id value=7b0c2f7e-0000-4000-8000-00000000dead");
    }

    @Test
    void theSeededWorldIsListed() {
        SimulatorConfig c = sim.config();
        assertThat(ids(client.get("listServiceOfferings", Map.of()).body(), "serviceoffering")).isEqualTo(c.serviceOffering().id());
        assertThat(client.get("listServiceOfferings", Map.of()).body().get("serviceoffering").get(0).get("iscustomized").asBoolean()).isTrue();
        assertThat(ids(client.get("listDiskOfferings", Map.of()).body(), "diskoffering")).isEqualTo(c.diskOffering().id());
        assertThat(ids(client.get("listTemplates", Map.of("templatefilter", "executable")).body(), "template")).isEqualTo(c.template().id());
        assertThat(ids(client.get("listNetworks", Map.of("listall", "true")).body(), "network"))
                .isEqualTo(c.networks().get(0).id() + "," + c.networks().get(1).id());
        assertThat(ids(client.get("listAccounts", Map.of()).body(), "account")).isEqualTo(c.account().id());
        JsonNode vms = client.get("listVirtualMachines", Map.of("listall", "true")).body();
        assertThat(ids(vms, "virtualmachine")).isEqualTo(c.applianceVm().id());
        JsonNode appliance = vms.get("virtualmachine").get(0);
        assertThat(appliance.get("account").asString()).isEqualTo(c.account().name());
        assertThat(appliance.get("state").asString()).isEqualTo("Running");
        assertThat(appliance.get("nic").get(0).get("macaddress").asString()).isEqualTo(c.applianceMac());
        JsonNode roots = client.get("listVolumes", Map.of("virtualmachineid", c.applianceVm().id(), "type", "ROOT")).body();
        assertThat(roots.get("count").asInt()).isEqualTo(1);
        assertThat(roots.get("volume").get(0).get("deviceid").asInt()).isZero();
    }

    @Test
    void listTemplatesWithoutTemplatefilterIs431() {
        Reply r = client.get("listTemplates", Map.of());
        assertThat(r.status()).isEqualTo(431);
        assertThat(r.body().get("errortext").asString()).isEqualTo("Unable to execute API command listtemplates due to missing parameter templatefilter");
    }

    @Test
    void anEmptyListIsAnEmptyObject() {
        Reply r = client.get("listVolumes", Map.of("name", "no-such-volume"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().toString()).isEqualTo("{}");
    }

    private static String ids(JsonNode list, String key) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : list.get(key)) {
            sb.append(sb.length() > 0 ? "," : "").append(n.get("id").asString());
        }
        assertThat(list.get("count").asInt()).isEqualTo(list.get(key).size());
        return sb.toString();
    }
}
