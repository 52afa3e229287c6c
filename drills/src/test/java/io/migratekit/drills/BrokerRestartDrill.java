package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drill 5: the broker is killed (SIGKILL) in the middle of a load of replication requests, stays down
 * for 20 seconds and is started again on the same data; no service is restarted. Pass: while it is
 * gone the API answers 503 with a message naming the broker, every request is answered within the
 * client's deadline (10 s), and every request answered 202 ends with exactly one outcome, with no
 * duplicate job and the read model equal to a replay of the topics.
 */
class BrokerRestartDrill {

    @Test
    void brokerRestartUnderLoadLosesNoAcceptedRequest() throws InterruptedException {
        DrillSettings settings = DrillSettings.allServices("drill5-broker-restart")
                .withSimulator(Map.of("VMA_SIM_COPY_RATE", "50GiB"));
        try (DrillStack stack = DrillStack.start(settings)) {
            DrillApi api = new DrillApi(stack);
            RequestLoad load = RequestLoad.steady(api, 400);
            load.awaitAnswered(80);
            stack.kill("kafka-broker");
            int answeredAtKill = load.answered();
            ChildProcess.sleep(Duration.ofSeconds(20));
            int answeredAtRestart = load.answered();
            Duration brokerBack = stack.restart("kafka-broker");
            load.awaitDone(Duration.ofMinutes(5));
            long begin = System.nanoTime();
            PipelineAudit.Result result = PipelineAudit.awaitSettled(stack, load.accepted(), load.unacknowledged(),
                    Duration.ofMinutes(8));
            List<DrillApi.Answer> unavailable = load.answers().stream().filter(a -> a.status() == 503).toList();
            List<String> unclear = unavailable.stream().map(DrillApi.Answer::raw)
                    .filter(body -> !body.toLowerCase(java.util.Locale.ROOT).contains("broker")
                            && !body.toLowerCase(java.util.Locale.ROOT).contains("kafka"))
                    .distinct().toList();
            DrillReport.record("Drill 5: broker restart",
                    "requests " + load.answers().size() + ", answers by status " + load.statuses()
                            + ", slowest answer " + load.slowest().toMillis() + " ms",
                    "broker killed after " + answeredAtKill + " answers, down 20 s (" + (answeredAtRestart
                            - answeredAtKill) + " answers meanwhile), listening again " + brokerBack.toMillis()
                            + " ms after its restart",
                    "a 503 says: " + (unavailable.isEmpty() ? "-" : unavailable.get(0).raw()),
                    "settled " + (System.nanoTime() - begin) / 1_000_000 + " ms after the load ended",
                    result.figures(),
                    "violations: " + result.violations(),
                    "requests without outcome: " + result.requestsWithoutOutcome());

            assertThat(load.statuses()).containsOnlyKeys(202, 503);
            assertThat(unavailable).isNotEmpty();
            assertThat(unclear).isEmpty();
            assertThat(result.requestsWithoutOutcome()).isEmpty();
            assertThat(result.unfinishedJobs()).isZero();
            assertThat(result.violations()).isEmpty();
            assertThat(result.outcomes()).isEqualTo(result.accepted());
        }
    }
}
