package io.migratekit.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRejected;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicationOutcomeTest {

    @Test
    void jobStartedIsTheJobStartedOutcome() {
        JobStarted event = TestEvents.jobStarted("req-1", "vm-1");

        Optional<ReplicationOutcome> outcome = ReplicationOutcome.of(event);

        assertThat(outcome).contains(new ReplicationOutcome.Started(event));
        assertThat(outcome.get().kind()).isEqualTo(ReplicationOutcome.Kind.JOB_STARTED);
        assertThat(outcome.get().requestId()).isEqualTo("req-1");
        assertThat(outcome.get().event()).isSameAs(event);
    }

    @Test
    void contextCreatedWithoutAJobIsTheContextOutcome() {
        ContextCreated event = TestEvents.contextCreated("req-2", "vm-2", false);

        Optional<ReplicationOutcome> outcome = ReplicationOutcome.of(event);

        assertThat(outcome).contains(new ReplicationOutcome.ContextOnly(event));
        assertThat(outcome.get().kind()).isEqualTo(ReplicationOutcome.Kind.CONTEXT_CREATED);
        assertThat(outcome.get().requestId()).isEqualTo("req-2");
    }

    @Test
    void contextCreatedWithAJobToFollowIsNoOutcome() {
        assertThat(ReplicationOutcome.of(TestEvents.contextCreated("req-3", "vm-3", true))).isEmpty();
    }

    @Test
    void rejectionDiscoveryFailureAndJobFailureAreOutcomes() {
        ReplicationRejected rejected = TestEvents.rejected("req-4", "vm-4");
        DiscoveryFailed discoveryFailed = TestEvents.discoveryFailed("req-5", "vm-5");
        JobFailed jobFailed = TestEvents.jobFailed("req-6", "vm-6");

        assertThat(ReplicationOutcome.of(rejected)).contains(new ReplicationOutcome.Rejected(rejected));
        assertThat(ReplicationOutcome.of(discoveryFailed)).contains(new ReplicationOutcome.DiscoveryFailure(discoveryFailed));
        assertThat(ReplicationOutcome.of(jobFailed)).contains(new ReplicationOutcome.JobFailure(jobFailed));
        assertThat(ReplicationOutcome.of(rejected).get().kind()).isEqualTo(ReplicationOutcome.Kind.REJECTED);
        assertThat(ReplicationOutcome.of(discoveryFailed).get().kind()).isEqualTo(ReplicationOutcome.Kind.DISCOVERY_FAILED);
        assertThat(ReplicationOutcome.of(jobFailed).get().kind()).isEqualTo(ReplicationOutcome.Kind.JOB_FAILED);
    }

    @Test
    void otherEventsAndNonEventsAreNoOutcome() {
        assertThat(ReplicationOutcome.of(TestEvents.jobCreated("req-7", "vm-7"))).isEmpty();
        assertThat(ReplicationOutcome.of("a string")).isEmpty();
        assertThat(ReplicationOutcome.of(null)).isEmpty();
    }
}
