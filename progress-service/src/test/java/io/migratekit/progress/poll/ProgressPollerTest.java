package io.migratekit.progress.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.progress.follow.PollOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ProgressPollerTest {

    /** A VMA whose answers the test releases by hand. */
    private final Map<String, CompletableFuture<PollOutcome>> pending = new ConcurrentHashMap<>();
    private final VmaProgressPort port = jobId -> pending.computeIfAbsent(jobId, id -> new CompletableFuture<>());

    @Test
    void noMoreThanTheCapArePolledAtOnceAndAFinishedPollFreesItsPlace() {
        ProgressPoller poller = new ProgressPoller(port, 2);
        List<String> outcomes = new ArrayList<>();

        boolean first = poller.tryPoll("job-1", o -> outcomes.add("job-1:" + o.metricName()));
        boolean second = poller.tryPoll("job-2", o -> outcomes.add("job-2:" + o.metricName()));
        boolean third = poller.tryPoll("job-3", o -> outcomes.add("job-3:" + o.metricName()));
        pending.get("job-1").complete(new PollOutcome.NotFound());
        boolean fourth = poller.tryPoll("job-3", o -> outcomes.add("job-3:" + o.metricName()));

        assertThat(List.of(first, second, third, fourth)).containsExactly(true, true, false, true);
        assertThat(outcomes).containsExactly("job-1:not_found");
        assertThat(poller.inFlight()).isEqualTo(2);
    }

    @Test
    void aPortThatFailsOutrightGivesAnUnavailableOutcomeAndFreesItsPlace() {
        ProgressPoller poller = new ProgressPoller(jobId -> {
            throw new IllegalStateException("boom");
        }, 1);
        List<PollOutcome> outcomes = new ArrayList<>();

        boolean started = poller.tryPoll("job-1", outcomes::add);

        assertThat(started).isTrue();
        assertThat(outcomes).hasSize(1).allMatch(o -> o instanceof PollOutcome.Unavailable u && u.kind().equals("error"));
        assertThat(poller.inFlight()).isZero();
    }
}
