package io.migratekit.intake.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverType;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;

/**
 * Which failover answers the listener reads — only those keyed by the VM of a waiting request, while
 * it waits — and how an answer ends its wait; without a broker.
 */
class FailoverOutcomesTest {

    private static final String ACCEPTED = Topics.FAILOVER_ACCEPTED.name();
    private static final String REJECTED = Topics.FAILOVER_REJECTED.name();

    private final FailoverOutcomes outcomes = new FailoverOutcomes(new MockConsumer<>("latest"), (topic, data) -> {
        throw new AssertionError("nothing is decoded in these tests");
    });

    @Test
    void onlyTheAnswersOfAVmAWaitIsForAreWantedAndOnlyUntilTheWaitEnds() {
        CompletableFuture<Optional<SpecificRecord>> wait = outcomes.await("fo-1", "vm-1", Duration.ofMinutes(1));
        List<Boolean> wantedWhileWaiting = List.of(outcomes.wanted(ACCEPTED, "vm-1"), outcomes.wanted(REJECTED, "vm-1"),
                outcomes.wanted(ACCEPTED, "vm-2"), outcomes.wanted(ACCEPTED, null));
        FailoverAccepted accepted = accepted("fo-1", "vm-1");

        outcomes.handle(accepted);

        assertThat(wantedWhileWaiting).containsExactly(true, true, false, true);
        assertThat(wait).isCompletedWithValue(Optional.of(accepted));
        assertThat(outcomes.wanted(ACCEPTED, "vm-1")).isFalse();
        assertThat(outcomes.waitingCount()).isZero();
        assertThat(outcomes.awaitedVmCount()).isZero();
    }

    @Test
    void aVmStaysWantedUntilTheLastOfItsWaitsEndsHoweverItEnds() {
        CompletableFuture<Optional<SpecificRecord>> answered = outcomes.await("fo-1", "vm-1", Duration.ofMinutes(1));
        CompletableFuture<Optional<SpecificRecord>> forgotten = outcomes.await("fo-2", "vm-1", Duration.ofMinutes(1));
        CompletableFuture<Optional<SpecificRecord>> closed = outcomes.await("fo-3", "vm-1", Duration.ofMinutes(1));
        assertThatThrownBy(() -> outcomes.await("fo-3", "vm-3", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failover fo-3 is already waiting for its answer");

        outcomes.handle(accepted("fo-1", "vm-1"));
        boolean wantedAfterAnswer = outcomes.wanted(ACCEPTED, "vm-1");
        outcomes.forget("fo-2");
        boolean wantedAfterForget = outcomes.wanted(ACCEPTED, "vm-1");
        outcomes.close();

        assertThat(List.of(wantedAfterAnswer, wantedAfterForget, outcomes.wanted(ACCEPTED, "vm-1"),
                outcomes.wanted(ACCEPTED, "vm-3"))).containsExactly(true, true, false, false);
        assertThat(answered).isCompletedWithValue(Optional.of(accepted("fo-1", "vm-1")));
        assertThat(forgotten).isCompletedWithValue(Optional.empty());
        assertThat(closed).isCompletedWithValue(Optional.empty());
        assertThat(outcomes.awaitedVmCount()).isZero();
    }

    private static FailoverAccepted accepted(String failoverId, String vm) {
        return FailoverAccepted.newBuilder().setEventId("evt-" + failoverId)
                .setOccurredAt(Instant.parse("2025-09-23T10:15:30.123Z")).setCorrelationId(failoverId)
                .setVmwareVmId(vm).setFailoverId(failoverId).setContextId("ctx-" + vm).setVmName(vm)
                .setVmPath("/DC1/vm/" + vm).setFailoverType(FailoverType.live).setLastSuccessfulJobId("job-1")
                .setVolumes(List.of()).build();
    }
}
