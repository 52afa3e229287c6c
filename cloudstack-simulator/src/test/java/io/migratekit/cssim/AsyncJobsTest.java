package io.migratekit.cssim;

import static io.migratekit.cssim.SimTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.migratekit.cssim.SimTestSupport.Client;
import io.migratekit.cssim.SimTestSupport.Reply;
import tools.jackson.databind.JsonNode;

/** The async job lifecycle (pending → succeeded / failed), and the faults of the failure drills. */
class AsyncJobsTest {

    @TempDir
    Path dataDir;
    CloudStackSimulator sim;
    Client client;

    @BeforeEach
    void start() {
        sim = CloudStackSimulator.start(config(dataDir, Duration.ofMillis(400)).build());
        client = new Client(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Map<String, String> createVolumeParams(String name) {
        return Map.of("name", name, "size", "2", "diskofferingid", sim.config().diskOffering().id(), "zoneid", sim.config().zone().id());
    }

    @Test
    void aJobIsPendingForTheConfiguredDelayThenSucceedsWithItsObject() {
        // when a volume is created
        Reply submitted = client.post("createVolume", createVolumeParams("delayed"));
        // then the answer holds the new id and a job id, and the job is pending
        assertThat(submitted.status()).isEqualTo(200);
        assertThat(submitted.envelopeKey()).isEqualTo("createvolumeresponse");
        assertThat(submitted.body().propertyNames()).containsExactly("id", "jobid");
        String volumeId = submitted.body().get("id").asString();
        String jobId = submitted.body().get("jobid").asString();
        Reply pending = client.get("queryAsyncJobResult", Map.of("jobid", jobId));
        assertThat(pending.envelopeKey()).isEqualTo("queryasyncjobresultresponse");
        assertThat(pending.body().get("jobstatus").asInt()).isZero();
        assertThat(pending.body().get("jobresultcode").asInt()).isZero();
        assertThat(pending.body().has("jobresult")).isFalse();
        // then, after the delay, it succeeded with the volume as its result
        JsonNode done = client.awaitJob(jobId);
        assertThat(done.get("jobstatus").asInt()).isEqualTo(1);
        assertThat(done.get("jobresultcode").asInt()).isZero();
        JsonNode volume = done.get("jobresult").get("volume");
        assertThat(volume.get("id").asString()).isEqualTo(volumeId);
        assertThat(volume.get("name").asString()).isEqualTo("delayed");
        assertThat(volume.get("size").asLong()).isEqualTo(2L << 30);
        assertThat(volume.get("type").asString()).isEqualTo("DATADISK");
        assertThat(volume.get("zoneid").asString()).isEqualTo(sim.config().zone().id());
        assertThat(volume.get("account").asString()).isEqualTo(sim.config().account().name());
        assertThat(volume.has("virtualmachineid")).isFalse();
    }

    @Test
    void anAttachAnswersOnlyAJobId() {
        String vol = client.createVolume(sim, "attach-me", 1);
        Reply submitted = client.post("attachVolume", Map.of("id", vol, "virtualmachineid", sim.config().applianceVm().id()));
        assertThat(submitted.body().propertyNames()).containsExactly("jobid");
        JsonNode result = client.awaitJob(submitted.body().get("jobid").asString()).get("jobresult").get("volume");
        assertThat(result.get("virtualmachineid").asString()).isEqualTo(sim.config().applianceVm().id());
        assertThat(result.get("deviceid").asInt()).isEqualTo(1);
        assertThat(result.get("state").asString()).isEqualTo("Ready");
    }

    @Test
    void anInjectedJobFailureFailsTheJobWithJobstatus2AndChangesNothing() {
        // given the next createVolume job fails
        sim.faults().add(Faults.Fault.jobFailure("createVolume", 530, 1));
        // when a volume is created
        Reply submitted = client.post("createVolume", createVolumeParams("doomed"));
        JsonNode job = client.awaitJob(submitted.body().get("jobid").asString());
        // then the job failed with CloudStack's shape, and no volume exists
        assertThat(job.get("jobstatus").asInt()).isEqualTo(2);
        assertThat(job.get("jobresultcode").asInt()).isEqualTo(530);
        assertThat(job.get("jobresult").get("errorcode").asInt()).isEqualTo(530);
        assertThat(job.get("jobresult").get("errortext").asString()).isEqualTo("injected fault: job failed");
        assertThat(client.get("listVolumes", Map.of("name", "doomed")).body().toString()).isEqualTo("{}");
        // and the fault fired once: the next create succeeds
        assertThat(client.createVolume(sim, "fine", 1)).isNotBlank();
        assertThat(sim.faults().list()).isEmpty();
    }

    @Test
    void aJobThatNeverFinishesStaysPending() {
        sim.faults().add(Faults.Fault.jobNeverFinishes("attachVolume", 1));
        String vol = client.createVolume(sim, "stuck", 1);
        Reply submitted = client.post("attachVolume", Map.of("id", vol, "virtualmachineid", sim.config().applianceVm().id()));
        String jobId = submitted.body().get("jobid").asString();
        // then, once a job submitted after it has completed, it is still pending and the volume still detached
        client.createVolume(sim, "later", 1);
        assertThat(client.get("queryAsyncJobResult", Map.of("jobid", jobId)).body().get("jobstatus").asInt()).isZero();
        assertThat(client.get("listVolumes", Map.of("id", vol)).body().get("volume").get(0).has("virtualmachineid")).isFalse();
    }

    @Test
    void aDelayedJobStaysPendingForItsOwnDelayWhileOthersRunOnTheConfiguredOne() throws Exception {
        // given the next createVolume job is delayed to 3 s (over HTTP, as a drill does), the configured delay being 400 ms
        HttpResponse<String> added = SimTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"job_delay\",\"command\":\"createVolume\",\"delay_ms\":3000}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).isEqualTo("[{\"kind\":\"job_delay\",\"command\":\"createVolume\",\"delay_ms\":3000,\"times\":1}]");
        // when two volumes are created, the delayed one first
        String slowJob = client.post("createVolume", createVolumeParams("slow")).body().get("jobid").asString();
        long submitted = System.nanoTime();
        String fastJob = client.post("createVolume", createVolumeParams("fast")).body().get("jobid").asString();
        // then the second finishes on the configured delay while the first is still pending, which then succeeds
        assertThat(client.awaitJob(fastJob).get("jobstatus").asInt()).isEqualTo(1);
        assertThat(client.get("queryAsyncJobResult", Map.of("jobid", slowJob)).body().get("jobstatus").asInt()).isZero();
        JsonNode slow = client.awaitJob(slowJob);
        assertThat(slow.get("jobstatus").asInt()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - submitted)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(sim.faults().list()).isEmpty();
        // and a job_delay without its delay is refused, saying what is missing
        HttpResponse<String> bad = SimTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"job_delay\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("a job_delay fault needs delay_ms");
    }

    @Test
    void injectedHttpErrorsAnswer530And431InCloudStacksShapeThenStop() {
        sim.faults().add(Faults.Fault.httpError("listZones", 530, 1));
        sim.faults().add(Faults.Fault.httpError("*", 431, 1));
        Reply first = client.get("listZones", Map.of());
        assertThat(first.status()).isEqualTo(530);
        assertThat(first.body().toString()).isEqualTo("{\"uuidList\":[],\"errorcode\":530,\"cserrorcode\":4250,"
                + "\"errortext\":\"injected fault: CloudStack answered 530\"}");
        Reply second = client.post("createVolume", createVolumeParams("refused"));
        assertThat(second.status()).isEqualTo(431);
        assertThat(second.envelopeKey()).isEqualTo("createvolumeresponse");
        assertThat(second.body().get("errorcode").asInt()).isEqualTo(431);
        assertThat(client.get("listZones", Map.of()).status()).isEqualTo(200);
        assertThat(client.get("listVolumes", Map.of("name", "refused")).body().toString()).isEqualTo("{}");
    }

    @Test
    void faultsCanBeInjectedListedAndClearedOverHttp() throws Exception {
        HttpResponse<String> added = SimTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"job_failure\",\"command\":\"createSnapshot\",\"errorcode\":530,\"times\":-1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).isEqualTo("[{\"kind\":\"job_failure\",\"command\":\"createSnapshot\",\"errorcode\":530,"
                + "\"errortext\":\"injected fault: job failed\",\"times\":-1}]");
        HttpResponse<String> bad = SimTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/faults"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"meteor\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown fault kind 'meteor'");
        HttpResponse<String> cleared = SimTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/faults"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cleared.body()).isEqualTo("[]");
        assertThat(sim.faults().list()).isEmpty();
    }

    @Test
    void anUnknownJobIs431() {
        Reply r = client.get("queryAsyncJobResult", Map.of("jobid", "00000000-0000-4000-8000-000000000000"));
        assertThat(r.status()).isEqualTo(431);
    }
}
