package io.migratekit.cloudstack;

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
}
