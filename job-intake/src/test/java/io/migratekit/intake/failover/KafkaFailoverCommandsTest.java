package io.migratekit.intake.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.events.FailoverRequested;
import io.migratekit.events.FailoverType;
import io.migratekit.intake.TestPublishers;
import io.migratekit.intake.api.ApiProblem;
import io.migratekit.platform.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * What a failover request that could not be published is answered with — 503 naming the schema
 * registry or the broker, whichever failed — and that its wait, VM included, ends with it.
 */
class KafkaFailoverCommandsTest {

    private final FailoverOutcomes outcomes = new FailoverOutcomes(new MockConsumer<>("latest"), (topic, data) -> {
        throw new AssertionError("nothing is decoded in these tests");
    });

    @Test
    void aRequestTheSchemaRegistryDoesNotTakeIs503NamingTheRegistry() {
        // given
        KafkaFailoverCommands commands = commands(TestPublishers.throughAnUnansweredRegistry());

        // when / then
        assertThatThrownBy(() -> commands.request(request("fo-registry", "vm-registry"), Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(problem.error()).isEqualTo("Pipeline unavailable");
                    assertThat(problem.details()).isEqualTo("The pipeline's schema registry did not take the request's "
                            + "event; nothing was sent to the broker and the request was not accepted, retry later");
                });
        assertThat(outcomes.waitingCount()).isZero();
        assertThat(outcomes.awaitedVmCount()).isZero();
    }

    @Test
    void aRequestTheProducerRefusesItselfIs503NamingTheBroker() {
        // given
        KafkaFailoverCommands commands = commands(TestPublishers.refusingEverySend(
                new IllegalStateException("Cannot perform operation after producer has been closed")));

        // when / then
        assertThatThrownBy(() -> commands.request(request("fo-broker", "vm-broker"), Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(problem.error()).isEqualTo("Pipeline unavailable");
                    assertThat(problem.details()).isEqualTo("The pipeline's broker is unavailable; the request was not "
                            + "accepted, retry later");
                });
        assertThat(outcomes.waitingCount()).isZero();
        assertThat(outcomes.awaitedVmCount()).isZero();
    }

    private KafkaFailoverCommands commands(EventPublisher publisher) {
        return new KafkaFailoverCommands(publisher, outcomes, Duration.ofSeconds(5));
    }

    private static FailoverRequested request(String failoverId, String vm) {
        return FailoverRequested.newBuilder().setEventId("evt-" + failoverId)
                .setOccurredAt(Instant.parse("2025-09-23T10:15:30.123Z")).setCorrelationId(failoverId)
                .setVmwareVmId(vm).setFailoverId(failoverId).setContextId("ctx-" + vm).setVmName(vm)
                .setFailoverType(FailoverType.live).setPowerOnSourceOnFailure(true).setTestNetwork(null)
                .setFinalSyncDeadlineMinutes(10).setRequestedBy("operator-tests").build();
    }
}
