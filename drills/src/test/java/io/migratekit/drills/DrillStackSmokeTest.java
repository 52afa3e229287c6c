package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the drill harness from rotting in the normal build: the real broker process, registry and
 * PostgreSQL, the CloudStack API simulator's process, and one service process (discovery-service),
 * killed with SIGKILL and started again.
 */
class DrillStackSmokeTest {

    @Test
    void aKilledServiceProcessComesBackReadyWithTheSameSettings() {
        DrillSettings settings = DrillSettings.allServices("smoke").withInstances(List.of(DrillStack.DISCOVERY));
        try (DrillStack stack = DrillStack.start(settings)) {
            ChildProcess service = stack.process(DrillStack.DISCOVERY);
            long firstPid = service.pid();

            stack.kill(DrillStack.DISCOVERY);
            assertThat(service.isAlive()).isFalse();

            stack.restart(DrillStack.DISCOVERY);
            assertThat(service.isAlive()).isTrue();
            assertThat(service.pid()).isNotEqualTo(firstPid);
            // Ready again means its readiness group (Kafka, registry) answers UP on the same port.
            assertThat(service.awaitReady(Duration.ofSeconds(30))).isPositive();
            assertThat(stack.process("kafka-broker").isAlive()).isTrue();

            // the CloudStack simulator too comes back on the same port with the state of its data directory
            CloudStackView cloud = new CloudStackView(stack);
            String applianceVmId = stack.cloudStackWorld().applianceVm().id();
            stack.kill(DrillStack.CLOUDSTACK);
            stack.restart(DrillStack.CLOUDSTACK);
            assertThat(cloud.state().get("vms").get(applianceVmId).get("state").asString()).isEqualTo("Running");
            assertThat(cloud.vms()).isEmpty();
        }
    }
}
