package io.migratekit.cssim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.migratekit.cssim.CloudState.Volume;
import io.migratekit.cssim.CloudState.Vm;

/** The pure rule checks, without HTTP. */
class RulesUnitTest {

    private static Vm vm(String state) {
        Vm vm = new Vm();
        vm.id = "vm-1";
        vm.accountName = "acct";
        vm.zoneId = "z1";
        vm.state = state;
        return vm;
    }

    private static Volume volume(String type, Long deviceId, String vmId) {
        Volume v = new Volume();
        v.id = "vol-" + type + deviceId;
        v.accountName = "acct";
        v.zoneId = "z1";
        v.type = type;
        v.deviceId = deviceId;
        v.virtualMachineId = vmId;
        v.state = "Ready";
        return v;
    }

    @Test
    void theNextDeviceIdIsTheLowestFreeOneSkippingTheCdrom() {
        Vm vm = vm("Stopped");
        Volume root = volume("ROOT", 0L, vm.id);
        Volume one = volume("DATADISK", 1L, vm.id);
        Volume two = volume("DATADISK", 2L, vm.id);
        assertThat(Rules.attach(volume("DATADISK", null, null), vm, null, List.of(root))).isEqualTo(1);
        assertThat(Rules.attach(volume("DATADISK", null, null), vm, null, List.of(root, one, two))).isEqualTo(4);
        assertThat(Rules.attach(volume("DATADISK", null, null), vm, null, List.of(root, two))).isEqualTo(1);
    }

    @Test
    void deviceIdZeroIsAllowedOnlyWithoutRootAndThreeNever() {
        Vm vm = vm("Stopped");
        assertThat(Rules.attach(volume("DATADISK", null, null), vm, 0L, List.of(volume("DATADISK", 1L, vm.id)))).isZero();
        assertThatThrownBy(() -> Rules.attach(volume("DATADISK", null, null), vm, 0L, List.of(volume("ROOT", 0L, vm.id))))
                .hasMessage("Vm already has root volume attached to it");
        assertThatThrownBy(() -> Rules.attach(volume("DATADISK", null, null), vm, 3L, List.of()))
                .hasMessage("deviceId 3 is reserved for the CD-ROM");
    }

    @Test
    void aRefusalIsA431InvalidParameterValue() {
        Volume attached = volume("DATADISK", 1L, "other-vm");
        assertThatThrownBy(() -> Rules.delete(attached)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(431);
            assertThat(e.csErrorCode()).isEqualTo(4350);
        });
    }

    @Test
    void aRootDetachesOnlyFromAVmThatIsNotRunning() {
        Volume root = volume("ROOT", 0L, "vm-1");
        assertThatThrownBy(() -> Rules.detach(root, vm("Running"))).hasMessage("Root volume vol-ROOT0 can be detached only when the VM is stopped");
        Rules.detach(root, vm("Stopped"));
        Rules.detach(volume("DATADISK", 1L, "vm-1"), vm("Running"));
    }

    @Test
    void aDestroyedVmTakesNoVolumeAndDoesNotStart() {
        Vm destroyed = vm("Destroyed");
        assertThatThrownBy(() -> Rules.attach(volume("DATADISK", null, null), destroyed, null, List.of()))
                .hasMessage("Please specify a VM that is either running or stopped.");
        assertThatThrownBy(() -> Rules.start(destroyed, List.of(volume("ROOT", 0L, "vm-1")))).hasMessage("Unable to start VM vm-1: it is destroyed");
    }
}
