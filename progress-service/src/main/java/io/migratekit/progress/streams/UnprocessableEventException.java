package io.migratekit.progress.streams;

/**
 * An input event the follow rules could not handle (a poison record in content, not in format).
 * With the platform's {@code KeyMismatchException}, the only processing failure that is dead-lettered
 * and skipped; any other failure — a store or an
 * output that cannot be written — fails the task, so that its transaction is aborted and retried.
 */
public final class UnprocessableEventException extends RuntimeException {

    public UnprocessableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
