package io.migratekit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.infra.KafkaBroker;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.TopicSettings;
import io.migratekit.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against the real broker and registry; the test plays the pipeline (reads the
 * published requests, answers with outcome events). Every test uses its own VM id.
 */
class ReplicationClientKafkaTest {

    private static final Instant NOW = Instant.parse("2025-09-23T10:15:30.123Z");
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    private static SharedTestInfrastructure infra;
    private static RegistrySettings registry;
    private static ReplicationClient client;
    private static PlayedPipeline pipeline;

    @BeforeAll
    static void startClient() {
        infra = SharedTestInfrastructure.get();
        registry = RegistrySettings.ofBaseUrl(infra.registryBaseUrl());
        createTopics(infra.bootstrapServers());
        client = ReplicationClient.start(ReplicationClientSettings.of(infra.bootstrapServers(), registry, "client-test"),
                Clock.fixed(NOW, ZoneOffset.UTC));
        pipeline = new PlayedPipeline(infra.bootstrapServers(), registry);
    }

    @AfterAll
    static void stopClient() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void submitPublishesTheRequestKeyedByVmIdAndAnswersWithTheJobThatStarted() throws Exception {
        String vmId = newVmId();
        ReplicationRequest request = TestEvents.request(vmId, "pgtest1");

        Submission submission = client.submit(request, LONG_WAIT);

        List<ConsumerRecord<String, ReplicationRequested>> published = pipeline.requestsUntil(vmId, r -> true);
        assertThat(published).hasSize(1);
        ReplicationRequested event = published.get(0).value();
        assertThat(published.get(0).key()).isEqualTo(vmId);
        assertThat(event).isEqualTo(ReplicationRequested.newBuilder()
                .setEventId(event.getEventId())
                .setOccurredAt(NOW)
                .setCorrelationId(submission.requestId())
                .setVmwareVmId(vmId)
                .setRequest(request)
                .build());
        assertThat(UUID.fromString(event.getEventId())).isNotNull();

        pipeline.answer(Topics.CONTEXT_CREATED, vmId, TestEvents.contextCreated(submission.requestId(), vmId, true));
        pipeline.answer(Topics.JOB_CREATED, vmId, TestEvents.jobCreated(submission.requestId(), vmId));
        JobStarted started = TestEvents.jobStarted(submission.requestId(), vmId);
        pipeline.answer(Topics.JOB_STARTED, vmId, started);

        assertThat(submission.await()).contains(new ReplicationOutcome.Started(started));
        assertThat(client.pendingCount()).isZero();

        String sentinel = client.publish(TestEvents.request(vmId, "pgtest1"));
        assertThat(pipeline.requestsUntil(vmId, r -> r.getCorrelationId().equals(sentinel))).hasSize(1);
    }

    @Test
    void aContextCreatedWithoutAJobIsTheOutcome() throws Exception {
        String vmId = newVmId();
        Submission submission = client.submit(TestEvents.request(vmId, "ctx-only"), LONG_WAIT);
        ContextCreated created = TestEvents.contextCreated(submission.requestId(), vmId, false);

        pipeline.answer(Topics.CONTEXT_CREATED, vmId, created);

        assertThat(submission.await()).contains(new ReplicationOutcome.ContextOnly(created));
    }

    @Test
    void aRejectionIsTheOutcome() throws Exception {
        String vmId = newVmId();
        Submission submission = client.submit(TestEvents.request(vmId, "busy"), LONG_WAIT);
        ReplicationRejected rejected = TestEvents.rejected(submission.requestId(), vmId);

        pipeline.answer(Topics.REPLICATION_REJECTED, vmId, rejected);

        assertThat(submission.await()).contains(new ReplicationOutcome.Rejected(rejected));
    }

    @Test
    void aDiscoveryFailureIsTheOutcome() throws Exception {
        String vmId = newVmId();
        Submission submission = client.submit(TestEvents.request(vmId, "missing"), LONG_WAIT);
        DiscoveryFailed failed = TestEvents.discoveryFailed(submission.requestId(), vmId);

        pipeline.answer(Topics.DISCOVERY_FAILED, vmId, failed);

        assertThat(submission.await()).contains(new ReplicationOutcome.DiscoveryFailure(failed));
    }

