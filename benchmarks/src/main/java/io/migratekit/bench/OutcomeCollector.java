package io.migratekit.bench;

import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the decision's outcome topics and the context changelog from where they end when it starts
 * (no consumer group, {@code read_committed} like the services) on one thread, and hands every event
 * to the {@link RunLedger} of the run in progress. Owns its consumer and thread.
 */
final class OutcomeCollector implements AutoCloseable {

    static final List<Topic<?>> TOPICS = List.of(Topics.CONTEXT_CREATED, Topics.JOB_CREATED,
            Topics.REPLICATION_REJECTED, Topics.DISCOVERY_FAILED, Topics.VM_CONTEXTS);

    private final KafkaConsumer<String, Object> consumer;
    private final Thread thread;
    private volatile RunLedger ledger;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    OutcomeCollector(PlatformClients clients) {
        this.consumer = clients.consumer("bench-outcome-collector");
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
        this.thread = new Thread(this::loop, "bench-outcome-collector");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Routes events to this ledger from now on (until the next call). */
    void track(RunLedger next) {
        ledger = next;
    }

    /** Throws what stopped the collector, if anything did. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("the outcome collector stopped: " + failure, failure);
        }
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
                    RunLedger current = ledger;
                    if (current != null && record.value() instanceof SpecificRecord event) {
                        current.onEvent(event, System.nanoTime());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close();
    }
}
