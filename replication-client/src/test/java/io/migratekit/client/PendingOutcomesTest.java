package io.migratekit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingOutcomesTest {

    private final PendingOutcomes pending = new PendingOutcomes();

    @Test
    void anOutcomeCompletesItsOwnWaitOnlyAndIsThenForgotten() {
        CompletableFuture<Optional<ReplicationOutcome>> first = pending.register("req-1", Duration.ofMinutes(1));
        CompletableFuture<Optional<ReplicationOutcome>> second = pending.register("req-2", Duration.ofMinutes(1));
        ReplicationOutcome outcome = ReplicationOutcome.of(TestEvents.jobStarted("req-1", "vm-1")).orElseThrow();

        boolean delivered = pending.complete(outcome);

        assertThat(delivered).isTrue();
        assertThat(first).isCompletedWithValue(Optional.of(outcome));
        assertThat(second).isNotDone();
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.complete(outcome)).isFalse();
    }

    @Test
    void anOutcomeNobodyWaitsForIsNotDelivered() {
        ReplicationOutcome outcome = ReplicationOutcome.of(TestEvents.jobFailed("req-9", "vm-9")).orElseThrow();

        assertThat(pending.complete(outcome)).isFalse();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aWaitThatPassesEndsEmptyAndIsForgotten() throws Exception {
        CompletableFuture<Optional<ReplicationOutcome>> future = pending.register("req-3", Duration.ofMillis(50));

        Optional<ReplicationOutcome> result = future.get();

        assertThat(result).isEmpty();
        assertThat(pending.size()).isZero();
    }

    @Test
    void theSameRequestIdCannotWaitTwice() {
        pending.register("req-4", Duration.ofMinutes(1));

        assertThatThrownBy(() -> pending.register("req-4", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request id req-4 is already waiting for its outcome");
    }

    @Test
    void forgetAndReleaseAllEndWaitsEmpty() {
        CompletableFuture<Optional<ReplicationOutcome>> forgotten = pending.register("req-5", Duration.ofMinutes(1));
        CompletableFuture<Optional<ReplicationOutcome>> released = pending.register("req-6", Duration.ofMinutes(1));

        pending.forget("req-5");
        pending.releaseAll();

        assertThat(forgotten).isCompletedWithValue(Optional.empty());
        assertThat(released).isCompletedWithValue(Optional.empty());
        assertThat(pending.size()).isZero();
    }
}
