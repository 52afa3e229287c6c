package io.migratekit.cloudstack;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The configured CloudStack targets by {@code ossea_config_id}. Immutable. */
public final class CloudStackTargetConfigs {

    private final Map<Long, CloudStackTargetConfig> byId;

    public CloudStackTargetConfigs(Collection<CloudStackTargetConfig> configs) {
        Map<Long, CloudStackTargetConfig> map = new TreeMap<>();
        for (CloudStackTargetConfig config : configs) {
            if (map.put(config.id(), config) != null) {
                throw new IllegalArgumentException("CloudStack target " + config.id() + " is configured twice");
            }
        }
        this.byId = Collections.unmodifiableMap(map);
    }

    public Optional<CloudStackTargetConfig> find(long osseaConfigId) {
        return Optional.ofNullable(byId.get(osseaConfigId));
    }

    /** The target of this id; {@link UnknownTargetConfigException} (a client's error) when there is none. */
    public CloudStackTargetConfig require(long osseaConfigId) {
        return find(osseaConfigId).orElseThrow(() -> new UnknownTargetConfigException(osseaConfigId, byId.keySet()));
    }

    public Collection<CloudStackTargetConfig> all() {
        return byId.values();
    }

    /** A request named an {@code ossea_config_id} that is not configured. */
    public static final class UnknownTargetConfigException extends RuntimeException {

        private final long osseaConfigId;

        UnknownTargetConfigException(long osseaConfigId, Collection<Long> known) {
            super("ossea_config_id " + osseaConfigId + " is not a configured CloudStack target (configured: "
                    + (known.isEmpty() ? "none" : known.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    + ")");
            this.osseaConfigId = osseaConfigId;
        }

        public long osseaConfigId() {
            return osseaConfigId;
        }
    }
}
