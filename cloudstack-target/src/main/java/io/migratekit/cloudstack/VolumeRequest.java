package io.migratekit.cloudstack;

import java.util.Objects;

/**
 * A target volume for one source disk of one replication job.
 *
 * @param jobId  the replication job (with {@code diskId} the idempotency key)
 * @param diskId the source disk, e.g. {@code disk-2000}
 * @param sizeGb the size in GiB, at least the source disk's
 * @param name   a readable name for operators
 */
public record VolumeRequest(String jobId, String diskId, long sizeGb, String name) {

    public VolumeRequest {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(diskId, "diskId");
        Objects.requireNonNull(name, "name");
        if (sizeGb <= 0) {
            throw new IllegalArgumentException("volume size must be positive, was " + sizeGb + " GiB");
        }
    }
}
