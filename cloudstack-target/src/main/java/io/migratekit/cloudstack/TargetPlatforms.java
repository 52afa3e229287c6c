package io.migratekit.cloudstack;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The target platforms of the configured CloudStack targets, by {@code ossea_config_id}: one platform
 * (with its own client) per target. job-service creates a job's volumes in the target its
 * {@code ossea_config_id} names ({@link #forConfig}); what exists already is found where it is
 * ({@link #holdingVolume}, {@link #holdingVm}): a failover VM goes into the target that holds its
 * volumes, and a volume or VM is removed from the target that has it. Immutable; owns the choice only.
 */
public final class TargetPlatforms {

    private final Map<Long, TargetPlatform> byId;

    public TargetPlatforms(Map<Long, ? extends TargetPlatform> byId) {
        if (byId.isEmpty()) {
            throw new IllegalArgumentException("at least one target platform is needed");
        }
        Map<Long, TargetPlatform> copy = new TreeMap<>();
        byId.forEach((id, platform) -> copy.put(id, Objects.requireNonNull(platform, "platform of target " + id)));
        this.byId = Collections.unmodifiableMap(copy);
    }

    /** One target only. */
    public static TargetPlatforms single(long osseaConfigId, TargetPlatform platform) {
        return new TargetPlatforms(Map.of(osseaConfigId, platform));
    }

    public Set<Long> ids() {
        return byId.keySet();
    }

    /**
     * The platform of this {@code ossea_config_id}; none named (null) means the only target there is.
     *
     * @throws TargetPlatformException (as a {@link TargetOperation#CREATE_VOLUME} refusal) for an id that is
     *                                 not configured, or for none when several targets are
     */
    public TargetPlatform forConfig(Long osseaConfigId) {
        if (osseaConfigId == null) {
            if (byId.size() == 1) {
                return byId.values().iterator().next();
            }
            throw new TargetPlatformException(TargetOperation.CREATE_VOLUME, "the job names no ossea_config_id and "
                    + byId.size() + " CloudStack targets are configured (" + configured() + ")");
        }
        TargetPlatform platform = byId.get(osseaConfigId);
        if (platform == null) {
            throw new TargetPlatformException(TargetOperation.CREATE_VOLUME, "ossea_config_id " + osseaConfigId
                    + " is not a configured CloudStack target (configured: " + configured() + ")");
        }
        return platform;
    }

    /** The platform of the target that has this volume, if any has it. */
    public Optional<TargetPlatform> holdingVolume(String volumeId) {
        return holding(platform -> platform.findVolume(volumeId).isPresent());
    }

    /** The platform of the target that has this VM, if any has it. */
    public Optional<TargetPlatform> holdingVm(String vmId) {
        return holding(platform -> platform.findVm(vmId).isPresent());
    }

    private Optional<TargetPlatform> holding(Predicate<TargetPlatform> has) {
        return byId.values().stream().filter(has).findFirst();
    }

    private String configured() {
        return byId.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
