package io.migratekit.platform;

import java.time.Duration;

/**
 * A dependency the service cannot run without (Kafka, the schema registry, the database, the VMA)
 * is not reachable at start-up. Carries which one, where it was looked for, and what to set.
 */
public class DependencyUnavailableException extends RuntimeException {

    private final String dependency;
    private final String address;
    private final String setting;

    public DependencyUnavailableException(String dependency, String address, String setting, Duration waited,
            Throwable cause) {
        super(dependency + " is unreachable at " + address + ": no answer within " + waited.toSeconds() + " s ("
                + rootMessage(cause) + ")");
        this.dependency = dependency;
        this.address = address;
        this.setting = setting;
    }

    /** The dependency answered but turned the service away ({@code message} says how). */
    public DependencyUnavailableException(String dependency, String address, String setting, String message,
            Throwable cause) {
        super(message);
        this.dependency = dependency;
        this.address = address;
        this.setting = setting;
    }

    public String dependency() {
        return dependency;
    }

    public String address() {
        return address;
    }

    public String setting() {
        return setting;
    }

    static String rootMessage(Throwable cause) {
        if (cause == null) {
            return "no answer";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
