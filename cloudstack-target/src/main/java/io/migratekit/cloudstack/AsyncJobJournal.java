package io.migratekit.cloudstack;

import java.util.Optional;

/**
 * Where {@link CloudStackTargetPlatform} records every CloudStack async job before it waits on it,
 * so that a retry or a restarted service resumes waiting on the same job instead of issuing the
 * command a second time. Keys name one operation on one resource of one target configuration, e.g.
 * {@code 1/attachVolume/<volume id>}; a key has at most one job at a time.
 *
 * <p>The owning service provides the durable implementation (its own table or event; one writer per
 * table). {@link #recorded} must be durable when it returns: the platform starts waiting only then.
 */
public interface AsyncJobJournal {

    /** The job recorded for this operation and not ended yet, if any. */
    Optional<String> recordedJob(String operationKey);

    /** Records that {@code command} started {@code jobId} for this operation (replacing an ended one). */
    void recorded(String operationKey, String command, String jobId);

    /** The job of this operation ended (succeeded, failed, or CloudStack no longer knows it). */
    void ended(String operationKey);
}
