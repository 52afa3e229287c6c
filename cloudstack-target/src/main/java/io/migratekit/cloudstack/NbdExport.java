package io.migratekit.cloudstack;

/**
 * A volume exported over NBD by the appliance, as the VMA addresses it: export
 * {@code migration-vol-<volume id>} at {@code nbd://<host>:<port>/<export>}. Owns the naming only.
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
}
