package io.migratekit.drills;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one drill's stack runs: a name (its work directory's prefix), one broker or a cluster of three,
 * the service instances in start
 * order (the first creates the topics; {@code name#2} is a second instance of {@code name}), the
 * topics' partition count, the simulator's environment (copy rate, delays), the length of a
 * failover's final-sync deadline minute, and extra command-line settings per service. Immutable.
 */
public record DrillSettings(String name, int brokers, List<String> instances, int partitions,
        Map<String, String> simulatorEnvironment, Duration finalSyncDeadlineUnit,
        Map<String, List<String>> extraArguments) {

    public static final List<String> ALL_SERVICES = List.of(DrillStack.JOB_SERVICE, DrillStack.JOB_INTAKE,
            DrillStack.DISCOVERY, DrillStack.PROGRESS, DrillStack.FAILOVER);

    public DrillSettings {
        if (brokers != 1 && brokers != 3) {
            throw new IllegalArgumentException("a drill stack runs one broker or a cluster of three, not " + brokers);
        }
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("a drill stack needs at least one service instance");
        }
        instances = List.copyOf(instances);
        simulatorEnvironment = Map.copyOf(simulatorEnvironment);
        extraArguments = Map.copyOf(extraArguments);
    }

    /** Every service once, six partitions, the simulator's defaults, a 3-second deadline minute. */
    public static DrillSettings allServices(String name) {
        return new DrillSettings(name, 1, ALL_SERVICES, 6, Map.of(), Duration.ofSeconds(3), Map.of());
    }

    public DrillSettings withInstances(List<String> next) {
        return new DrillSettings(name, brokers, next, partitions, simulatorEnvironment, finalSyncDeadlineUnit,
                extraArguments);
    }

    /**
     * Three brokers (KRaft, each broker and controller) instead of one; topics with replication factor
     * 3 and {@code min.insync.replicas} 2.
     */
    public DrillSettings withThreeBrokers() {
        return new DrillSettings(name, 3, instances, partitions, simulatorEnvironment, finalSyncDeadlineUnit,
                extraArguments);
    }

    public DrillSettings withSimulator(Map<String, String> environment) {
        return new DrillSettings(name, brokers, instances, partitions, environment, finalSyncDeadlineUnit,
                extraArguments);
    }

    public DrillSettings withExtraArguments(Map<String, List<String>> arguments) {
        return new DrillSettings(name, brokers, instances, partitions, simulatorEnvironment, finalSyncDeadlineUnit,
                arguments);
    }
}
