package io.migratekit.bench;

import io.migratekit.events.JobCreated;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmDiscovered;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Where the time of a created job goes, stage by stage: each event of the job-creation path carries
 * the moment its writer made it ({@code occurred_at}, milliseconds), so for every tracked request the
 * gaps between the request's due time, {@code ReplicationRequested} (job-intake), {@code VmDiscovered}
 * (discovery-service, after the VMA's answer), {@code JobCreated} (the decision) and the moment it
 * became readable (the decision's transaction committed), {@code JobStarted} (the workflow, after the
 * target volumes and the VMA's replicate) and the 201 show which stage holds the time. One consumer
 * thread from the topics' current end; owns it. All clocks are this machine's.
 */
final class StageTimes implements AutoCloseable {

    static final List<String> STAGES = List.of("due → ReplicationRequested (HTTP, job-intake)",
            "→ VmDiscovered (hop 1, discovery, VMA discover)", "→ JobCreated (hop 2, decision)",
            "→ JobStarted (hop 3 after the decision's commit, workflow, VMA replicate)",
            "→ 201 (hop 4 to job-intake, response)",
            "(JobCreated readable to a read_committed consumer after it was made)");
    /** For each stage, the marks it goes from and to. */
    private static final int[][] SPANS = {{0, 1}, {1, 2}, {2, 3}, {3, 5}, {5, 6}, {3, 4}};
    private static final List<Topic<?>> TOPICS = List.of(Topics.REPLICATION_REQUESTED, Topics.VM_DISCOVERED,
            Topics.JOB_CREATED, Topics.JOB_STARTED);

    private final KafkaConsumer<String, Object> consumer;
    private final Thread thread;
    private final Map<String, long[]> stamps = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /** Marks of one request: due, requested, discovered, created, created read, started, answered (epoch ms). */
    private static final int DUE = 0;
    private static final int REQUESTED = 1;
    private static final int DISCOVERED = 2;
    private static final int CREATED = 3;
    private static final int CREATED_READ = 4;
    private static final int STARTED = 5;
    private static final int ANSWERED = 6;

    StageTimes(PlatformClients clients) {
        this.consumer = clients.consumer("bench-stage-times");
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?> topic : TOPICS) {
            for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        for (TopicPartition partition : partitions) {
            consumer.position(partition, Duration.ofSeconds(30));
        }
        this.thread = new Thread(this::loop, "bench-stage-times");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Tracks a request sent for {@code vmId}, due at {@code dueEpochMillis}. */
    void due(String vmId, long dueEpochMillis) {
        long[] marks = marks(vmId);
        marks[DUE] = dueEpochMillis;
    }

    /** The request for {@code vmId} was answered at {@code epochMillis}. */
    void answered(String vmId, long epochMillis) {
        marks(vmId)[ANSWERED] = epochMillis;
    }

    /** Waits (at most {@code timeout}) until every answered request has all its marks: the consumer may lag the 201. */
    void awaitMarks(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && stamps.values().stream()
                .anyMatch(marks -> marks[ANSWERED] > 0 && (marks[REQUESTED] == 0 || marks[DISCOVERED] == 0
                        || marks[CREATED] == 0 || marks[STARTED] == 0))) {
            Thread.sleep(20);
        }
    }

    private long[] marks(String vmId) {
        return stamps.computeIfAbsent(vmId, id -> new long[ANSWERED + 1]);
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    long[] marks = stamps.get(record.key());
                    if (marks == null) {
                        continue;
                    }
                    Object event = record.value();
                    if (event instanceof ReplicationRequested requested) {
                        setOnce(marks, REQUESTED, requested.getOccurredAt());
                    } else if (event instanceof VmDiscovered discovered) {
                        setOnce(marks, DISCOVERED, discovered.getOccurredAt());
                    } else if (event instanceof JobCreated created) {
                        setOnce(marks, CREATED, created.getOccurredAt());
                        if (marks[CREATED_READ] == 0) {
                            marks[CREATED_READ] = now;
                        }
                    } else if (event instanceof JobStarted started) {
                        setOnce(marks, STARTED, started.getOccurredAt());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        }
    }

    private static void setOnce(long[] marks, int index, Instant at) {
        if (marks[index] == 0) {
            marks[index] = at.toEpochMilli();
        }
    }

    /** p50 and p99 of each stage over the requests that have every mark, in stage order. */
    Map<String, Latency> stages() {
        List<Histogram> histograms = new ArrayList<>();
        for (int i = 0; i < STAGES.size(); i++) {
            histograms.add(Latency.histogram());
        }
        for (long[] marks : stamps.values()) {
            boolean complete = true;
            for (long mark : marks) {
                complete &= mark > 0;
            }
            if (!complete) {
                continue;
            }
            for (int stage = 0; stage < STAGES.size(); stage++) {
                Latency.record(histograms.get(stage), (marks[SPANS[stage][1]] - marks[SPANS[stage][0]]) * 1_000_000L);
            }
        }
        Map<String, Latency> stages = new LinkedHashMap<>();
        for (int i = 0; i < STAGES.size(); i++) {
            stages.put(STAGES.get(i), Latency.of(histograms.get(i)));
        }
        return stages;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close();
    }
}
