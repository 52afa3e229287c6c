package io.migratekit.progress.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.migratekit.events.DiskChangeId;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobFailureReason;
import io.migratekit.events.JobProgress;
import io.migratekit.events.ReplicationType;
import io.migratekit.platform.streams.StreamsApp;
import io.migratekit.progress.follow.FollowedJob;
import io.migratekit.progress.streams.FollowTopology;
import io.migratekit.progress.testing.Fixtures;
import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.JobSnapshot;
import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.VmaSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * progress-service against real Kafka, the real schema registry and the VMA simulator, whose copy
 * engine posts change ids to a stand-in of job-intake's endpoint that publishes
 * {@code ChangeIdRecorded}. Timings are shortened: 500 ms polls, 3 s grace, 4 s stall time.
 */
class ProgressServiceIntegrationTest {

    private static final long MIB = 1024L * 1024;

    @TempDir
    static Path stateDir;

    private static Harness harness;
    private static VmaSimulator sim;
    private static ConfigurableApplicationContext service;
    private static EventCollector<SpecificRecord> outputs;
    private static EventCollector<byte[]> deadLetters;

    @BeforeAll
    static void start() throws Exception {
        harness = Harness.start();
        sim = harness.simulator(512 * MIB);
        outputs = harness.collectOutputs();
        deadLetters = EventCollector.raw(harness.infra.bootstrapServers(), List.of(Topics.DEAD_LETTERS));
        service = harness.startService("progress-it", stateDir, sim.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        outputs.close();
        deadLetters.close();
        sim.close();
        harness.close();
    }

    @Test
    void anInitialJobReportsProgressAndCompletesWithTheChangeIdOfEveryDisk() throws Exception {
        SimVm vm = Harness.addVm(sim, "it-two-disks", 1024 * MIB, 512 * MIB);
        Instant before = Instant.now();

        Harness.StartedJob job = harness.startJob(sim, vm);
        await().atMost(Duration.ofSeconds(60)).until(() -> !terminalEvents(vm).isEmpty());
        Instant after = Instant.now();

        JobSnapshot copied = sim.job(job.jobId()).orElseThrow();
        assertThat(copied.finished()).isTrue();
        assertThat(terminalEvents(vm)).hasSize(1);
        JobCompleted completed = outputs.valuesOf(vm.id(), JobCompleted.class).get(0);
        assertThat(completed).isEqualTo(JobCompleted.newBuilder().setEventId(completed.getEventId())
                .setOccurredAt(completed.getOccurredAt()).setCorrelationId(job.correlationId()).setVmwareVmId(vm.id())
                .setJobId(job.jobId()).setContextId(job.contextId()).setReplicationType(ReplicationType.initial)
                .setChangeIds(copied.disks().stream()
                        .map(d -> new DiskChangeId(d.diskId(), d.changeId())).toList())
                .setBytesTransferred(1536 * MIB).setDurationMs(completed.getDurationMs()).setFailoverId(null)
                .setDisks(completed.getDisks())
                .setRequestedBy(Fixtures.ORIGIN.requestedBy()).setScheduledBy(Fixtures.ORIGIN.scheduledBy())
                .setScheduleExecutionId(Fixtures.ORIGIN.scheduleExecutionId()).setVmGroupId(Fixtures.ORIGIN.vmGroupId()).build());
        // bytes per disk: every disk of the job, copied in full
        assertThat(completed.getDisks()).extracting(d -> d.getDiskId())
                .containsExactlyInAnyOrderElementsOf(copied.disks().stream().map(JobSnapshot.DiskSnapshot::diskId).toList());
        assertThat(completed.getDisks()).allMatch(d -> d.getBytesTransferred() == d.getTotalBytes() && d.getTotalBytes() > 0);
        assertThat(completed.getDisks().stream().mapToLong(d -> d.getBytesTransferred()).sum()).isEqualTo(1536 * MIB);
        assertThat(copied.disks()).extracting(JobSnapshot.DiskSnapshot::changeId).allMatch(id -> !id.isBlank());
        assertThat(completed.getDurationMs()).isPositive().isLessThanOrEqualTo(Duration.between(before, after).toMillis());
        assertThat(completed.getOccurredAt()).isBetween(before, after);

        List<JobProgress> progress = outputs.valuesOf(vm.id(), JobProgress.class);
        assertThat(progress).isNotEmpty().allMatch(p -> p.getJobId().equals(job.jobId()));
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i).getBytesTransferred()).isGreaterThanOrEqualTo(progress.get(i - 1).getBytesTransferred());
        }
        assertThat(progress).allMatch(p -> p.getTotalBytes() == 1536 * MIB && p.getPercent() <= 100.0);
        assertThat(storedState(job.jobId()).endedAs()).isEqualTo("completed");
    }

    @Test
    void aCopyThatFailsOnTheVmaFailsTheJobWithTheVmasError() throws Exception {
        SimVm vm = Harness.addVm(sim, "it-copy-fails", 1024 * MIB);
        sim.faults().forVm(vm.id()).failCopyAt(40);

        Harness.StartedJob job = harness.startJob(sim, vm);
        await().atMost(Duration.ofSeconds(60)).until(() -> !terminalEvents(vm).isEmpty());

        String vmaError = sim.job(job.jobId()).orElseThrow().lastError();
        assertThat(vmaError).isNotBlank();
        assertFailedOnce(vm, job, JobFailureReason.VMA_REPORTED_FAILURE);
        assertThat(outputs.valuesOf(vm.id(), JobFailed.class).get(0).getMessage())
                .startsWith("the VMA reported the copy failed at 40.0% (failed").endsWith(": " + vmaError);
    }

    @Test
    void aCopyEngineThatStopsReportingFailsTheJobAsStalled() throws Exception {
        SimVm vm = Harness.addVm(sim, "it-copy-stalls", 1024 * MIB);
        sim.faults().forVm(vm.id()).stallCopyAt(30);

        Harness.StartedJob job = harness.startJob(sim, vm);
        await().atMost(Duration.ofSeconds(60)).until(() -> !terminalEvents(vm).isEmpty());

        assertThat(sim.job(job.jobId()).orElseThrow().engineState()).isEqualTo("stalled");
        assertFailedOnce(vm, job, JobFailureReason.STALLED);
        assertThat(outputs.valuesOf(vm.id(), JobFailed.class).get(0).getMessage())
                .startsWith("the VMA reported no progress for ").contains("(last report: 30.0% (in_progress");
    }

    @Test
    void aJobTheVmaNeverReportsFailsAsNotFoundAfterTheGrace() throws Exception {
        SimVm vm = Harness.addVm(sim, "it-never-reported", 1024 * MIB);
        sim.faults().forVm(vm.id()).progressNotFound(true);
        Instant started = Instant.now();

        Harness.StartedJob job = harness.startJob(sim, vm);
        await().atMost(Duration.ofSeconds(60)).until(() -> !terminalEvents(vm).isEmpty());

        assertFailedOnce(vm, job, JobFailureReason.VMA_JOB_NOT_FOUND);
        JobFailed failed = outputs.valuesOf(vm.id(), JobFailed.class).get(0);
        assertThat(failed.getMessage()).startsWith("the VMA never reported progress for the job: progress answered 404 for");
        assertThat(Duration.between(started, failed.getOccurredAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(outputs.valuesOf(vm.id(), JobProgress.class)).isEmpty();
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicWithItsReasonAndTheServiceCarriesOn() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        byte[] garbage = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(java.util.Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.infra.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.CHANGE_ID_RECORDED.name(), key, garbage)).get(10, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters.recordsOf(key).isEmpty());

        ConsumerRecord<String, byte[]> deadLetter = deadLetters.recordsOf(key).get(0);
        assertThat(deadLetters.recordsOf(key)).hasSize(1);
        assertThat(deadLetter.value()).isEqualTo(garbage);
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.CHANGE_ID_RECORDED.name());
        assertThat(header(deadLetter, DeadLetters.CONSUMER)).isEqualTo("progress-service");
        assertThat(header(deadLetter, DeadLetters.REASON)).isNotBlank();
        assertThat(header(deadLetter, DeadLetters.EXCEPTION)).isNotBlank();
        assertThat(Long.parseLong(header(deadLetter, DeadLetters.ORIGINAL_OFFSET))).isNotNegative();
        assertThat(service.getBean(StreamsApp.class).state().isRunningOrRebalancing()).isTrue();

        SimVm vm = Harness.addVm(sim, "it-after-poison", 256 * MIB);
        harness.startJob(sim, vm);
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.valuesOf(vm.id(), JobCompleted.class).size() == 1);
    }

    @Test
    void theServiceIsReadyOnlyWithItsStreamsRunningAndExposesItsMetrics() throws Exception {
        String base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> anonymousReadiness = http.send(HttpRequest.newBuilder(
                URI.create(base + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> anonymousPrometheus = http.send(HttpRequest.newBuilder(
                URI.create(base + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
                .header("Authorization", "Bearer " + Harness.MANAGEMENT_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + Harness.MANAGEMENT_TOKEN).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymousReadiness.statusCode()).isEqualTo(200);
        assertThat(anonymousReadiness.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(anonymousPrometheus.statusCode()).isEqualTo(401);
        assertThat(anonymousPrometheus.body()).doesNotContain("migratekit_");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"progressStreams\"").contains("\"RUNNING\"");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("migratekit_progress_jobs_followed")
                .contains("migratekit_progress_poll_lag_seconds").contains("migratekit_progress_polls_in_flight");
    }

    @Test
    void aVmaThatDisappearsFailsTheJobAsUnreachableAfterTheConfiguredFailures() throws Exception {
        SimVm vm = Harness.addVm(sim, "it-vma-disappears", 4096 * MIB);
        Harness.StartedJob job = harness.startJob(sim, vm);
        await().atMost(Duration.ofSeconds(30)).until(() -> !outputs.valuesOf(vm.id(), JobProgress.class).isEmpty());
        int port = sim.port();

        sim.close();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !terminalEvents(vm).isEmpty());
        } finally {
            sim = harness.simulator(512 * MIB, port);
        }

        assertFailedOnce(vm, job, JobFailureReason.VMA_UNREACHABLE);
        assertThat(outputs.valuesOf(vm.id(), JobFailed.class).get(0).getMessage())
                .startsWith("no usable progress answer from the VMA in 3 polls in a row; last: VMA GET /api/v1/progress/"
                        + job.jobId() + ": ");
    }

    @Test
    void aServiceRestartedWhileTwentyJobsRunCompletesEveryJobWithExactlyOneTerminalEvent() throws Exception {
        List<Harness.StartedJob> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long disk = 128 * MIB * (i + 1);
            jobs.add(harness.startJob(sim, Harness.addVm(sim, "it-restart-" + i, disk, disk)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.stream()
                .filter(j -> !terminalEvents(j.vm()).isEmpty()).count() >= 3);

        service.close();
        long endedWhileUp = jobs.stream().filter(j -> !terminalEvents(j.vm()).isEmpty()).count();
        service = harness.startService("progress-it", stateDir, sim.baseUrl());
        await().atMost(Duration.ofSeconds(90)).until(() -> jobs.stream().allMatch(j -> !terminalEvents(j.vm()).isEmpty()));

        assertThat(endedWhileUp).isLessThan(20);
        assertThat(jobs.stream().filter(j -> sim.job(j.jobId()).orElseThrow().finished()).count())
                .as("copies finished on the VMA").isEqualTo(20);
        List<ConsumerRecord<String, SpecificRecord>> written = EventCollector.readToEnd(harness.infra.bootstrapServers(),
                harness.registry, List.of(Topics.JOB_COMPLETED.name(), Topics.JOB_FAILED.name()));
        for (Harness.StartedJob job : jobs) {
            List<SpecificRecord> terminal = written.stream().filter(r -> job.vm().id().equals(r.key()))
                    .map(ConsumerRecord::value).toList();
            assertThat(terminal).as("terminal events of %s", job.jobId()).hasSize(1);
            JobCompleted completed = (JobCompleted) terminal.get(0);
            JobSnapshot copied = sim.job(job.jobId()).orElseThrow();
            assertThat(completed.getJobId()).isEqualTo(job.jobId());
            assertThat(completed.getChangeIds()).isEqualTo(copied.disks().stream()
                    .map(d -> new DiskChangeId(d.diskId(), d.changeId())).toList());
            assertThat(storedState(job.jobId()).endedAs()).isEqualTo("completed");
        }
    }

    private static List<SpecificRecord> terminalEvents(SimVm vm) {
        return outputs.recordsOf(vm.id()).stream().map(ConsumerRecord::value)
                .filter(v -> v instanceof JobCompleted || v instanceof JobFailed).toList();
    }

    private static void assertFailedOnce(SimVm vm, Harness.StartedJob job, JobFailureReason reason) throws Exception {
        assertThat(terminalEvents(vm)).hasSize(1);
        JobFailed failed = outputs.valuesOf(vm.id(), JobFailed.class).get(0);
        assertThat(failed).isEqualTo(JobFailed.newBuilder().setEventId(failed.getEventId())
                .setOccurredAt(failed.getOccurredAt()).setCorrelationId(job.correlationId()).setVmwareVmId(vm.id())
                .setJobId(job.jobId()).setContextId(job.contextId()).setReason(reason).setStep("progress")
                .setMessage(failed.getMessage()).setFailoverId(null).setReplicationType(ReplicationType.initial)
                .setDurationMs(failed.getDurationMs()).setDisks(failed.getDisks()).setChangeIds(failed.getChangeIds())
                .setRequestedBy(Fixtures.ORIGIN.requestedBy()).setScheduledBy(Fixtures.ORIGIN.scheduledBy())
                .setScheduleExecutionId(Fixtures.ORIGIN.scheduleExecutionId()).setVmGroupId(Fixtures.ORIGIN.vmGroupId()).build());
        assertThat(failed.getMessage()).doesNotContain("it-password");
        assertThat(storedState(job.jobId()).endedAs()).isEqualTo("failed:" + reason.name());
    }

    /** The job's entry in the service's store: once it is ended, the job is never polled again. */
    private static FollowedJob storedState(String jobId) {
        ReadOnlyKeyValueStore<String, FollowedJob> store = service.getBean(StreamsApp.class).streams()
                .store(StoreQueryParameters.fromNameAndType(FollowTopology.STORE, QueryableStoreTypes.keyValueStore()));
        FollowedJob job = store.get(jobId);
        assertThat(job).isNotNull();
        assertThat(job.status()).isEqualTo(FollowedJob.Status.ENDED);
        return job;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
