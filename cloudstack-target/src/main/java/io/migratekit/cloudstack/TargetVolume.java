package io.migratekit.cloudstack;

/**
 * A volume on the target platform.
 *
 * @param volumeId the platform's id (a UUID on CloudStack)
 * @param name     the name it was created with
 * @param sizeGb   size in GiB
 * @param jobId    the job it was created for
 * @param diskId   the source disk it holds
 */
public record TargetVolume(String volumeId, String name, long sizeGb, String jobId, String diskId) {
}
