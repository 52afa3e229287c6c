package io.migratekit.jobs.projection;

import io.migratekit.platform.EventLog;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * The projector's edge: one consumer group ({@code migratekit.projector.group-id}) on every topic the
 * read model is built from, taking each poll's records as one batch and handing them to the
 * {@link ReadModelProjector} to be written in one transaction (the offsets are committed after it).
 * When the batch's transaction fails, its events are written one transaction each, so that the one that
 * fails is known; it, or a record of no known type, or one that failed to deserialize, is reported by
 * index to the platform's error handler (retries, then dead letters), which redelivers the records
 * after it — the records before it are written and their offsets committed.
 */
public class ProjectorListener {

    private static final Logger log = LoggerFactory.getLogger(ProjectorListener.class);

    static final List<Topic<?>> TOPICS = List.of(Topics.REPLICATION_REQUESTED, Topics.DISCOVERY_FAILED,
            Topics.CONTEXT_CREATED, Topics.JOB_CREATED, Topics.REPLICATION_REJECTED, Topics.JOB_STARTED,
            Topics.JOB_PROGRESS, Topics.CHANGE_ID_RECORDED, Topics.JOB_COMPLETED, Topics.JOB_FAILED,
            Topics.VM_CONTEXTS);

    private final ReadModelProjector projector;

    public ProjectorListener(ReadModelProjector projector) {
        this.projector = projector;
    }

    public String[] topics() {
        return TOPICS.stream().map(Topic::name).toArray(String[]::new);
    }

    @KafkaListener(id = "job-projector", groupId = "${migratekit.projector.group-id:job-service-projector}",
            topics = "#{__listener.topics()}", batch = "true", concurrency = "${migratekit.projector.consumers:2}")
    public void onEvents(List<ConsumerRecord<String, Object>> records) {
        List<SpecificRecord> events = new ArrayList<>();
        int unknown = -1;
        for (int i = 0; i < records.size() && unknown < 0; i++) {
            Object value = records.get(i).value();
            if (ReadModelProjector.projects(value)) {
                events.add((SpecificRecord) value);
            } else {
                unknown = i;
            }
        }
        project(events);
        if (unknown >= 0) {
            throw new BatchListenerFailedException("record " + unknown + " of the batch is not an event the read "
                    + "model is built from (or could not be deserialized)", unknown);
        }
    }

    /** Writes the events (the batch's first ones, in order), together or else one by one up to a failure. */
    private void project(List<SpecificRecord> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            projector.projectAll(events);
        } catch (RuntimeException batchFailure) {
            for (int i = 0; i < events.size(); i++) {
                try {
                    projector.project(events.get(i));
                } catch (RuntimeException e) {
                    throw new BatchListenerFailedException("projecting failed: " + e.getMessage(), e, i);
                }
                handled(events.get(i));
            }
            return;
        }
        events.forEach(ProjectorListener::handled);
    }

    private static void handled(SpecificRecord event) {
        EventLog.handled(log, event, "projected");
    }
}
