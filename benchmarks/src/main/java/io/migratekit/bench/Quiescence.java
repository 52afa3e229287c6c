package io.migratekit.bench;

import io.migratekit.vmasim.VmaSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Waits until the pipeline is idle, so that one run's leftovers (the projector catching up, jobs
 * still copying, progress polls) do not load the next: no topic grew for half a second, every
 * consumer group — the services' listeners and Streams applications — has read every partition to
 * its committed end (a trailing transaction marker is not a record to read), and the simulated VMA
 * runs no job. Reads offsets through the admin client; owns nothing.
 */
final class Quiescence {

    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final VmaSimulator simulator;

    Quiescence(Admin admin, VmaSimulator simulator) {
        this.admin = admin;
        this.simulator = simulator;
    }

    Result await(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        Map<TopicPartition, Long> previousEnds = null;
        while (true) {
            Map<TopicPartition, Long> ends = endOffsets();
            long lag = lag(ends);
            int jobs = simulator.activeJobs();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (lag == 0 && jobs == 0 && ends.equals(previousEnds)) {
                return new Result(true, seconds, 0, 0);
            }
            if (seconds > timeout.toSeconds()) {
                return new Result(false, seconds, lag, jobs);
            }
            previousEnds = ends;
            Thread.sleep(INTERVAL.toMillis());
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws InterruptedException {
        Set<String> topics = call(admin.listTopics().names());
        Map<String, TopicDescription> descriptions = call(admin.describeTopics(topics).allTopicNames());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription description : descriptions.values()) {
            for (TopicPartitionInfo partition : description.partitions()) {
                latest.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        call(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private long lag(Map<TopicPartition, Long> ends) throws InterruptedException {
        Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
        for (GroupListing group : call(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all())) {
            groups.put(group.groupId(), new ListConsumerGroupOffsetsSpec());
        }
        if (groups.isEmpty()) {
            return 0;
        }
        long lag = 0;
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = call(admin.listConsumerGroupOffsets(groups).all());
        for (Map<TopicPartition, OffsetAndMetadata> offsets : committed.values()) {
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
                Long end = ends.get(entry.getKey());
                if (end != null && entry.getValue() != null) {
                    lag += Math.max(0, end - entry.getValue().offset() - 1);
                }
            }
        }
        return lag;
    }

    private static <T> T call(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not answer an offsets query: " + e, e);
        }
    }

    /** How the wait ended: idle after {@code seconds}, or still busy with this lag and these jobs at the timeout. */
    record Result(boolean idle, double seconds, long lag, int activeJobs) {

        String describe() {
            return idle ? String.format(Locale.ROOT, "idle after %.1f s", seconds)
                    : String.format(Locale.ROOT, "NOT idle after %.1f s (lag %d records, %d VMA jobs running)", seconds,
                            lag, activeJobs);
        }
    }
}
