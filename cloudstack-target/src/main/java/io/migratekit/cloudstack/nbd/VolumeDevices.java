package io.migratekit.cloudstack.nbd;

import java.util.regex.Pattern;

/**
 * Where a CloudStack volume attached to the appliance (a KVM guest) shows up: the hypervisor gives the
 * virtio disk the serial "first 20 hex digits of the volume id without hyphens", and udev links it as
 * {@code virtio-<serial>} in {@code /dev/disk/by-id}. Owns that naming and the check that a volume id
 * is a CloudStack UUID (so nothing else ever becomes a path); touches no file.
 */
public final class VolumeDevices {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int SERIAL_LENGTH = 20;

    private VolumeDevices() {
    }

    /** The by-id name of the volume's device, {@code virtio-<first 20 hex digits of the id>}. */
    public static String deviceName(String volumeId) {
        return "virtio-" + requireVolumeId(volumeId).replace("-", "").substring(0, SERIAL_LENGTH);
    }

    /** The volume id, if it is a UUID as CloudStack issues them; otherwise an error that says so. */
    public static String requireVolumeId(String volumeId) {
        if (!isVolumeId(volumeId)) {
            throw new IllegalArgumentException("not a CloudStack volume id (a UUID): " + volumeId);
        }
        return volumeId;
    }

    /** Whether this is a UUID as CloudStack issues volume ids. */
    public static boolean isVolumeId(String volumeId) {
        return volumeId != null && UUID.matcher(volumeId).matches();
    }
}
