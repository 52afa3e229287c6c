package io.migratekit.intake.changeid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.client.PipelineUnavailableException;
import io.migratekit.intake.TestEvents;
import io.migratekit.intake.TestPublishers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a change id that could not be published is reported as: the schema registry's failure or the broker's. */
class KafkaChangeIdPublisherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aChangeIdTheSchemaRegistryDoesNotTakeIsTheRegistrysFailureAndNothingWasSent() {
        // given
        KafkaChangeIdPublisher publisher = new KafkaChangeIdPublisher(TestPublishers.throughAnUnansweredRegistry(),
                TIMEOUT);

        // when / then
        assertThatThrownBy(() -> publisher.publish(TestEvents.changeIdRecorded("req-1", "vm-1", "job-1", "52 3/4",
                TestEvents.AT)))
                .isInstanceOfSatisfying(PipelineUnavailableException.class, e -> {
                    assertThat(e.failed()).isEqualTo(PipelineUnavailableException.Failed.SCHEMA_REGISTRY);
                    assertThat(e.requestId()).isEmpty();
                    assertThat(e.getMessage())
                            .startsWith("The change id could not be serialized through the schema registry (")
                            .endsWith("); nothing was sent to the broker");
                });
    }

    @Test
    void aSendTheProducerRefusesItselfIsTheBrokersFailure() {
        // given
        KafkaChangeIdPublisher publisher = new KafkaChangeIdPublisher(TestPublishers.refusingEverySend(
                new IllegalStateException("Cannot perform operation after producer has been closed")), TIMEOUT);

        // when / then
        assertThatThrownBy(() -> publisher.publish(TestEvents.changeIdRecorded("req-1", "vm-1", "job-1", "52 3/4",
                TestEvents.AT)))
                .isInstanceOfSatisfying(PipelineUnavailableException.class, e -> {
                    assertThat(e.failed()).isEqualTo(PipelineUnavailableException.Failed.BROKER);
                    assertThat(e.requestId()).isEmpty();
                    assertThat(e.getMessage()).isEqualTo("The pipeline's broker is unavailable: the change id was not "
                            + "acknowledged within PT5S (IllegalStateException)");
                });
    }
}
