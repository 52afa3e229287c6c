package io.migratekit.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.cloudstack.SimulatorTarget;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.cloudstack.TargetVm;
import io.migratekit.cloudstack.TargetVmSpec;
import io.migratekit.cloudstack.VolumeRequest;
import io.migratekit.events.FailoverType;
import io.migratekit.failover.process.FailoverProcess;
import io.migratekit.failover.process.Processes;
import io.migratekit.failover.process.Sizing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which network a failover VM is created on: a live VM on the replication's {@code target_network}
 * (or the target's default when none was named), a test VM on the failover's test network whatever
 * the replication named. The target is the CloudStack API simulator through our platform, whose
 * network mapping names {@code prod-net} (live) and {@code test-net} (test).
 */
class TargetVmBuilderTest {

    private static final Sizing SIZING = new Sizing(2, 4096, "linux");

    @TempDir
    Path dir;
    private SimulatorTarget cloud;
    private TargetPlatform target;
    private TargetVmBuilder builder;
    private String volumeId;

    @BeforeEach
    void volumeAttachedToTheAppliance() {
        cloud = SimulatorTarget.start(dir, 1, "127.0.0.1");
        target = cloud.platform();
        builder = new TargetVmBuilder(TargetPlatforms.single(1, target));
        volumeId = target.createVolume(new VolumeRequest("job-1", "disk-2000", 1, "migration-pgtest1-disk-2000"))
                .volumeId();
        target.attachToAppliance(volumeId);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void aLiveVmIsCreatedOnTheReplicationsTargetNetworkFromTheDetachedVolumes() {
        TargetVm vm = builder.create(Processes.accepted(FailoverType.live), List.of(volumeId), SIZING, "prod-net");

        assertThat(vm.spec()).isEqualTo(new TargetVmSpec("fo-1", "pgtest1", 2, 4096, "linux", "prod-net"));
        assertThat(vm.volumeIds()).containsExactly(volumeId);
        assertThat(vm.fromSnapshots()).isFalse();
        assertThat(cloud.volumes()).containsExactly(new SimulatorTarget.Volume(volumeId,
                "migration-pgtest1-disk-2000", "ROOT", 1, vm.vmId(), false));
        assertThat(cloud.vms()).containsExactly(cloud.vmFrom(vm.vmId(), vm.spec(), false, "Stopped"));
    }

    @Test
    void aLiveVmWithoutATargetNetworkGoesOnTheTargetsDefault() {
        FailoverProcess live = Processes.accepted(FailoverType.live);

        TargetVm vm = builder.create(live, List.of(volumeId), SIZING, null);

        assertThat(vm.spec().network()).isNull();
        assertThat(cloud.vms()).extracting(SimulatorTarget.Vm::networkId)
                .containsExactly(cloud.config().liveNetworks().defaultNetworkIds().get(0));
    }

    @Test
    void aBlankTargetNetworkCountsAsNone() {
        FailoverProcess live = Processes.accepted(FailoverType.live);

        TargetVm vm = builder.create(live, List.of(volumeId), SIZING, "  ");

        assertThat(vm.spec().network()).isNull();
        assertThat(cloud.vms()).extracting(SimulatorTarget.Vm::networkId)
                .containsExactly(cloud.config().liveNetworks().defaultNetworkIds().get(0));
    }

    @Test
    void aTestVmGoesOnTheTestNetworkWhateverTheReplicationNamed() {
        TargetVm vm = builder.create(Processes.accepted(FailoverType.test), List.of(volumeId), SIZING, "prod-net");

        assertThat(vm.spec()).isEqualTo(new TargetVmSpec("fo-1", "pgtest1-test-failover", 2, 4096, "linux",
                "test-net"));
        assertThat(vm.fromSnapshots()).isTrue();
        assertThat(vm.volumeIds()).hasSize(1).doesNotContain(volumeId);
        assertThat(cloud.vms()).containsExactly(cloud.vmFrom(vm.vmId(), vm.spec(), true, "Stopped"));
        assertThat(cloud.volume(volumeId).orElseThrow().onAppliance()).isTrue();
    }

    @Test
    void theVmIsBuiltInTheTargetThatHoldsTheReplicatedVolumesAndRemovedFromThere() {
        // given a second target, which holds this failover's volume
        try (SimulatorTarget second = SimulatorTarget.start(dir.resolve("second"), 2, "127.0.0.1")) {
            TargetPlatform secondPlatform = second.platform();
            String replica = secondPlatform.createVolume(new VolumeRequest("job-2", "disk-2000", 1,
                    "migration-pgtest2-disk-2000")).volumeId();
            secondPlatform.attachToAppliance(replica);
            TargetVmBuilder both = new TargetVmBuilder(new TargetPlatforms(java.util.Map.of(1L, target, 2L,
                    secondPlatform)));

            // when
            TargetVm vm = both.create(Processes.accepted(FailoverType.live), List.of(replica), SIZING, "prod-net");
            both.powerOn(vm.vmId());

            // then the VM runs in the second target on its volume; the first target got nothing
            assertThat(second.vms()).containsExactly(second.vmFrom(vm.vmId(), vm.spec(), false, "Running"));
            assertThat(second.volumeIdsOf(vm.vmId())).containsExactly(replica);
            assertThat(cloud.vms()).isEmpty();

            // and when it is deleted, it goes from the second target
            both.delete(vm.vmId());
            assertThat(second.vms()).isEmpty();
            assertThat(second.volume(replica)).isPresent();
        }
    }
}
