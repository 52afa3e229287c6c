package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drill 6: three brokers (KRaft, each broker and controller), topics with replication factor 3 and
 * {@code min.insync.replicas} 2; one broker is killed (SIGKILL) in the middle of a load of replication
 * requests and stays down. Pass: the pipeline keeps accepting and completing jobs — every request
 * after the cluster noticed the loss is accepted, every accepted request has exactly one outcome, no
 * duplicate job, every job ends once, the read model equals the replay.
 */
class BrokerClusterDrill {

    @Test
    void oneOfThreeBrokersKilledUnderLoadStopsNothing() throws InterruptedException {
        DrillSettings settings = DrillSettings.allServices("drill6-broker-cluster").withThreeBrokers()
                .withSimulator(Map.of("VMA_SIM_COPY_RATE", "50GiB"));
        try (DrillStack stack = DrillStack.start(settings)) {
            DrillApi api = new DrillApi(stack);
            api.addVms("load", 100);
            RequestLoad load = RequestLoad.steady(api, 400);
            load.awaitAnswered(80);
            stack.kill("kafka-broker-2");
            int answeredAtKill = load.answered();
            load.awaitDone(Duration.ofMinutes(5));
            long begin = System.nanoTime();
            PipelineAudit.Result result = PipelineAudit.awaitSettled(stack, load.accepted(), load.unacknowledged(),
                    Duration.ofMinutes(8));
            List<DrillApi.Answer> answers = load.answers();
            List<DrillApi.Answer> lastHundred = answers.subList(answers.size() - 100, answers.size());
            long refusedAfterKill = answers.subList(answeredAtKill, answers.size()).stream()
                    .filter(a -> a.status() != 202).count();
            DrillReport.record("Drill 6: cluster of 3 brokers, one killed",
                    "requests " + answers.size() + ", answers by status " + load.statuses() + ", slowest answer "
                            + load.slowest().toMillis() + " ms",
                    "kafka-broker-2 killed after " + answeredAtKill + " answers and left down; answers after the kill "
                            + "not 202: " + refusedAfterKill,
                    "settled " + (System.nanoTime() - begin) / 1_000_000 + " ms after the load ended",
                    result.figures(),
                    "violations: " + result.violations(),
                    "requests without outcome: " + result.requestsWithoutOutcome());

            assertThat(lastHundred).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(202));
            assertThat(load.statuses().keySet()).isSubsetOf(202, 503);
            assertThat(result.requestsWithoutOutcome()).isEmpty();
            assertThat(result.unfinishedJobs()).isZero();
            assertThat(result.violations()).isEmpty();
            assertThat(result.outcomes()).isEqualTo(result.accepted());
        }
    }
}
