package io.migratekit.cloudstack;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Which CloudStack networks a failover VM gets: a requested network name (a test failover's
 * {@code test_network}, a replication's {@code target_network}) maps to CloudStack network ids; no
 * name means the default networks. A name that is not mapped is an error, never a silent default.
 *
 * @param defaultNetworkIds the networks when no name is given (first one the default NIC)
 * @param networkIdsByName  the networks for each name
 */
public record NetworkMapping(List<String> defaultNetworkIds, Map<String, List<String>> networkIdsByName) {

    public NetworkMapping {
        defaultNetworkIds = List.copyOf(defaultNetworkIds);
        Map<String, List<String>> copy = new TreeMap<>();
        networkIdsByName.forEach((name, ids) -> {
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("network name " + name + " is mapped to no network");
            }
            copy.put(Objects.requireNonNull(name, "network name"), List.copyOf(ids));
        });
        networkIdsByName = Map.copyOf(copy);
    }

    public static NetworkMapping none() {
        return new NetworkMapping(List.of(), Map.of());
    }

    /** The networks for this name (null: the defaults); empty when nothing is mapped for it. */
    public Optional<List<String>> networkIds(String name) {
        List<String> ids = name == null ? defaultNetworkIds : networkIdsByName.get(name);
        return ids == null || ids.isEmpty() ? Optional.empty() : Optional.of(ids);
    }

    /** Every network id mentioned. */
    public List<String> allNetworkIds() {
        return Stream.concat(defaultNetworkIds.stream(),
                networkIdsByName.values().stream().flatMap(List::stream)).distinct().toList();
    }
}
