package io.migratekit.bench;

import io.migratekit.standalone.Stack;
import io.migratekit.standalone.StandaloneConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the standalone stack for a benchmark — every part on a free loopback port, the given
 * partitions, data in the given directory — and times it to the moment every service reports UP
 * (figure 7's cold start). Owns nothing once it has returned the stack.
 */
final class StackStart {

    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> PORTS = List.of("KAFKA", "KAFKA_CONTROLLER", "REGISTRY", "POSTGRES", "VMA", "API",
            "DISCOVERY", "JOB_SERVICE", "PROGRESS", "FAILOVER");

    private StackStart() {
    }

    /** The started stack, how long {@link Stack#start} took and how long until every service was UP. */
    record Started(Stack stack, double startSeconds, double healthySeconds) {
    }

    static Started start(Path dataDir, int partitions) throws InterruptedException {
        Map<String, String> environment = new HashMap<>();
        environment.put("MIGRATEKIT_DATA_DIR", dataDir.toString());
        environment.put("MIGRATEKIT_PARTITIONS", Integer.toString(partitions));
        for (String port : PORTS) {
            environment.put("MIGRATEKIT_" + port + "_PORT", "0");
        }
        long begin = System.nanoTime();
        Stack stack = Stack.start(StandaloneConfig.fromEnvironment(environment));
        long started = System.nanoTime();
        try {
            Map<String, String> notUp = new StackHealth().awaitUp(stack, HEALTHY_TIMEOUT);
            if (!notUp.isEmpty()) {
                throw new IllegalStateException("services not UP " + HEALTHY_TIMEOUT.toSeconds() + " s after start: "
                        + notUp);
            }
        } catch (InterruptedException | RuntimeException e) {
            stack.close();
            throw e;
        }
        long healthy = System.nanoTime();
        return new Started(stack, (started - begin) / 1e9, (healthy - begin) / 1e9);
    }
}
