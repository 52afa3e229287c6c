package io.migratekit.cloudstack;

/** The operations of {@link TargetPlatform}, named for fault injection and error reporting. */
public enum TargetOperation {
    CREATE_VOLUME,
    ATTACH_VOLUME,
    DETACH_VOLUME,
    DELETE_VOLUME,
    CREATE_VM,
    POWER_ON_VM,
    DELETE_VM
}
