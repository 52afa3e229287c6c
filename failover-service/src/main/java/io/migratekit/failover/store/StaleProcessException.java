package io.migratekit.failover.store;

/**
 * The failover's record changed since it was read (another thread or instance moved it on): the
 * change was not made, and the caller reads the record again before deciding anything.
 */
public class StaleProcessException extends RuntimeException {

    public StaleProcessException(String failoverId, long version) {
        super("failover " + failoverId + " is no longer at version " + version);
    }
}
