package io.migratekit.jobs.projection;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the read-model projector (environment: {@code MIGRATEKIT_PROJECTOR_GROUP_ID},
 * {@code MIGRATEKIT_PROJECTOR_CONSUMERS}). The database is Spring's {@code spring.datasource.*}.
 */
@ConfigurationProperties("migratekit.projector")
public class ProjectorProperties {

    /** Consumer group of the projector. */
    private String groupId = "job-service-projector";
    /** Listener consumers. */
    private int consumers = 2;

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public int getConsumers() {
        return consumers;
    }

    public void setConsumers(int consumers) {
        this.consumers = consumers;
    }
}
