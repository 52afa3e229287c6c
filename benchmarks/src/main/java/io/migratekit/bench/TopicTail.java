package io.migratekit.bench;

import io.migratekit.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads some of the pipeline's topics from where they end when it starts (no consumer group,
 * {@code read_committed} like the services, so only committed events) on one thread, and hands every
 * event with its key to a handler. Owns its consumer and thread; the handler owns what it keeps.
 */
final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, Object> consumer;
    private final Thread thread;
    private final BiConsumer<String, SpecificRecord> handler;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    TopicTail(PlatformClients clients, String clientId, List<Topic<?>> topics,
            BiConsumer<String, SpecificRecord> handler) {
        this.handler = handler;
        this.consumer = clients.consumer(clientId);
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic<?> topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolves the end positions now, so that nothing written after the constructor returns is missed.
        for (TopicPartition partition : partitions) {
            consumer.position(partition, Duration.ofSeconds(30));
        }
        this.thread = new Thread(this::loop, clientId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Throws what stopped the reader, if anything did. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("the topic reader " + thread.getName() + " stopped: " + failure, failure);
        }
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() instanceof SpecificRecord event) {
                        handler.accept(record.key(), event);
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
