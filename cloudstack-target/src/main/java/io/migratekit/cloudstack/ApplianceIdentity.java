package io.migratekit.cloudstack;

import io.migratekit.cloudstack.client.CloudStackModel.Nic;
import io.migratekit.cloudstack.client.CloudStackModel.VirtualMachine;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which CloudStack VM the appliance is, when its id is not configured: the one VM, among all the
 * API key can see ({@code listVirtualMachines listall=true}), with a NIC whose MAC address is one of
 * the appliance's (configured, or read from this machine's network interfaces). Owns the matching
 * and the plain-words answer when none or several VMs match; the preflight calls it and then checks
 * the account that owns the VM.
 */
public final class ApplianceIdentity {

    /** The outcome: the VM found, or why none could be chosen. */
    public record Match(VirtualMachine vm, String problem) {

        public boolean found() {
            return vm != null;
        }
    }

    private ApplianceIdentity() {
    }

    /** The MAC addresses of this machine's network interfaces (loopback and those without one left out). */
    public static List<String> localMacs() {
        Set<String> macs = new TreeSet<>();
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                byte[] address = nic.isLoopback() ? null : nic.getHardwareAddress();
                if (address != null && address.length == 6) {
                    macs.add(HexFormat.ofDelimiter(":").formatHex(address));
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot read this machine's network interfaces: " + e.getMessage(), e);
        }
        return List.copyOf(macs);
    }

    /** A MAC address as CloudStack writes it, lower case with colons ({@code 02-00-4D-..} → {@code 02:00:4d:..}). */
    public static String normalize(String mac) {
        return mac.trim().toLowerCase(Locale.ROOT).replace('-', ':');
    }

    /** The one VM with a NIC carrying one of {@code macs}. */
    public static Match find(List<VirtualMachine> vms, Collection<String> macs) {
        Set<String> wanted = macs.stream().map(ApplianceIdentity::normalize)
                .collect(Collectors.toCollection(TreeSet::new));
        if (wanted.isEmpty()) {
            return new Match(null, "no appliance VM id is configured and there is no MAC address to find the appliance"
                    + " VM by; configure its id (appliance-vm-id) or its MAC addresses (appliance-macs)");
        }
        List<VirtualMachine> matching = new ArrayList<>();
        for (VirtualMachine vm : vms) {
            boolean hasOne = vm.nic().stream().map(Nic::macAddress)
                    .anyMatch(mac -> mac != null && wanted.contains(normalize(mac)));
            if (hasOne) {
                matching.add(vm);
            }
        }
        if (matching.size() == 1) {
            return new Match(matching.get(0), null);
        }
        if (matching.isEmpty()) {
            return new Match(null, "no VM the API key can see has one of the appliance's MAC addresses ("
                    + String.join(", ", wanted) + "); configure the appliance VM id (appliance-vm-id)");
        }
        return new Match(null, matching.size() + " VMs have the appliance's MAC addresses (" + String.join(", ", wanted)
                + "): " + matching.stream().map(vm -> vm.id() + " (" + vm.name() + ")")
                        .collect(Collectors.joining(", "))
                + "; configure the appliance VM id (appliance-vm-id)");
    }
}
