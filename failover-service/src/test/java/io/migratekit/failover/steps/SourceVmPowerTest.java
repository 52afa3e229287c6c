package io.migratekit.failover.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import io.migratekit.vmasim.Inventory;
import io.migratekit.vmasim.PowerFailure;
import io.migratekit.vmasim.PowerState;
import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.SimulatorConfig;
import io.migratekit.vmasim.VmaSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Powering the source VM off and on through the VMA contract, against the VMA simulator. */
class SourceVmPowerTest {

    private static final String VCENTER = "vcenter.example.test";
    private static final String PASSWORD = "s3cret-vcenter-password";

    private static VmaSimulator vma;
    private static VmaSimulator slowVma;
    private static SourceVmPower power;
    private static SourceVmPower slowPower;

    @BeforeAll
    static void start() {
        vma = VmaSimulator.start(SimulatorConfig.builder().inventory(Inventory.empty("DC1")).build());
        slowVma = VmaSimulator.start(SimulatorConfig.builder().inventory(Inventory.empty("DC1"))
                .gracefulPowerOffDelay(Duration.ofMillis(600)).build());
        VcenterCredentials credentials = new VcenterCredentials(List.of(), new VcenterCredentials.Login(null,
                "administrator@vsphere.local", PASSWORD));
        power = new SourceVmPower(new VmaClient(vma.baseUrl(), null), credentials, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(100));
        slowPower = new SourceVmPower(new VmaClient(slowVma.baseUrl(), null), credentials, Duration.ofSeconds(5),
                Duration.ofMillis(300), Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() {
        vma.close();
        slowVma.close();
    }

    @Test
    void aRunningVmIsPoweredOffAndAnOffOneStaysOff() throws Exception {
        SimVm vm = vma.inventory().add(SimVm.builder("power-on-1").diskGb(1));

        PowerOutcome off = power.powerOff(vm.id(), VCENTER);
        PowerOutcome again = power.powerOff(vm.id(), VCENTER);

        assertThat(off).isEqualTo(new PowerOutcome(true, true, true, "source VM " + vm.id() + " powered off (graceful)"));
        assertThat(again).isEqualTo(new PowerOutcome(true, false, true, "source VM " + vm.id()
                + " was already powered off"));
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_OFF);
    }

    @Test
    void aGracefulShutdownIsConfirmedByAskingThePowerState() throws Exception {
        SimVm vm = slowVma.inventory().add(SimVm.builder("graceful-1").diskGb(1));
        SourceVmPower patient = new SourceVmPower(new VmaClient(slowVma.baseUrl(), null), new VcenterCredentials(
                List.of(), new VcenterCredentials.Login(null, "administrator@vsphere.local", PASSWORD)),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(100));

        PowerOutcome off = patient.powerOff(vm.id(), VCENTER);

        assertThat(off).isEqualTo(new PowerOutcome(true, true, true, "source VM " + vm.id()
                + " powered off (confirmed by its power state)"));
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_OFF);
    }

    @Test
    void aShutdownNotConfirmedInTimeFailsAndTheVmMayBeOff() throws Exception {
        SimVm vm = slowVma.inventory().add(SimVm.builder("graceful-2").diskGb(1));

        PowerOutcome off = slowPower.powerOff(vm.id(), VCENTER);

        assertThat(off).isEqualTo(new PowerOutcome(false, true, true, "source VM " + vm.id()
                + " did not report poweredOff within 300 ms (last power state poweredOn)"));
    }

    @Test
    void aRefusedPowerOffFailsAndTheVmIsStillOn() throws Exception {
        SimVm reported = vma.inventory().add(SimVm.builder("refused-1").diskGb(1));
        SimVm error = vma.inventory().add(SimVm.builder("refused-2").diskGb(1));
        vma.faults().forVm(reported.id()).powerOffFailure(PowerFailure.REPORTED);
        vma.faults().forVm(error.id()).powerOffFailure(PowerFailure.ERROR);

        PowerOutcome refused = power.powerOff(reported.id(), VCENTER);
        PowerOutcome failed = power.powerOff(error.id(), VCENTER);

        assertThat(refused).isEqualTo(new PowerOutcome(false, false, false, "the VMA did not power off source VM "
                + reported.id() + ": power-off failed: simulated vCenter task failure"));
        assertThat(failed.success()).isFalse();
        assertThat(failed.sourceMayBeOff()).isFalse();
        assertThat(failed.message()).startsWith("power-off of source VM " + error.id() + " failed: VMA POST /api/v1/vm/")
                .contains("answered HTTP 500").doesNotContain(PASSWORD);
        assertThat(reported.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(error.powerState()).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void aPowerOffWhoseAnswerIsLostIsCheckedAndCountsAsPossiblyOff() throws Exception {
        // given: the VMA acts, then closes the connection without answering
        SimVm lost = vma.inventory().add(SimVm.builder("answer-lost-1").diskGb(1));
        vma.faults().forVm(lost.id()).powerOffFailure(PowerFailure.ANSWER_LOST);

        // when
        PowerOutcome off = power.powerOff(lost.id(), VCENTER);

        // then
        assertThat(off.success()).isFalse();
        assertThat(off.changed()).isFalse();
        assertThat(off.sourceMayBeOff()).isTrue();
        assertThat(off.message()).startsWith("power-off of source VM " + lost.id() + " failed: VMA POST /api/v1/vm/")
                .contains("connection lost before the answer")
                .endsWith("; the VMA may have acted: its power state is now poweredOff")
                .doesNotContain(PASSWORD);
        assertThat(lost.powerState()).isEqualTo(PowerState.POWERED_OFF);
    }

    @Test
    void aVmIsPoweredBackOnAndARunningOneIsLeftRunning() throws Exception {
        SimVm vm = vma.inventory().add(SimVm.builder("back-on-1").diskGb(1).powerState(PowerState.POWERED_OFF));

        PowerOutcome on = power.powerOn(vm.id(), VCENTER);
        PowerOutcome again = power.powerOn(vm.id(), VCENTER);

        assertThat(on).isEqualTo(new PowerOutcome(true, true, false, "source VM " + vm.id() + " powered back on"));
        assertThat(again).isEqualTo(new PowerOutcome(true, false, false, "source VM " + vm.id()
                + " was already powered on"));
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void withoutAVcenterLoginNothingIsCalled() throws Exception {
        SimVm vm = vma.inventory().add(SimVm.builder("no-login-1").diskGb(1));
        SourceVmPower withoutLogins = new SourceVmPower(new VmaClient(vma.baseUrl(), null),
                new VcenterCredentials(List.of(), null), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(100));

        PowerOutcome off = withoutLogins.powerOff(vm.id(), VCENTER);

        assertThat(off).isEqualTo(new PowerOutcome(false, false, false, "no vCenter login is configured for vCenter "
                + VCENTER + "; configure migratekit.vma.credentials or migratekit.vma.default-username/-password"));
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
    }
}
