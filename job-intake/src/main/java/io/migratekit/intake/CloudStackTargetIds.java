package io.migratekit.intake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The part of the CloudStack target settings job-intake needs: which target kind the services drive
 * ({@code migratekit.cloudstack.target}) and the ids of the configured targets
 * ({@code migratekit.cloudstack.targets[n].id}, a request's {@code ossea_config_id}). The same
 * settings job-service and failover-service read in full; job-intake binds only these two, never a key,
 * and connects to no CloudStack.
 */
@ConfigurationProperties("migratekit.cloudstack")
public class CloudStackTargetIds {

    private String target = "cloudstack";
    private List<Target> targets = new ArrayList<>();

    /** One configured target; only its id matters here. */
    public static class Target {
        private long id;

        public long getId() { return id; }
        public void setId(long id) { this.id = id; }
    }

    /**
     * The ids a request may name: the configured targets'. Empty (no check here) when this job-intake
     * is given no targets; job-service, which must have them, then fails a job naming an unknown id
     * at its {@code target_volumes} step.
     *
     * @throws IllegalStateException for a target kind the services do not know, naming the setting
     */
    public Optional<SortedSet<Long>> acceptedIds() {
        String kind = target == null ? "" : target.trim().toLowerCase();
        if (!kind.equals("cloudstack")) {
            throw new IllegalStateException("migratekit.cloudstack.target=" + target
                    + " is not supported; the only target kind is 'cloudstack'");
        }
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        SortedSet<Long> ids = new TreeSet<>();
        targets.forEach(configured -> ids.add(configured.getId()));
        return Optional.of(Collections.unmodifiableSortedSet(ids));
    }

    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
    public List<Target> getTargets() { return targets; }
    public void setTargets(List<Target> targets) { this.targets = targets; }
}
