package io.migratekit.cloudstack;

/**
 * The NBD server on the appliance, through which the VMA writes into the volumes attached to it. A
 * port: the implementation (configuring the appliance's NBD server) lives with the appliance; this
 * module only says what to serve. Both operations are idempotent.
 */
public interface ApplianceNbdServer {

    /**
     * Serves the block device {@code devicePath} (e.g. {@code /dev/disk/by-id/virtio-0123456789abcdef0123})
     * as {@code exportName}, once the device has appeared; serving it already is success.
     */
    void export(String exportName, String devicePath);

    /** Stops serving {@code exportName}; an export that is not served is already stopped. */
    void unexport(String exportName);
}