    @Test
    void aJobFailureIsTheOutcome() throws Exception {
        String vmId = newVmId();
        Submission submission = client.submit(TestEvents.request(vmId, "no-volume"), LONG_WAIT);
        JobFailed failed = TestEvents.jobFailed(submission.requestId(), vmId);

        pipeline.answer(Topics.JOB_FAILED, vmId, failed);

        assertThat(submission.await()).contains(new ReplicationOutcome.JobFailure(failed));
    }

    @Test
    void outcomesOfOtherRequestsAreIgnoredAndAWaitThatPassesEndsEmpty() throws Exception {
        String vmId = newVmId();
        Submission submission = client.submit(TestEvents.request(vmId, "quiet"), Duration.ofSeconds(2));

        pipeline.answer(Topics.JOB_STARTED, vmId, TestEvents.jobStarted("some-other-request", vmId));

        assertThat(submission.await()).isEmpty();
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void unreadableRecordsAreSkippedAndTheListenerKeepsGoing() throws Exception {
        String vmId = newVmId();
        long skippedBefore = client.skippedRecords();
        Submission submission = client.submit(TestEvents.request(vmId, "poisoned"), LONG_WAIT);

        pipeline.sendRaw(Topics.JOB_STARTED.name(), vmId, new byte[] {1, 2, 3});
        pipeline.sendRaw(Topics.JOB_STARTED.name(), vmId, new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
        pipeline.sendRaw(Topics.JOB_STARTED.name(), vmId, null);
        JobStarted started = TestEvents.jobStarted(submission.requestId(), vmId);
        pipeline.answer(Topics.JOB_STARTED, vmId, started);

        assertThat(submission.await()).contains(new ReplicationOutcome.Started(started));
        assertThat(client.skippedRecords() - skippedBefore).isEqualTo(3);
        assertThat(client.isListening()).isTrue();
    }

    @Test
    void anAbortedTransactionIsNeverAnOutcome() throws Exception {
        String vmId = newVmId();
        Submission submission = client.submit(TestEvents.request(vmId, "aborted"), LONG_WAIT);

        pipeline.answerAborted(Topics.JOB_STARTED, vmId, TestEvents.jobStarted(submission.requestId(), vmId));
        JobFailed failed = TestEvents.jobFailed(submission.requestId(), vmId);
        pipeline.answer(Topics.JOB_FAILED, vmId, failed);

        assertThat(submission.await()).contains(new ReplicationOutcome.JobFailure(failed));
    }

    @Test
    void aThousandWaitingRequestsEachGetTheirOwnOutcome() throws Exception {
        List<Submission> submissions = new ArrayList<>();
        List<String> vmIds = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String vmId = newVmId();
            vmIds.add(vmId);
            submissions.add(client.submit(TestEvents.request(vmId, "bulk-" + i), Duration.ofSeconds(60)));
        }
        assertThat(client.pendingCount()).isGreaterThanOrEqualTo(1000);

        List<JobStarted> answers = new ArrayList<>();
        for (int i = submissions.size() - 1; i >= 0; i--) {
            JobStarted started = TestEvents.jobStarted(submissions.get(i).requestId(), vmIds.get(i));
            answers.add(0, started);
            pipeline.answerLater(Topics.JOB_STARTED, vmIds.get(i), started);
        }
        pipeline.flush();

        for (int i = 0; i < submissions.size(); i++) {
            assertThat(submissions.get(i).await()).contains(new ReplicationOutcome.Started(answers.get(i)));
        }
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void closingEndsEveryWaitWithoutAnOutcomeAndRefusesNewRequests() throws Exception {
        ReplicationClient own = ReplicationClient.start(
                ReplicationClientSettings.of(infra.bootstrapServers(), registry, "client-test-closing"));
        String vmId = newVmId();
        Submission submission = own.submit(TestEvents.request(vmId, "closing"), LONG_WAIT);

        own.close();

        assertThat(submission.await()).isEmpty();
        assertThat(own.pendingCount()).isZero();
        assertThat(own.isListening()).isFalse();
        assertThatThrownBy(() -> own.submit(TestEvents.request(vmId, "closing"), LONG_WAIT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the replication client is closed");
    }

    @Test
    void startFailsClearlyWhenNoBrokerAnswers() throws IOException {
        String nowhere = "127.0.0.1:" + freePort();
        ReplicationClientSettings settings = ReplicationClientSettings.of(nowhere, registry, "client-test-nowhere")
                .withStartTimeout(Duration.ofSeconds(2));

        assertThatThrownBy(() -> ReplicationClient.start(settings))
                .isInstanceOf(PipelineUnavailableException.class)
                .hasMessageStartingWith("The pipeline's broker is unavailable: the outcome listener could not join "
                        + "the outcome topics at " + nowhere + " within PT2S");
    }

    @Test
    void startFailsClearlyWhenTheSchemaRegistryDoesNotAnswer() throws IOException {
        String nowhere = "http://127.0.0.1:" + freePort();
        ReplicationClientSettings settings = ReplicationClientSettings.of(infra.bootstrapServers(),
                RegistrySettings.ofBaseUrl(nowhere), "client-test-no-registry").withStartTimeout(Duration.ofSeconds(5));

        assertThatThrownBy(() -> ReplicationClient.start(settings))
                .isInstanceOfSatisfying(PipelineUnavailableException.class, e -> {
                    assertThat(e.failed()).isEqualTo(PipelineUnavailableException.Failed.SCHEMA_REGISTRY);
                    assertThat(e.requestId()).isEmpty();
                })
                .hasMessageStartingWith("The schema registry is unavailable at " + nowhere + "/apis/registry/v3: the "
                        + "schema of " + Topics.REPLICATION_REQUESTED.name() + " could not be registered within PT5S (");
    }

    @Test
    void withoutOutcomeTopicsStartFailsAndWhenTheBrokerGoesAwayPublishFailsFast() {
        KafkaBroker broker = KafkaBroker.startTemporary();
        ReplicationClient own = null;
        try {
            ReplicationClientSettings settings = ReplicationClientSettings.of(broker.bootstrapServers(), registry,
                    "client-test-broker-gone").withPublishTimeout(Duration.ofSeconds(2))
                    .withStartTimeout(Duration.ofSeconds(5));
            assertThatThrownBy(() -> ReplicationClient.start(settings))
                    .isInstanceOf(PipelineUnavailableException.class)
                    .hasMessageContaining("outcome topic " + Topics.CONTEXT_CREATED.name()
                            + " does not exist (the pipeline's services create it at start-up)");

            createTopics(broker.bootstrapServers());
            own = ReplicationClient.start(settings);
            String vmId = newVmId();
            ReplicationClient started = own;
            started.submit(TestEvents.request(vmId, "before"), Duration.ofMillis(100));

            broker.close();

            assertThatThrownBy(() -> started.submit("req-after-broker-gone", TestEvents.request(vmId, "after"),
                    LONG_WAIT))
                    .isInstanceOf(PipelineUnavailableException.class)
                    .hasMessageStartingWith("The pipeline's broker is unavailable: the replication request "
                            + "req-after-broker-gone was not acknowledged within PT2S")
                    .satisfies(e -> assertThat(((PipelineUnavailableException) e).requestId())
                            .contains("req-after-broker-gone"));
            await().atMost(Duration.ofSeconds(5)).until(() -> started.pendingCount() == 0);
        } finally {
            if (own != null) {
                own.close();
            }
            broker.close();
        }
    }

    private static String newVmId() {
        return "4205" + UUID.randomUUID().toString().substring(4);
    }

    private static void createTopics(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicSettings.singleBroker(3).ensureTopics(admin, Duration.ofSeconds(30));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
