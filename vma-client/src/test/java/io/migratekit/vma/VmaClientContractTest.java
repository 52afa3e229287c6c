package io.migratekit.vma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.vma.LocalVma.Misbehaviour;
import io.migratekit.vma.LocalVma.RawServer;
import io.migratekit.vma.LocalVma.Received;
import io.migratekit.vma.VmaDtos.DiscoverResponse;
import io.migratekit.vma.VmaDtos.Disk;
import io.migratekit.vma.VmaDtos.DiskProgress;
import io.migratekit.vma.VmaDtos.NbdTarget;
import io.migratekit.vma.VmaDtos.Network;
import io.migratekit.vma.VmaDtos.PowerResponse;
import io.migratekit.vma.VmaDtos.PowerState;
import io.migratekit.vma.VmaDtos.Progress;
import io.migratekit.vma.VmaDtos.ReplicateRequest;
import io.migratekit.vma.VmaDtos.ReplicateResponse;
import io.migratekit.vma.VmaDtos.Throughput;
import io.migratekit.vma.VmaDtos.Timing;
import io.migratekit.vma.VmaDtos.VcenterInfo;
import io.migratekit.vma.VmaDtos.Vm;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link VmaClient} against a local HTTP server that answers as docs/vma-api.md describes (and as
 * it must not): what each call sends, what it returns for each documented answer, and which
 * {@link VmaException} (kind, status, message) it fails with for every other answer or for no answer.
 */
class VmaClientContractTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    /** How long a test waits for a call before it fails instead of hanging; longer than any deadline. */
    private static final long WAIT_SECONDS = 20;
    private static final VcenterCredentials.Login LOGIN =
            new VcenterCredentials.Login("vcenter.demo.local", "administrator@vsphere.local", "s3cret&x=y");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LocalVma vma;
    private VmaClient client;

    @BeforeEach
    void start() throws Exception {
        vma = LocalVma.start();
        client = new VmaClient(vma.url(), null);
    }

    @AfterEach
    void stop() {
        vma.close();
    }

    // --- the documented answers ---

    @Test
    void discoverSendsTheLoginAndFilterAndReadsEveryDocumentedField() throws Exception {
        vma.answerJson(200, """
                {"vcenter": {"host": "vcenter.demo.local", "datacenter": "DemoDC"},
                 "vms": [{"id": "420559a1-2606-22a4-fc18-b03d13e3cf95", "name": "pgtest1",
                          "path": "/DemoDC/vm/databases/pgtest1", "datacenter": "DemoDC",
                          "power_state": "poweredOn", "guest_os": "linux", "num_cpu": 4, "memory_mb": 8192,
                          "vmx_version": "vmx-19", "cpus": 0, "os_type": "",
                          "disks": [{"id": "disk-2000", "label": "Hard disk 1", "path": "[ds1] pgtest1/pgtest1.vmdk",
                                     "vmdk_path": "[ds1] pgtest1/pgtest1.vmdk", "size_gb": 41,
                                     "capacity_bytes": 42949672960, "datastore": "ds1",
                                     "provisioning_type": "thin", "unit_number": 0}],
                          "networks": [{"label": "Network adapter 1", "network_name": "VM Network",
                                        "adapter_type": "vmxnet3", "mac_address": "00:50:56:aa:bb:cc",
                                        "connected": true}],
                          "annotation": "a key this client does not know"}]}
                """);

        DiscoverResponse response = call(client.discover(LOGIN, "DemoDC", "pgtest1", DEADLINE));

        assertThat(response).isEqualTo(new DiscoverResponse(new VcenterInfo("vcenter.demo.local", "DemoDC"), List.of(
                new Vm("420559a1-2606-22a4-fc18-b03d13e3cf95", "pgtest1", "/DemoDC/vm/databases/pgtest1", "DemoDC",
                        "poweredOn", "linux", 4, 8192L, "vmx-19", 0, "",
                        List.of(new Disk("disk-2000", "Hard disk 1", "[ds1] pgtest1/pgtest1.vmdk",
                                "[ds1] pgtest1/pgtest1.vmdk", 41L, 42949672960L, "ds1", "thin", 0)),
                        List.of(new Network("Network adapter 1", "VM Network", "vmxnet3", "00:50:56:aa:bb:cc",
                                true))))));
        Received request = only(vma.received());
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/api/v1/discover");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("""
                {"vcenter": "vcenter.demo.local", "username": "administrator@vsphere.local",
                 "password": "s3cret&x=y", "datacenter": "DemoDC", "filter": "pgtest1"}
                """));
    }

    @Test
    void discoverReadsAnEmptyVmListAndMissingKeysAsNull() throws Exception {
        vma.answerJson(200, "{\"vcenter\": {\"host\": \"vc\"}, \"vms\": []}");
        assertThat(call(client.discover(LOGIN, "DemoDC", "nothing", DEADLINE)))
                .isEqualTo(new DiscoverResponse(new VcenterInfo("vc", null), List.of()));

        vma.answerJson(200, "{\"vms\": [{\"name\": \"pgtest1\"}]}");
        assertThat(call(client.discover(LOGIN, "DemoDC", "pgtest1", DEADLINE))).isEqualTo(new DiscoverResponse(null,
                List.of(new Vm(null, "pgtest1", null, null, null, null, null, null, null, null, null, null, null))));
    }

    @Test
    void replicateSendsOneTargetPerDiskInSnakeCaseAndReadsTheStartedAnswer() throws Exception {
        vma.answerJson(200, """
                {"job_id": "job-20261206-040000.000-abc123", "status": "started", "vm_count": 1,
                 "started_at": "2026-12-06T04:00:00Z"}
                """);
        ReplicateRequest request = new ReplicateRequest("job-20261206-040000.000-abc123", "vcenter.demo.local",
                "administrator@vsphere.local", "s3cret&x=y", List.of("/DemoDC/vm/databases/pgtest1"),
                "http://oma.local:8082", List.of(new NbdTarget("nbd://10.0.0.5:10809/migration-vol-7", "2000")));

        ReplicateResponse response = call(client.replicate(request, DEADLINE));

        assertThat(response).isEqualTo(new ReplicateResponse("job-20261206-040000.000-abc123", "started", 1,
                "2026-12-06T04:00:00Z"));
        Received received = only(vma.received());
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.rawPath()).isEqualTo("/api/v1/replicate");
        assertThat(JSON.readTree(received.body())).isEqualTo(JSON.readTree("""
                {"job_id": "job-20261206-040000.000-abc123", "vcenter": "vcenter.demo.local",
                 "username": "administrator@vsphere.local", "password": "s3cret&x=y",
                 "vm_paths": ["/DemoDC/vm/databases/pgtest1"], "oma_url": "http://oma.local:8082",
                 "nbd_targets": [{"device_path": "nbd://10.0.0.5:10809/migration-vol-7", "vmware_disk_key": "2000"}]}
                """));
    }

    @Test
    void progressReadsEveryDocumentedField() throws Exception {
        vma.answerJson(200, """
                {"job_id": "job-1", "status": "in_progress", "sync_type": "incremental", "phase": "copying",
                 "percentage": 42.5, "current_operation": "copying disk-2000", "bytes_transferred": 425,
                 "total_bytes": 1000,
                 "throughput": {"current_mbps": 110.5, "average_mbps": 100.0, "peak_mbps": 120.25},
                 "timing": {"start_time": "2026-12-06T04:00:00Z", "last_update": "2026-12-06T04:00:10Z",
                            "elapsed_ms": 10000, "eta_seconds": 14},
                 "disk_progresses": [{"disk_id": "disk-2000", "label": "Hard disk 1", "bytes_transferred": 425,
                                      "total_bytes": 1000, "percent": 42.5, "throughput_mbps": 110.5,
                                      "status": "in_progress"}],
                 "errors": ["a retried read"], "last_error": "a retried read"}
                """);

        Optional<Progress> progress = call(client.progress("job-1", DEADLINE));

        assertThat(progress).contains(new Progress("job-1", "in_progress", "incremental", "copying", 42.5,
                "copying disk-2000", 425L, 1000L, new Throughput(110.5, 100.0, 120.25),
                new Timing("2026-12-06T04:00:00Z", "2026-12-06T04:00:10Z", 10000L, 14L),
                List.of(new DiskProgress("disk-2000", "Hard disk 1", 425L, 1000L, 42.5, 110.5, "in_progress")),
                List.of("a retried read"), "a retried read"));
        Received received = only(vma.received());
        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.rawPath()).isEqualTo("/api/v1/progress/job-1");
    }

    @Test
    void progressOfAJobTheVmaDoesNotKnowIsEmpty() throws Exception {
        vma.answerText(404, "job not found");

        assertThat(call(client.progress("job-unknown", DEADLINE))).isEmpty();
    }

    @Test
    void pathSegmentsAreEncodedAsPathsNotAsForms() throws Exception {
        vma.answerText(404, "job not found");

        call(client.progress("job 1/x+y", DEADLINE));

        assertThat(only(vma.received()).rawPath()).isEqualTo("/api/v1/progress/job%201%2Fx%2By");
    }

    @Test
    void powerOffSendsTheLoginGracefullyAndReadsTheAnswer() throws Exception {
        vma.answerJson(200, """
                {"success": true, "vm_id": "4205-uuid", "previous_state": "poweredOn", "new_state": "poweredOff",
                 "operation": "power-off", "shutdown_method": "graceful", "duration_seconds": 12.5,
                 "timestamp": "2026-12-06T04:00:00Z", "message": "VM powered off"}
                """);

        PowerResponse response = call(client.powerOff("4205-uuid", LOGIN, false, DEADLINE));

        assertThat(response).isEqualTo(new PowerResponse(true, "4205-uuid", "poweredOn", "poweredOff", "power-off",
                "graceful", 12.5, "2026-12-06T04:00:00Z", "VM powered off"));
        Received received = only(vma.received());
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.rawPath()).isEqualTo("/api/v1/vm/4205-uuid/power-off");
        assertThat(JSON.readTree(received.body())).isEqualTo(JSON.readTree("""
                {"vcenter": "vcenter.demo.local", "username": "administrator@vsphere.local",
                 "password": "s3cret&x=y", "force": false, "timeout": 300}
                """));
    }

    @Test
    void powerOnPostsToItsOwnRoute() throws Exception {
        vma.answerJson(200, """
                {"success": true, "vm_id": "4205-uuid", "previous_state": "poweredOff", "new_state": "poweredOn",
                 "operation": "power-on", "shutdown_method": "", "duration_seconds": 1.0,
                 "timestamp": "2026-12-06T04:00:00Z", "message": "VM powered on"}
                """);

        PowerResponse response = call(client.powerOn("4205-uuid", LOGIN, DEADLINE));

        assertThat(response).isEqualTo(new PowerResponse(true, "4205-uuid", "poweredOff", "poweredOn", "power-on", "",
                1.0, "2026-12-06T04:00:00Z", "VM powered on"));
        Received received = only(vma.received());
        assertThat(received.rawPath()).isEqualTo("/api/v1/vm/4205-uuid/power-on");
        assertThat(JSON.readTree(received.body()).get("force").booleanValue()).isFalse();
    }

    @Test
    void powerStateSendsTheLoginEncodedInTheQuery() throws Exception {
        vma.answerJson(200, """
                {"vm_id": "4205-uuid", "power_state": "poweredOff", "tools_status": "toolsNotRunning",
                 "timestamp": "2026-12-06T04:00:00Z"}
                """);

        PowerState state = call(client.powerState("4205-uuid", LOGIN, DEADLINE));

        assertThat(state).isEqualTo(new PowerState("4205-uuid", "poweredOff", "toolsNotRunning",
                "2026-12-06T04:00:00Z"));
        Received received = only(vma.received());
        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.rawPath()).isEqualTo("/api/v1/vm/4205-uuid/power-state");
        assertThat(received.rawQuery())
                .isEqualTo("vcenter=vcenter.demo.local&username=administrator%40vsphere.local&password=s3cret%26x%3Dy");
    }

    @Test
    void healthCompletesOnAnyTwoHundred() throws Exception {
        vma.answerJson(200, "{\"status\": \"healthy\"}");
        assertThat(call(client.health(DEADLINE))).isNull();

        vma.answerText(204, "");
        assertThat(call(client.health(DEADLINE))).isNull();
        assertThat(vma.received()).extracting(Received::rawPath).containsExactly("/api/v1/health", "/api/v1/health");
    }

    // --- error statuses: plain-text bodies ---

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 500, 502, 503})
    void anErrorStatusIsAnHttpErrorQuotingThePlainTextBody(int status) {
        vma.answerText(status, "  username, password are required\n");

        VmaException failure = failure(client.discover(LOGIN, "DemoDC", "pgtest1", DEADLINE));

        assertThat(failure.kind()).isEqualTo(VmaException.Kind.HTTP_ERROR);
        assertThat(failure.status()).isEqualTo(status);
        assertThat(failure).hasMessage("VMA POST /api/v1/discover answered HTTP " + status
                + ": username, password are required").hasNoCause();
    }

    @Test
    void aNotFoundOutsideProgressIsAnError() {
        vma.answerText(404, "VM not found: 4205-uuid");

        VmaException failure = failure(client.powerState("4205-uuid", LOGIN, DEADLINE));

        assertThat(failure.kind()).isEqualTo(VmaException.Kind.HTTP_ERROR);
        assertThat(failure.status()).isEqualTo(404);
        assertThat(failure).hasMessage("VMA GET /api/v1/vm/4205-uuid/power-state answered HTTP 404: "
                + "VM not found: 4205-uuid");
        assertThat(failure.getMessage()).doesNotContain("s3cret");
    }

    @Test
    void progressErrorsOtherThanNotFoundAreErrors() {
        vma.answerText(500, "progress store unavailable");

        VmaException failure = failure(client.progress("job-1", DEADLINE));

        assertThat(failure.kind()).isEqualTo(VmaException.Kind.HTTP_ERROR);
        assertThat(failure.status()).isEqualTo(500);
        assertThat(failure).hasMessage("VMA GET /api/v1/progress/job-1 answered HTTP 500: progress store unavailable");
    }

    @Test
    void aLongErrorBodyIsCutAt300Characters() {
        vma.answerText(500, "x".repeat(1000));

        VmaException failure = failure(client.health(DEADLINE));

        assertThat(failure).hasMessage("VMA GET /api/v1/health answered HTTP 500: " + "x".repeat(300) + "…");
    }

    @Test
    void aRedirectIsNotFollowed() {
        vma.redirectTo(302, "http://elsewhere.invalid/api/v1/discover");

        VmaException failure = failure(client.discover(LOGIN, "DemoDC", "pgtest1", DEADLINE));

        assertThat(failure.kind()).isEqualTo(VmaException.Kind.HTTP_ERROR);
        assertThat(failure.status()).isEqualTo(302);
        assertThat(failure).hasMessage("VMA POST /api/v1/discover answered HTTP 302: ");
        assertThat(vma.received()).hasSize(1);
    }

    // --- answers that are not what the contract says ---

    @Test
    void malformedJsonIsABadResponse() {
        vma.answerJson(200, "{\"vms\": [");

        VmaException failure = failure(client.discover(LOGIN, "DemoDC", "pgtest1", DEADLINE));

        assertThat(failure.kind()).isEqualTo(VmaException.Kind.BAD_RESPONSE);
        assertThat(failure.status()).isEqualTo(200);
        assertThat(failure.getMessage()).startsWith("VMA answered unreadable JSON to /api/v1/discover: ");
        assertThat(failure).hasCauseInstanceOf(tools.jackson.core.JacksonException.class);
    }

    @Test
    void aPlainTextSuccessIsABadResponse() {
        vma.answerText(200, "started");

        VmaException failure = failure(client.replicate(new ReplicateRequest("job-1", "vc", "u", "p",
                List.of("/DC/vm/a"), "http://oma", List.of()), DEADLINE));

        assertThat(failure.kind()).isEqualTo(VmaException.Kind.BAD_RESPONSE);
        assertThat(failure.getMessage()).startsWith("VMA answered unreadable JSON to /api/v1/replicate: ");
    }

    @Test
    void anEmptyOrNullBodyIsABadResponse() {
        vma.answerJson(200, "");
        VmaException empty = failure(client.progress("job-1", DEADLINE));
        assertThat(empty.kind()).isEqualTo(VmaException.Kind.BAD_RESPONSE);
        assertThat(empty.status()).isEqualTo(200);

        vma.answerJson(200, "null");
        VmaException literalNull = failure(client.progress("job-1", DEADLINE));
        assertThat(literalNull.kind()).isEqualTo(VmaException.Kind.BAD_RESPONSE);
        assertThat(literalNull).hasMessage("VMA answered an empty body to /api/v1/progress/job-1");
    }

    @Test
    void aKeyOfTheWrongTypeIsABadResponse() {
        vma.answerJson(200, "{\"vcenter\": {\"host\": \"vc\"}, \"vms\": \"pgtest1\"}");
        assertThat(failure(client.discover(LOGIN, "DemoDC", "pgtest1", DEADLINE)).kind())
                .isEqualTo(VmaException.Kind.BAD_RESPONSE);

        vma.answerJson(200, "[{\"vm_id\": \"4205-uuid\"}]");
        assertThat(failure(client.powerState("4205-uuid", LOGIN, DEADLINE)).kind())
                .isEqualTo(VmaException.Kind.BAD_RESPONSE);

        vma.answerJson(200, "{\"job_id\": \"job-1\", \"percentage\": \"half\"}");
        assertThat(failure(client.progress("job-1", DEADLINE)).kind()).isEqualTo(VmaException.Kind.BAD_RESPONSE);
    }

    // --- no answer ---

    @Test
    void aRefusedConnectionIsUnreachable() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        VmaClient nowhere = new VmaClient("http://127.0.0.1:" + port, null);

        VmaException failure = failure(nowhere.discover(LOGIN, "DemoDC", "pgtest1", DEADLINE));

        assertThat(failure.kind()).isEqualTo(VmaException.Kind.UNREACHABLE);
        assertThat(failure.status()).isZero();
        assertThat(failure).hasMessage("VMA POST /api/v1/discover: VMA unreachable at http://127.0.0.1:" + port);
    }

    @Test
    void aServerThatNeverAnswersTimesOutAtTheDeadline() throws Exception {
        try (RawServer silent = new RawServer(Misbehaviour.NEVER_ANSWER)) {
            VmaClient client = new VmaClient(silent.url(), null);

            VmaException failure = failure(client.powerOff("4205-uuid", LOGIN, false, Duration.ofMillis(300)));

            assertThat(failure.kind()).isEqualTo(VmaException.Kind.TIMEOUT);
            assertThat(failure.status()).isZero();
            assertThat(failure).hasMessage("VMA POST /api/v1/vm/4205-uuid/power-off: no answer within PT0.3S");
        }
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutAtTheDeadline() throws Exception {
        try (RawServer stalling = new RawServer(Misbehaviour.STALL_BODY)) {
            VmaClient client = new VmaClient(stalling.url(), null);

            VmaException failure = failure(client.progress("job-1", Duration.ofMillis(300)));

            assertThat(failure.kind()).isEqualTo(VmaException.Kind.TIMEOUT);
            assertThat(failure).hasMessage("VMA GET /api/v1/progress/job-1: no answer within PT0.3S");
        }
    }

    @Test
    void aConnectionResetAfterTheRequestIsLostAndTheVmaMayHaveActed() throws Exception {
        try (RawServer resetting = new RawServer(Misbehaviour.RESET)) {
            VmaClient client = new VmaClient(resetting.url(), null);

            VmaException failure = failure(client.powerOff("4205-uuid", LOGIN, false, DEADLINE));

            assertThat(failure.kind()).isEqualTo(VmaException.Kind.CONNECTION_LOST);
            assertThat(failure.mayHaveActed()).isTrue();
            assertThat(failure.status()).isZero();
            assertThat(failure.getMessage()).startsWith("VMA POST /api/v1/vm/4205-uuid/power-off: ")
                    .doesNotContain("s3cret");
            assertThat(failure.getCause()).isInstanceOf(java.io.IOException.class);
            assertThat(resetting.connections()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsLostAndTheVmaMayHaveActed() throws Exception {
        try (RawServer closing = new RawServer(Misbehaviour.CLOSE)) {
            VmaClient client = new VmaClient(closing.url(), null);

            VmaException failure = failure(client.replicate(new ReplicateRequest("job-1", "vc", "u", "p",
                    List.of("/DC/vm/a"), "http://oma", List.of()), DEADLINE));

            assertThat(failure.kind()).isEqualTo(VmaException.Kind.CONNECTION_LOST);
            assertThat(failure.mayHaveActed()).isTrue();
            assertThat(failure.getMessage()).startsWith("VMA POST /api/v1/replicate: ");
            assertThat(failure.getCause()).isInstanceOf(java.io.IOException.class);
        }
    }

    // --- helpers ---

    private static <T> T call(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The {@link VmaException} the call completed with; fails the test if it completed otherwise. */
    private static VmaException failure(CompletableFuture<?> future) {
        assertThatThrownBy(() -> future.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(VmaException.class);
        try {
            future.get(0, TimeUnit.SECONDS);
            throw new AssertionError("unreachable: the future failed above");
        } catch (ExecutionException e) {
            return (VmaException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Received only(List<Received> received) {
        assertThat(received).hasSize(1);
        return received.get(0);
    }
}
