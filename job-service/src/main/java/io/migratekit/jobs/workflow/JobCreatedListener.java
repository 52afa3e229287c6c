package io.migratekit.jobs.workflow;

import io.migratekit.events.JobCreated;
import io.migratekit.schemas.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * The workflow's edge: takes {@code JobCreated} records in batches (consumer group
 * {@code migratekit.workflow.group-id}), hands every job of the batch to the {@link WorkflowRunner} at
 * once and returns when all are published, so the batch's offsets are committed only after its
 * results. A record that could not be deserialized, or whose result could not be published, is
 * reported by index: the platform's error handler retries or dead-letters it and redelivers the rest
 * (which the runner recognizes as handled).
 */
public class JobCreatedListener {

    private final WorkflowRunner runner;

    public JobCreatedListener(WorkflowRunner runner) {
        this.runner = runner;
    }

    public String topic() {
        return Topics.JOB_CREATED.name();
    }

    @KafkaListener(id = "job-workflow", groupId = "${migratekit.workflow.group-id:job-service-workflow}",
            topics = "#{__listener.topic()}", batch = "true", concurrency = "${migratekit.workflow.consumers:2}",
            properties = "max.poll.records=${migratekit.workflow.batch-size:50}")
    public void onJobsCreated(List<ConsumerRecord<String, Object>> records) {
        List<CompletableFuture<Void>> work = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int undeserializable = -1;
        for (int i = 0; i < records.size(); i++) {
            Object value = records.get(i).value();
            if (value instanceof JobCreated job) {
                if (seen.add(job.getEventId())) {
                    work.add(runner.submit(job));
                    indexes.add(i);
                }
            } else if (undeserializable < 0) {
                undeserializable = i;
            }
        }
        int failedIndex = -1;
        RuntimeException failure = null;
        for (int k = 0; k < work.size(); k++) {
            try {
                work.get(k).join();
            } catch (CompletionException e) {
                if (failedIndex < 0 || indexes.get(k) < failedIndex) {
                    failedIndex = indexes.get(k);
                    failure = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        if (undeserializable >= 0 && (failedIndex < 0 || undeserializable < failedIndex)) {
            throw new BatchListenerFailedException("record " + undeserializable + " of the batch is not a JobCreated",
                    undeserializable);
        }
        if (failedIndex >= 0) {
            throw new BatchListenerFailedException(failure.getMessage(), failure, failedIndex);
        }
    }
}
