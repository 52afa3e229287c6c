package io.migratekit.bench;

import io.migratekit.platform.BearerTokens;
import io.migratekit.standalone.Stack;
import io.migratekit.standalone.StandaloneConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Starts the standalone stack for a benchmark — every part on a free loopback port, the given
 * partitions, data in the given directory — and times it to the moment every service reports UP
 * (figure 7's cold start). The services of the stacks this JVM starts accept a management token made
 * for this run (their prometheus endpoints need it). Owns nothing once it has returned the stack.
 */
final class StackStart {

    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> PORTS = List.of("KAFKA", "KAFKA_CONTROLLER", "REGISTRY", "POSTGRES", "VMA", "API",
            "DISCOVERY", "JOB_SERVICE", "PROGRESS", "FAILOVER");

    /** The management token of this JVM's stacks: random per run, its hash given to every service. */
    static final String MANAGEMENT_TOKEN = randomToken();

    private StackStart() {
    }

    /** The started stack, how long {@link Stack#start} took and how long until every service was UP. */
    record Started(Stack stack, double startSeconds, double healthySeconds) {
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static Started start(Path dataDir, int partitions) throws InterruptedException {
        Map<String, String> environment = new HashMap<>();
        environment.put("MIGRATEKIT_DATA_DIR", dataDir.toString());
        environment.put("MIGRATEKIT_PARTITIONS", Integer.toString(partitions));
        for (String port : PORTS) {
            environment.put("MIGRATEKIT_" + port + "_PORT", "0");
        }
        // The stack's services run in this JVM and read system properties beneath their command line.
        System.setProperty("migratekit.management.token-sha256",
                HexFormat.of().formatHex(BearerTokens.sha256(MANAGEMENT_TOKEN)));
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
