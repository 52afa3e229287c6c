package io.migratekit.cloudstack.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.client.CloudStackClient.DeployRequest;
import io.migratekit.cloudstack.client.CloudStackClient.Timing;
import io.migratekit.cloudstack.client.CloudStackException.Kind;
import io.migratekit.cloudstack.client.CloudStackModel.JobStarted;
import io.migratekit.cloudstack.client.CloudStackModel.Volume;
import io.migratekit.cloudstack.client.CloudStackModel.Zone;
import io.migratekit.cloudstack.client.CannedCloudStack.Captured;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudStackClientTest {

    static final String SECRET = "test-secret-of-the-canned-cloud";
    static final String API_KEY = "test-api-key";
    static final Timing FAST = new Timing(Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMillis(40),
            Duration.ofSeconds(10), Duration.ofMinutes(5));
    private static final Instant NOW = Instant.parse("2026-12-06T10:10:00Z");

    private final CannedCloudStack cloud = canned();
    private final CloudStackClient client = new CloudStackClient(cloud.url(), API_KEY,
            SECRET.getBytes(StandardCharsets.UTF_8), FAST, Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void sendsASignedFormPostAndReadsTypedObjects() {
        // given
        cloud.ok("listZones", "{\"count\":2,\"zone\":[{\"id\":\"z-1\",\"name\":\"zone one\",\"allocationstate\":\"Enabled\","
                + "\"networktype\":\"Advanced\"},{\"id\":\"z-2\",\"name\":\"zone two\",\"allocationstate\":\"Disabled\"}]}");

        // when
        List<Zone> zones = client.listZones();

        // then
        assertThat(zones).containsExactly(new Zone("z-1", "zone one", "Enabled"), new Zone("z-2", "zone two", "Disabled"));
        assertThat(cloud.requests()).hasSize(1);
        Captured request = cloud.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.params()).containsOnlyKeys("command", "response", "apikey", "available", "signatureversion",
                "expires", "signature");
        assertThat(request.params()).containsEntry("command", "listZones").containsEntry("response", "json")
                .containsEntry("apikey", API_KEY).containsEntry("available", "true")
                .containsEntry("signatureversion", "3").containsEntry("expires", "2026-12-06T10:15:00Z");
        // the canned server verified the signature its own way, or it would have answered 401
        assertThat(request.params().get("signature")).isNotBlank();
    }

    @Test
    void encodesMapParametersOnTheWireAndSignsThemUnencoded() {
        // given
        cloud.ok("deployVirtualMachine", "{\"jobid\":\"job-9\",\"id\":\"vm-9\"}");

        // when
        JobStarted started = client.deployVirtualMachine(new DeployRequest("so-1", "t-1", "z-1", "pgtest1-ab12cd34",
                "pg test 1", List.of("n-1", "n-2"), 4, 8192));

        // then
        assertThat(started).isEqualTo(new JobStarted("job-9", "vm-9"));
        Captured request = cloud.requests().get(0);
        assertThat(request.own()).isEqualTo(Map.of("serviceofferingid", "so-1", "templateid", "t-1", "zoneid", "z-1",
                "name", "pgtest1-ab12cd34", "displayname", "pg test 1", "networkids", "n-1,n-2", "startvm", "false",
                "details[0].cpuNumber", "4", "details[0].memory", "8192"));
        assertThat(request.rawBody()).contains("details%5B0%5D.cpuNumber=4").contains("displayname=pg+test+1")
                .contains("networkids=n-1%2Cn-2");
    }

    @Test
    void anErrorAnswerCarriesErrorcodeCserrorcodeAndErrortext() {
        // given
        cloud.answer("createVolume", 431, "{\"createvolumeresponse\":{\"uuidList\":[],\"errorcode\":431,"
                + "\"cserrorcode\":4350,\"errortext\":\"Unable to find disk offering by id d-x\"}}");
        cloud.answer("listVolumes", 530, "{\"listvolumesresponse\":{\"uuidList\":[],\"errorcode\":530,"
                + "\"cserrorcode\":4250,\"errortext\":\"Internal error executing command\"}}");

        // then
        assertThatThrownBy(() -> client.createVolume("v", 10, "d-x", "z-1"))
                .isInstanceOfSatisfying(CloudStackException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.API_ERROR);
                    assertThat(e.command()).isEqualTo("createVolume");
                    assertThat(e.errorCode()).isEqualTo(431);
                    assertThat(e.csErrorCode()).isEqualTo(4350);
                    assertThat(e.errorText()).isEqualTo("Unable to find disk offering by id d-x");
                    assertThat(e.getMessage()).isEqualTo("CloudStack createVolume failed: Unable to find disk offering "
                            + "by id d-x (errorcode 431, cserrorcode 4350)");
                });
        assertThatThrownBy(() -> client.listVolumes(Map.of("id", "v-1")))
                .isInstanceOfSatisfying(CloudStackException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.API_ERROR);
                    assertThat(e.errorCode()).isEqualTo(530);
                    assertThat(e.csErrorCode()).isEqualTo(4250);
                    assertThat(e.errorText()).isEqualTo("Internal error executing command");
                });
    }

    @Test
    void aWrongSecretIsRefusedWith401() {
        // given
        CloudStackClient wrong = new CloudStackClient(cloud.url(), API_KEY,
                "another-secret".getBytes(StandardCharsets.UTF_8), FAST, Clock.systemUTC());

        // then
        assertThatThrownBy(wrong::listZones).isInstanceOfSatisfying(CloudStackException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.API_ERROR);
            assertThat(e.errorCode()).isEqualTo(401);
            assertThat(e.errorText()).isEqualTo("unable to verify user credentials and/or request signature");
            assertThat(e.getMessage()).doesNotContain("another-secret").doesNotContain(API_KEY);
        });
    }

    @Test
    void anEmptyListAnswerIsAnEmptyList() {
        // given
        cloud.ok("listVolumes", "{}");

        // then
        assertThat(client.listVolumes(Map.of("name", "nothing"))).isEmpty();
        assertThat(cloud.requests().get(0).own()).isEqualTo(Map.of("name", "nothing", "listall", "true"));
    }

    @Test
    void anIdCloudStackDoesNotKnowIsNoObject() {
        // given: CloudStack answers either 431 or nothing
        cloud.answer("listVolumes", 431, "{\"listvolumesresponse\":{\"uuidList\":[],\"errorcode\":431,\"cserrorcode\":4350,"
                + "\"errortext\":\"Invalid parameter id value=v-9 due to incorrect long value format, or entity does not "
                + "exist or due to incorrect parameter annotation for the field in api cmd class.\"}}");
        cloud.ok("listVirtualMachines", "{}");
        cloud.answer("listSnapshots", 530, "{\"listsnapshotsresponse\":{\"errorcode\":530,\"cserrorcode\":4250,"
                + "\"errortext\":\"Internal error executing command\"}}");

        // then
        assertThat(client.volume("v-9")).isEmpty();
        assertThat(client.virtualMachine("vm-9")).isEmpty();
        assertThatThrownBy(() -> client.snapshot("s-9")).isInstanceOfSatisfying(CloudStackException.class,
                e -> assertThat(e.errorCode()).isEqualTo(530));
        assertThat(cloud.requests()).extracting(Captured::own).containsExactly(Map.of("id", "v-9", "listall", "true"),
                Map.of("id", "vm-9", "listall", "true"), Map.of("id", "s-9", "listall", "true"));
    }

    @Test
    void waitsOnAJobFromPendingToSuccess() throws InterruptedException {
        // given
        cloud.ok("createVolume", "{\"jobid\":\"job-1\",\"id\":\"v-1\"}");
        cloud.job("job-1", 0, null).job("job-1", 0, null)
                .job("job-1", 1, "{\"volume\":{\"id\":\"v-1\",\"name\":\"disk\",\"type\":\"DATADISK\","
                        + "\"size\":10737418240,\"state\":\"Allocated\",\"zoneid\":\"z-1\"}}");

        // when
        JobStarted started = client.createVolume("disk", 10, "d-1", "z-1");
        Volume volume = client.awaitObject("createVolume", started.jobId(), "volume", Volume.class);

        // then
        assertThat(volume).isEqualTo(new Volume("v-1", "disk", "DATADISK", 10737418240L, null, null, "Allocated", "z-1"));
        assertThat(cloud.commands()).containsExactly("createVolume", "queryAsyncJobResult", "queryAsyncJobResult",
                "queryAsyncJobResult");
        assertThat(cloud.requests().get(0).own()).isEqualTo(Map.of("name", "disk", "size", "10", "diskofferingid", "d-1",
                "zoneid", "z-1"));
        assertThat(cloud.requests().subList(1, 4)).allSatisfy(r -> assertThat(r.own()).isEqualTo(Map.of("jobid", "job-1")));
    }

    @Test
    void aFailedJobThrowsCloudStacksOwnError() {
        // given
        cloud.job("job-2", 0, null).job("job-2", 2, "{\"errorcode\":530,\"cserrorcode\":4250,"
                + "\"errortext\":\"Failed to attach volume disk to VM appliance; Maximum number of data volumes reached\"}");

        // then
        assertThatThrownBy(() -> client.awaitJob("attachVolume", "job-2"))
                .isInstanceOfSatisfying(CloudStackException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.JOB_FAILED);
                    assertThat(e.jobId()).isEqualTo("job-2");
                    assertThat(e.errorCode()).isEqualTo(530);
                    assertThat(e.csErrorCode()).isEqualTo(4250);
                    assertThat(e.errorText()).isEqualTo(
                            "Failed to attach volume disk to VM appliance; Maximum number of data volumes reached");
                });
        assertThat(cloud.commands()).containsExactly("queryAsyncJobResult", "queryAsyncJobResult");
    }

    @Test
    void aJobThatNeverEndsFailsAtTheBound() {
        // given
        cloud.always("queryAsyncJobResult", 200, "{\"queryasyncjobresultresponse\":{\"jobid\":\"job-3\",\"jobstatus\":0}}");

        CloudStackClient impatient = new CloudStackClient(cloud.url(), API_KEY, SECRET.getBytes(StandardCharsets.UTF_8),
                new Timing(Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(300),
                        Duration.ofMinutes(5)), Clock.systemUTC());

        // when
        long started = System.nanoTime();
        assertThatThrownBy(() -> impatient.awaitJob("startVirtualMachine", "job-3"))
                .isInstanceOfSatisfying(CloudStackException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.JOB_TIMEOUT);
                    assertThat(e.jobId()).isEqualTo("job-3");
                    assertThat(e.getMessage()).isEqualTo("CloudStack startVirtualMachine (job job-3): still pending after 0 s");
                });
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        // then: it polled with growing pauses (10, 20, 40, 40, ... ms) and stopped at the 300 ms bound
        assertThat(waitedMillis).isGreaterThanOrEqualTo(300);
        assertThat(cloud.commands()).hasSizeBetween(3, 12).containsOnly("queryAsyncJobResult");
    }

    @Test
    void aCallWithoutAnAnswerInTimeFailsAsTimeout() {
        // given
        CloudStackClient impatient = new CloudStackClient(cloud.url(), API_KEY, SECRET.getBytes(StandardCharsets.UTF_8),
                new Timing(Duration.ofMillis(200), Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(300),
                        Duration.ofMinutes(5)), Clock.systemUTC());
        cloud.delay(1_000).ok("listZones", "{}");

        // then
        assertThatThrownBy(impatient::listZones).isInstanceOfSatisfying(CloudStackException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.getMessage()).isEqualTo("CloudStack listZones: no answer within 200 ms");
        });
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        // given
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CloudStackClient nowhere = new CloudStackClient("http://127.0.0.1:" + port, API_KEY,
                SECRET.getBytes(StandardCharsets.UTF_8), FAST, Clock.systemUTC());

        // then
        assertThatThrownBy(nowhere::listZones).isInstanceOfSatisfying(CloudStackException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.getMessage()).isEqualTo("CloudStack listZones: CloudStack unreachable at http://127.0.0.1:" + port);
        });
    }

    static CannedCloudStack canned() {
        try {
            return new CannedCloudStack(SECRET);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
