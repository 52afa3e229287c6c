package io.migratekit.cloudstack;

/**
 * A volume exported over NBD by the appliance, as the VMA addresses it: export
 * {@code migration-vol-<volume id>} at {@code nbd://<host>:<port>/<export>}, served from the device the
 * attached volume is on the appliance. Owns the naming only.
 *
 * @param volumeId   the exported volume
 * @param exportName the NBD export name
 * @param devicePath the NBD URL the VMA writes to
 */
public record NbdExport(String volumeId, String exportName, String devicePath) {

    /** The export of a volume on the appliance's NBD server at {@code host:port}. */
    public static NbdExport of(String volumeId, String host, int port) {
        String exportName = exportName(volumeId);
        return new NbdExport(volumeId, exportName, "nbd://" + host + ":" + port + "/" + exportName);
    }

    public static String exportName(String volumeId) {
        return "migration-vol-" + volumeId;
    }

    /**
     * Where a volume attached to the appliance appears there: {@code /dev/disk/by-id/virtio-} and the
     * first 20 hex characters of its id without hyphens (the virtio serial CloudStack sets).
     */
    public static String applianceDevice(String volumeId) {
        String hex = volumeId.replace("-", "");
        return "/dev/disk/by-id/virtio-" + hex.substring(0, Math.min(20, hex.length()));
    }
}
