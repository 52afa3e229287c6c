package io.migratekit.jobs.projection;

import io.migratekit.events.ChangeIdRecorded;
import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobProgress;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmContext;
import io.migratekit.platform.EventLog;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The projector's edge: one consumer group ({@code migratekit.projector.group-id}) on every topic the
 * read model is built from, one handler per event type, each handing the event to the
 * {@link ReadModelProjector}. A record of no known type or one that fails to deserialize goes to the
 * platform's error handler (retries, then dead letters).
 */
@KafkaListener(id = "job-projector", groupId = "${migratekit.projector.group-id:job-service-projector}",
        topics = "#{__listener.topics()}", concurrency = "${migratekit.projector.consumers:2}")
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

    @KafkaHandler
    public void on(ReplicationRequested event) {
        projector.onReplicationRequested(event);
        handled(event);
    }

    @KafkaHandler
    public void on(DiscoveryFailed event) {
        projector.onDiscoveryFailed(event);
        handled(event);
    }

    @KafkaHandler
    public void on(ContextCreated event) {
        projector.onContextCreated(event);
        handled(event);
    }

    @KafkaHandler
    public void on(JobCreated event) {
        projector.onJobCreated(event);
        handled(event);
    }

    @KafkaHandler
    public void on(ReplicationRejected event) {
        projector.onReplicationRejected(event);
        handled(event);
    }

    @KafkaHandler
    public void on(JobStarted event) {
        projector.onJobStarted(event);
        handled(event);
    }

    @KafkaHandler
    public void on(JobProgress event) {
        projector.onJobProgress(event);
        handled(event);
    }

    @KafkaHandler
    public void on(ChangeIdRecorded event) {
        projector.onChangeIdRecorded(event);
        handled(event);
    }

    @KafkaHandler
    public void on(JobCompleted event) {
        projector.onJobCompleted(event);
        handled(event);
    }

    @KafkaHandler
    public void on(JobFailed event) {
        projector.onJobFailed(event);
        handled(event);
    }

    @KafkaHandler
    public void on(VmContext event) {
        projector.onVmContext(event);
        handled(event);
    }

    private static void handled(SpecificRecord event) {
        EventLog.handled(log, event, "projected");
    }
}
