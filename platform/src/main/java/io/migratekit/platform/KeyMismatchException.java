package io.migratekit.platform;

/**
 * A record whose Kafka key is not the VMware VM id its event names ({@link KeyConsistency}): valid in
 * format, impossible in content, so poison. Never retried: the same record fails the same way.
 */
public final class KeyMismatchException extends RuntimeException {

    KeyMismatchException(String message) {
        super(message);
    }
}
