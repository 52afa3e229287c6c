package io.migratekit.jobs.workflow;

import io.migratekit.events.VolumesSuperseded;
import io.migratekit.platform.EventLog;
import io.migratekit.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The edge of {@link VolumeRelease}: one consumer group ({@code migratekit.workflow.group-id} with
 * {@code -volume-release}) on {@code VolumesSuperseded}. A release that keeps failing goes through the
 * platform's error handler (retries, then dead letters with the volumes named).
 */
@KafkaListener(id = "volume-release", groupId = "${migratekit.workflow.group-id:job-service-workflow}-volume-release",
        topics = "#{__listener.topic()}")
public class VolumesSupersededListener {

    private static final Logger log = LoggerFactory.getLogger(VolumesSupersededListener.class);

    private final VolumeRelease release;

    public VolumesSupersededListener(VolumeRelease release) {
        this.release = release;
    }

    public String topic() {
        return Topics.VOLUMES_SUPERSEDED.name();
    }

    @KafkaHandler
    public void on(VolumesSuperseded event) {
        EventLog.handled(log, event, release.release(event));
    }
}
