package io.migratekit.cloudstack.nbd;

/**
 * The appliance could not export or unexport a volume over NBD, or could not run its NBD server. The
 * message says which volume or which server and why.
 */
public class NbdExportException extends RuntimeException {

    public NbdExportException(String message) {
        super(message);
    }

    public NbdExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
