package io.migratekit.vmasim;

import java.util.Objects;

/**
 * One virtual disk of a simulated VM, as discovery reports it.
 *
 * <p>Owns the disk's static specification and the derived wire values ({@code disk-<key>} id,
 * {@code size_gb} rounded up). It does not own copy progress; that is per job in the copy engine.
 *
 * @param key              the VMware device key (2000, 2001, ...); the disk id is {@code disk-<key>}
 * @param label            the device label, e.g. {@code Hard disk 1}
 * @param vmdkPath         the backing file, {@code [datastore] dir/file.vmdk}
 * @param capacityBytes    the capacity in bytes
 * @param datastore        the datastore name
 * @param provisioningType {@code thin}, {@code thick} or {@code unknown}
 * @param unitNumber       the unit number on the controller
 */
public record SimDisk(
        int key,
        String label,
        String vmdkPath,
        long capacityBytes,
        String datastore,
        String provisioningType,
        int unitNumber) {

    private static final long GIB = 1024L * 1024L * 1024L;

    public SimDisk {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(vmdkPath, "vmdkPath");
        Objects.requireNonNull(datastore, "datastore");
        Objects.requireNonNull(provisioningType, "provisioningType");
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacityBytes must not be negative");
        }
    }

    /** The wire disk id, {@code disk-<key>}. */
    public String id() {
        return "disk-" + key;
    }

    /** Capacity in GiB, rounded up, as the VMA's {@code size_gb}. */
    public long sizeGb() {
        return (capacityBytes + GIB - 1) / GIB;
    }
}
