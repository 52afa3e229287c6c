package io.migratekit.discovery;

import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.vma.VmaDtos;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Decides whether a VMA discovery answer contains the requested VM. The VMA's filter is a
 * case-insensitive substring match, so the answer may list {@code pgtest10} for {@code pgtest1}:
 * only an exact-name match counts, its id must be the requested VMware id (a name can move to
 * another VM), and it must have at least one disk. Owns these rules; the call to the VMA and the
 * field mapping are elsewhere ({@link Discoverer}, {@link DiscoveredVmMapper}).
 */
public final class DiscoveryRules {

    private static final int NAMES_LISTED = 10;

    private DiscoveryRules() {
    }

    public static Verdict judge(VmaDtos.DiscoverResponse response, DiscoveryTarget target) {
        List<VmaDtos.Vm> listed = response.vms() == null ? List.of() : response.vms();
        List<VmaDtos.Vm> sameName = new ArrayList<>();
        for (VmaDtos.Vm vm : listed) {
            if (vm != null && target.vmName().equals(vm.name())) {
                sameName.add(vm);
            }
        }
        if (sameName.isEmpty()) {
            return new Verdict.Failed(DiscoveryFailureReason.VM_NOT_FOUND, "VM '" + target.vmName() + "' not found "
                    + where(target) + " (" + similarNames(listed) + ")");
        }
        VmaDtos.Vm vm = sameName.stream().filter(v -> sameId(v.id(), target.vmId())).findFirst().orElse(null);
        if (vm == null) {
            String ids = sameName.stream().map(v -> String.valueOf(v.id())).collect(Collectors.joining(", "));
            return new Verdict.Failed(DiscoveryFailureReason.VM_NOT_FOUND, "VM '" + target.vmName() + "' "
                    + where(target) + " has id " + ids + ", not the requested id " + target.vmId()
                    + " (the name now belongs to a different VM)");
        }
        if (vm.path() == null || vm.path().isBlank()) {
            return new Verdict.Failed(DiscoveryFailureReason.VMA_ERROR,
                    "the VMA reported VM '" + target.vmName() + "' without an inventory path");
        }
        if (vm.disks() == null || vm.disks().isEmpty()) {
            return new Verdict.Failed(DiscoveryFailureReason.NO_DISKS, "VM '" + target.vmName() + "' (" + vm.id()
                    + ") has no disks configured; a VM without disks cannot be replicated");
        }
        return new Verdict.Found(DiscoveredVmMapper.map(vm, response.vcenter(), target));
    }

    private static boolean sameId(String reported, String requested) {
        return reported != null && requested != null
                && reported.strip().toLowerCase(Locale.ROOT).equals(requested.strip().toLowerCase(Locale.ROOT));
    }

    private static String where(DiscoveryTarget target) {
        return "on vCenter " + target.vcenterHost()
                + (target.datacenter() == null ? "" : " in datacenter " + target.datacenter());
    }

    private static String similarNames(List<VmaDtos.Vm> listed) {
        List<String> names = listed.stream().filter(v -> v != null && v.name() != null).map(VmaDtos.Vm::name).toList();
        if (names.isEmpty()) {
            return "no VM name contains it";
        }
        String shown = names.stream().limit(NAMES_LISTED).collect(Collectors.joining(", "));
        return "VMs whose name contains it: " + shown + (names.size() > NAMES_LISTED ? ", …" : "");
    }
}
