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
        CompletableFuture<Optional<ReplicationOutcome>> first = pending.register("req-1", "vm-1", Duration.ofMinutes(1));
        CompletableFuture<Optional<ReplicationOutcome>> second = pending.register("req-2", "vm-2", Duration.ofMinutes(1));
        ReplicationOutcome outcome = ReplicationOutcome.of(TestEvents.jobStarted("req-1", "vm-1")).orElseThrow();

        boolean delivered = pending.complete(outcome);

        assertThat(delivered).isTrue();
        assertThat(first).isCompletedWithValue(Optional.of(outcome));
        assertThat(second).isNotDone();
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.complete(outcome)).isFalse();
        assertThat(pending.awaitsVm("vm-1")).isFalse();
        assertThat(pending.awaitsVm("vm-2")).isTrue();
    }

    @Test
    void anOutcomeNobodyWaitsForIsNotDelivered() {
        ReplicationOutcome outcome = ReplicationOutcome.of(TestEvents.jobFailed("req-9", "vm-9")).orElseThrow();

        assertThat(pending.complete(outcome)).isFalse();
        assertThat(pending.size()).isZero();
        assertThat(pending.awaitsVm("vm-9")).isFalse();
    }

    @Test
    void aWaitThatPassesEndsEmptyAndIsForgottenWithItsVm() throws Exception {
        CompletableFuture<Optional<ReplicationOutcome>> future = pending.register("req-3", "vm-3", Duration.ofMillis(50));

        Optional<ReplicationOutcome> result = future.get();

        assertThat(result).isEmpty();
        assertThat(pending.size()).isZero();
        assertThat(pending.awaitsVm("vm-3")).isFalse();
        assertThat(pending.watchedVms()).isZero();
    }

    @Test
    void theSameRequestIdCannotWaitTwiceAndTheRefusalLeavesTheVmAsItWas() {
        pending.register("req-4", "vm-4", Duration.ofMinutes(1));

        assertThatThrownBy(() -> pending.register("req-4", "vm-4b", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("request id req-4 is already waiting for its outcome");
        assertThat(pending.awaitsVm("vm-4")).isTrue();
        assertThat(pending.awaitsVm("vm-4b")).isFalse();
        assertThat(pending.watchedVms()).isEqualTo(1);
    }

    @Test
    void aVmStaysWatchedUntilTheLastOfItsWaitsEnds() {
        pending.register("req-a", "vm-shared", Duration.ofMinutes(1));
        pending.register("req-b", "vm-shared", Duration.ofMinutes(1));
        pending.register("req-c", "vm-shared", Duration.ofMinutes(1));

        pending.complete(ReplicationOutcome.of(TestEvents.jobStarted("req-a", "vm-shared")).orElseThrow());
        boolean watchedAfterOutcome = pending.awaitsVm("vm-shared");
        pending.forget("req-b");
        boolean watchedAfterForget = pending.awaitsVm("vm-shared");
        pending.forget("req-c");

        assertThat(watchedAfterOutcome).isTrue();
        assertThat(watchedAfterForget).isTrue();
        assertThat(pending.awaitsVm("vm-shared")).isFalse();
        assertThat(pending.watchedVms()).isZero();
        assertThat(pending.size()).isZero();
    }

    @Test
    void forgetAndReleaseAllEndWaitsEmptyAndWatchNoVm() {
        CompletableFuture<Optional<ReplicationOutcome>> forgotten = pending.register("req-5", "vm-5", Duration.ofMinutes(1));
        CompletableFuture<Optional<ReplicationOutcome>> released = pending.register("req-6", "vm-6", Duration.ofMinutes(1));

        pending.forget("req-5");
        pending.releaseAll();

        assertThat(forgotten).isCompletedWithValue(Optional.empty());
        assertThat(released).isCompletedWithValue(Optional.empty());
        assertThat(pending.size()).isZero();
        assertThat(pending.watchedVms()).isZero();
    }
}
