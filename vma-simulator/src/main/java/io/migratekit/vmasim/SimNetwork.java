package io.migratekit.vmasim;

import java.util.Objects;

/**
 * One network adapter of a simulated VM, as discovery reports it. Static specification only.
 *
 * @param label       the device label, e.g. {@code Network adapter 1}
 * @param networkName the port group / network name
 * @param adapterType e.g. {@code vmxnet3}, {@code e1000e}
 * @param macAddress  the MAC address
 * @param connected   whether the adapter is connected
 */
public record SimNetwork(String label, String networkName, String adapterType, String macAddress, boolean connected) {

    public SimNetwork {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(adapterType, "adapterType");
        Objects.requireNonNull(macAddress, "macAddress");
    }
}
