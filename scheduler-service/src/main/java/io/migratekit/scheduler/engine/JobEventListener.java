package io.migratekit.scheduler.engine;

import io.migratekit.client.ReplicationOutcome;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.util.List;
import java.util.Locale;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The job events an execution counts its running jobs by, and the answers to its requests that carry
 * no job (rejections, discovery failures) — no polling: each instance reads them in
 * its own consumer group ({@code scheduler-service-<instance-id>}), since the execution a job belongs
 * to runs on the instance that claimed it, and resumes from its committed offsets after a restart.
 * Thin: hands each event to the {@link ExecutionEngine}, which ignores what is not its own.
 */
@KafkaListener(id = "scheduler-jobs", groupId = "${migratekit.scheduler.group-id:scheduler-service}-${migratekit.scheduler.instance-id:scheduler-1}",
        topics = "#{__listener.topics()}", autoStartup = "false")
public class JobEventListener {

    static final List<Topic<?>> TOPICS = List.of(Topics.JOB_STARTED, Topics.JOB_COMPLETED, Topics.JOB_FAILED,
            Topics.REPLICATION_REJECTED, Topics.DISCOVERY_FAILED);

    private final ExecutionEngine engine;

    public JobEventListener(ExecutionEngine engine) {
        this.engine = engine;
    }

    public String[] topics() {
        return TOPICS.stream().map(Topic::name).toArray(String[]::new);
    }

    @KafkaHandler
    public void on(JobStarted event) {
        if (event.getScheduleExecutionId() != null) {
            engine.jobStarted(event.getScheduleExecutionId(), event.getVmwareVmId(), event.getCorrelationId(),
                    event.getJobId());
        }
    }

    @KafkaHandler
    public void on(JobCompleted event) {
        engine.jobEnded(event.getScheduleExecutionId(), event.getVmwareVmId(), event.getCorrelationId(),
                event.getJobId(), true, null);
    }

    /** A rejection of one of its requests (correlation id = request id) also reaches an instance that was down. */
    @KafkaHandler
    public void on(ReplicationRejected event) {
        engine.answeredByEvent(event.getVmwareVmId(), event.getCorrelationId(), new ReplicationOutcome.Rejected(event));
    }

    @KafkaHandler
    public void on(DiscoveryFailed event) {
        engine.answeredByEvent(event.getVmwareVmId(), event.getCorrelationId(),
                new ReplicationOutcome.DiscoveryFailure(event));
    }

    @KafkaHandler
    public void on(JobFailed event) {
        engine.jobEnded(event.getScheduleExecutionId(), event.getVmwareVmId(), event.getCorrelationId(),
                event.getJobId(), false, event.getReason().name().toLowerCase(Locale.ROOT));
    }
}
