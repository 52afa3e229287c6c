package io.migratekit.bench;

import io.migratekit.standalone.Stack;
import io.migratekit.standalone.StandaloneConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts the standalone stack for a benchmark — every part on a free loopback port, the given
 * partitions, data in the given directory — and times it to the moment every service reports UP
 * (figure 7's cold start: every health probe answers 200). Owns nothing once it has returned the stack.
 */
final class StackStart {

    private static final Duration HEALTHY_TIMEOUT = Duration.ofMinutes(3);

    private StackStart() {
    }

    /** The started stack, how long {@link Stack#start} took and how long until every service was UP. */
    record Started(Stack stack, double startSeconds, double healthySeconds) {
    }

    static Started start(Path dataDir, int partitions) throws InterruptedException {
        long begin = System.nanoTime();
        Stack stack = Stack.start(StandaloneConfig.onFreePorts(dataDir).withPartitions(partitions));
        long started = System.nanoTime();
        try {
            List<String> notHealthy = stack.awaitHealthy(HEALTHY_TIMEOUT);
            if (!notHealthy.isEmpty()) {
                throw new IllegalStateException("services not healthy " + HEALTHY_TIMEOUT.toSeconds()
                        + " s after start: " + notHealthy);
            }
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        long healthy = System.nanoTime();
        return new Started(stack, (started - begin) / 1e9, (healthy - begin) / 1e9);
    }
}
