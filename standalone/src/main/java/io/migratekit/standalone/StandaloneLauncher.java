package io.migratekit.standalone;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar migratekit-standalone.jar}: starts the whole pipeline on this machine with
 * embedded defaults, prints where each part listens and how long start-up took, and stops
 * everything cleanly on Ctrl-C. A second start on the same data directory keeps the data.
 */
public final class StandaloneLauncher {

    /** After a crash the Streams apps rejoin once the dead members' sessions (45 s) have timed out. */
    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(2);

    private StandaloneLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        StandaloneConfig config = StandaloneConfig.fromEnvironment(System.getenv());
        Stack stack;
        try {
            stack = Stack.start(config);
        } catch (RuntimeException | LinkageError e) {
            // Whatever was started has been stopped; exit so that no thread keeps the JVM alive.
            System.err.println("MigrateKit standalone failed to start: " + e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping MigrateKit…");
            stack.close();
            stopped.countDown();
        }, "migratekit-shutdown"));
        List<String> unhealthy = stack.awaitHealthy(HEALTHY_WITHIN);
        print(stack, config, unhealthy);
        stopped.await();
    }

    private static void print(Stack stack, StandaloneConfig config, List<String> unhealthy) {
        StringBuilder out = new StringBuilder(unhealthy.isEmpty()
                ? "\nMigrateKit standalone is up (started in " + stack.startupMillis() + " ms, every service healthy)\n"
                : "\nMigrateKit standalone started in " + stack.startupMillis() + " ms, but " + unhealthy
                        + " not healthy after " + HEALTHY_WITHIN.toSeconds() + " s: see the log\n");
        for (Map.Entry<String, String> entry : stack.endpoints().entrySet()) {
            out.append(String.format("  %-18s %s%n", entry.getKey(), entry.getValue()));
        }
        out.append("  web console        ").append(stack.consoleUrl())
                .append(" (open it in a browser, sign in with the API token)\n")
                .append("  data directory     ").append(config.dataDir().toAbsolutePath()).append('\n')
                .append("  API token          in ").append(stack.apiTokenFile())
                .append(" (send it as 'Authorization: Bearer <token>')\n")
                .append("  management token   in ").append(stack.managementTokenFile())
                .append(" (for /actuator/prometheus and health details)\n")
                .append("Press Ctrl-C to stop.\n");
        System.out.println(out);
    }
}
