package io.migratekit.failover.engine;

import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.FailoverAccepted;
import io.migratekit.events.FailoverCleanupRequested;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.platform.EventLog;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;

/**
 * failover-service's edge: one consumer group ({@code migratekit.failover.group-id}, default
 * {@code failover-service}) on the topics a failover reacts to, one handler per event type handing the
 * event to the {@link FailoverInbox} and logging it once. A record of no known type, or one that fails
 * to deserialize or whose handling keeps failing, goes to the platform's error handler (retries, then
 * dead letters). When partitions are assigned to it (start, or an instance of the group died), it has
 * the unfinished failovers resumed: a failover an instance was driving when it died waits for no event
 * and would otherwise stay where it was.
 */
@KafkaListener(id = "failover-service", groupId = "${migratekit.failover.group-id:failover-service}",
        topics = "#{__listener.topics()}", concurrency = "${migratekit.failover.consumers:1}")
public class FailoverListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(FailoverListener.class);

    static final List<Topic<?>> TOPICS = List.of(Topics.FAILOVER_ACCEPTED, Topics.JOB_STARTED, Topics.JOB_COMPLETED,
            Topics.JOB_FAILED, Topics.REPLICATION_REJECTED, Topics.DISCOVERY_FAILED, Topics.FAILOVER_CLEANUP_REQUESTED);

    private final FailoverInbox inbox;

    public FailoverListener(FailoverInbox inbox) {
        this.inbox = inbox;
    }

    public String[] topics() {
        return TOPICS.stream().map(Topic::name).toArray(String[]::new);
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        if (!assignments.isEmpty()) {
            inbox.resumeUnfinished();
        }
    }

    @KafkaHandler
    public void on(FailoverAccepted event) {
        EventLog.handled(log, event, inbox.onAccepted(event));
    }

    @KafkaHandler
    public void on(JobStarted event) {
        EventLog.handled(log, event, inbox.onJobStarted(event));
    }

    @KafkaHandler
    public void on(JobCompleted event) {
        EventLog.handled(log, event, inbox.onJobCompleted(event));
    }

    @KafkaHandler
    public void on(JobFailed event) {
        EventLog.handled(log, event, inbox.onJobFailed(event));
    }

    @KafkaHandler
    public void on(ReplicationRejected event) {
        EventLog.handled(log, event, inbox.onReplicationRejected(event));
    }

    @KafkaHandler
    public void on(DiscoveryFailed event) {
        EventLog.handled(log, event, inbox.onDiscoveryFailed(event));
    }

    @KafkaHandler
    public void on(FailoverCleanupRequested event) {
        EventLog.handled(log, event, inbox.onCleanupRequested(event));
    }
}
