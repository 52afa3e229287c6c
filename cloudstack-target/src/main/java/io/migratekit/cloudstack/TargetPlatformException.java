package io.migratekit.cloudstack;

import io.migratekit.cloudstack.client.CloudStackException;

/**
 * The target platform refused or failed an operation. The message says which operation on which
 * resource and why, and never carries a credential.
 */
public class TargetPlatformException extends RuntimeException {

    private final TargetOperation operation;

    public TargetPlatformException(TargetOperation operation, String message) {
        super(message);
        this.operation = operation;
    }

    public TargetPlatformException(TargetOperation operation, String message, Throwable cause) {
        super(message, cause);
        this.operation = operation;
    }

    public TargetOperation operation() {
        return operation;
    }

    /**
     * Whether the platform could not be reached or did not answer in time: nothing was refused, and the
     * same operation tried again later goes on where it stopped (waiting on the jobs it recorded).
     */
    public boolean unreachable() {
        return getCause() instanceof CloudStackException cause && (cause.kind() == CloudStackException.Kind.UNREACHABLE
                || cause.kind() == CloudStackException.Kind.TIMEOUT);
    }
}
