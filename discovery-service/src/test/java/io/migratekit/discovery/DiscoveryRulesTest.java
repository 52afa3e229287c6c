package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.vma.VmaDtos;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryRulesTest {

    private static final String ID = "42057af2-0000-4000-8000-000000000001";
    private static final DiscoveryTarget TARGET = new DiscoveryTarget(ID, "pgtest1", "vc-01.example", "DemoDC");

    @Test
    void theExactNameMatchWithTheRequestedIdIsFound() {
        // given: the substring filter also returned pgtest10 and pgtest11
        VmaDtos.Vm wanted = VmaVms.vm(ID, "pgtest1", List.of(VmaVms.disk("disk-2000", 0)));
        VmaDtos.DiscoverResponse answer = VmaVms.answer(
                VmaVms.vm("other-10", "pgtest10", List.of(VmaVms.disk("disk-2000", 0))),
                wanted,
                VmaVms.vm("other-11", "pgtest11", List.of(VmaVms.disk("disk-2000", 0))));

        // when
        Verdict verdict = DiscoveryRules.judge(answer, TARGET);

        // then
        assertThat(verdict).isEqualTo(new Verdict.Found(
                DiscoveredVmMapper.map(wanted, answer.vcenter(), TARGET)));
    }

    @Test
    void idsAreComparedIgnoringCase() {
        // given
        VmaDtos.Vm wanted = VmaVms.vm(ID.toUpperCase(), "pgtest1", List.of(VmaVms.disk("disk-2000", 0)));

        // when
        Verdict verdict = DiscoveryRules.judge(VmaVms.answer(wanted), TARGET);

        // then
        assertThat(verdict).isInstanceOf(Verdict.Found.class);
    }

    @Test
    void onlySubstringMatchesMeanNotFound() {
        // given
        VmaDtos.DiscoverResponse answer = VmaVms.answer(
                VmaVms.vm("other-10", "pgtest10", List.of(VmaVms.disk("disk-2000", 0))),
                VmaVms.vm("other-11", "PGTEST1-old", List.of(VmaVms.disk("disk-2000", 0))));

        // when
        Verdict verdict = DiscoveryRules.judge(answer, TARGET);

        // then
        assertThat(verdict).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.VM_NOT_FOUND,
                "VM 'pgtest1' not found on vCenter vc-01.example in datacenter DemoDC"
                        + " (VMs whose name contains it: pgtest10, PGTEST1-old)"));
    }

    @Test
    void anEmptyAnswerMeansNotFound() {
        // given
        VmaDtos.DiscoverResponse answer = new VmaDtos.DiscoverResponse(null, null);

        // when
        Verdict verdict = DiscoveryRules.judge(answer, new DiscoveryTarget(ID, "pgtest1", "vc-01.example", null));

        // then
        assertThat(verdict).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.VM_NOT_FOUND,
                "VM 'pgtest1' not found on vCenter vc-01.example (no VM name contains it)"));
    }

    @Test
    void theExactNameWithAnotherIdIsNotFoundAndSaysSo() {
        // given: pgtest1 was deleted and a new VM got its name
        VmaDtos.DiscoverResponse answer = VmaVms.answer(
                VmaVms.vm("42057af2-ffff-4000-8000-00000000000f", "pgtest1", List.of(VmaVms.disk("disk-2000", 0))));

        // when
        Verdict verdict = DiscoveryRules.judge(answer, TARGET);

        // then
        assertThat(verdict).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.VM_NOT_FOUND,
                "VM 'pgtest1' on vCenter vc-01.example in datacenter DemoDC has id 42057af2-ffff-4000-8000-00000000000f,"
                        + " not the requested id " + ID + " (the name now belongs to a different VM)"));
    }

    @Test
    void theRightIdAmongSeveralVmsOfTheSameNameIsFound() {
        // given: two folders hold a VM named pgtest1
        VmaDtos.Vm other = VmaVms.vm("42057af2-ffff-4000-8000-00000000000f", "pgtest1", List.of(VmaVms.disk("disk-2000", 0)));
        VmaDtos.Vm wanted = VmaVms.vm(ID, "pgtest1", List.of(VmaVms.disk("disk-2000", 0)));

        // when
        Verdict verdict = DiscoveryRules.judge(VmaVms.answer(other, wanted), TARGET);

        // then
        assertThat(verdict).isEqualTo(new Verdict.Found(DiscoveredVmMapper.map(wanted, VmaVms.answer().vcenter(), TARGET)));
    }

    @Test
    void aVmWithoutDisksIsRefused() {
        // given
        VmaDtos.DiscoverResponse answer = VmaVms.answer(VmaVms.vm(ID, "pgtest1", List.of()));

        // when
        Verdict verdict = DiscoveryRules.judge(answer, TARGET);

        // then
        assertThat(verdict).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.NO_DISKS,
                "VM 'pgtest1' (" + ID + ") has no disks configured; a VM without disks cannot be replicated"));
    }

    @Test
    void aVmWithoutDiskArrayIsRefused() {
        // given
        VmaDtos.DiscoverResponse answer = VmaVms.answer(VmaVms.vm(ID, "pgtest1", null));

        // when
        Verdict verdict = DiscoveryRules.judge(answer, TARGET);

        // then
        assertThat(verdict).extracting(v -> ((Verdict.Failed) v).reason()).isEqualTo(DiscoveryFailureReason.NO_DISKS);
    }

    @Test
    void aVmWithoutInventoryPathIsAnUnreadableAnswer() {
        // given
        VmaDtos.Vm vm = new VmaDtos.Vm(ID, "pgtest1", null, "DemoDC", "poweredOn", "linux", 2, 2048L, "vmx-19", 0, "",
                List.of(VmaVms.disk("disk-2000", 0)), List.of());

        // when
        Verdict verdict = DiscoveryRules.judge(VmaVms.answer(vm), TARGET);

        // then
        assertThat(verdict).isEqualTo(new Verdict.Failed(DiscoveryFailureReason.VMA_ERROR,
                "the VMA reported VM 'pgtest1' without an inventory path"));
    }
}
