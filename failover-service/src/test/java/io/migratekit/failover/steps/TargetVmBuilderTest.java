package io.migratekit.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.cloudstack.SimulatedCloudStack;
import io.migratekit.cloudstack.TargetVm;
import io.migratekit.cloudstack.TargetVmSpec;
import io.migratekit.cloudstack.VolumeRequest;
import io.migratekit.events.FailoverType;
import io.migratekit.failover.process.FailoverProcess;
import io.migratekit.failover.process.Processes;
import io.migratekit.failover.process.Sizing;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which network a failover VM is created on: a live VM on the replication's {@code target_network}
 * (or the target's default when none was named), a test VM on the failover's test network whatever
 * the replication named. The in-memory target records the spec it was given.
 */
class TargetVmBuilderTest {

    private static final Sizing SIZING = new Sizing(2, 4096, "linux");

    private SimulatedCloudStack target;
    private TargetVmBuilder builder;
    private String volumeId;

    @BeforeEach
    void volumeAttachedToTheAppliance() {
        target = new SimulatedCloudStack("127.0.0.1", 10809);
        builder = new TargetVmBuilder(target);
        volumeId = target.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "migration-pgtest1-disk-2000"))
                .volumeId();
        target.attachToAppliance(volumeId);
    }

    @Test
    void aLiveVmIsCreatedOnTheReplicationsTargetNetworkFromTheDetachedVolumes() {
        TargetVm vm = builder.create(Processes.accepted(FailoverType.live), List.of(volumeId), SIZING, "prod-net");

        assertThat(vm.spec()).isEqualTo(new TargetVmSpec("fo-1", "pgtest1", 2, 4096, "linux", "prod-net"));
        assertThat(vm.volumeIds()).containsExactly(volumeId);
        assertThat(vm.fromSnapshots()).isFalse();
        assertThat(target.volume(volumeId).orElseThrow())
                .isEqualTo(new SimulatedCloudStack.VolumeState(target.volume(volumeId).orElseThrow().volume(), false,
                        vm.vmId(), false));
        assertThat(target.vms()).containsExactly(vm);
    }

    @Test
    void aLiveVmWithoutATargetNetworkGoesOnTheTargetsDefault() {
        FailoverProcess live = Processes.accepted(FailoverType.live);

        assertThat(builder.create(live, List.of(volumeId), SIZING, null).spec().network()).isNull();
    }

    @Test
    void aBlankTargetNetworkCountsAsNone() {
        FailoverProcess live = Processes.accepted(FailoverType.live);

        assertThat(builder.create(live, List.of(volumeId), SIZING, "  ").spec().network()).isNull();
    }

    @Test
    void aTestVmGoesOnTheTestNetworkWhateverTheReplicationNamed() {
        TargetVm vm = builder.create(Processes.accepted(FailoverType.test), List.of(volumeId), SIZING, "prod-net");

        assertThat(vm.spec()).isEqualTo(new TargetVmSpec("fo-1", "pgtest1-test-failover", 2, 4096, "linux",
                "test-net"));
        assertThat(vm.fromSnapshots()).isTrue();
        assertThat(target.vms()).containsExactly(vm);
    }
}
