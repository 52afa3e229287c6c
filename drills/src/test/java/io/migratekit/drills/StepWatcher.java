package io.migratekit.drills;

import io.migratekit.events.FailoverStepChanged;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows the committed {@code FailoverStepChanged} events as they are written, on one thread, so a
 * drill can kill failover-service the moment a failover enters a step. Owns its consumer and thread.
 */
final class StepWatcher implements AutoCloseable {

    private final KafkaConsumer<String, Object> consumer;
    private final Thread thread;
    private final List<FailoverStepChanged> seen = new ArrayList<>();
    private volatile boolean running = true;

    StepWatcher(DrillStack stack) {
        Map<String, Object> config = new HashMap<>(
                RegistrySettings.ofBaseUrl(stack.registryUrl()).consumerSerdeConfig());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.FAILOVER_STEP_CHANGED.name(),
                Duration.ofSeconds(30)).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::loop, "drill-step-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(50))) {
                    if (record.value() instanceof FailoverStepChanged step) {
                        synchronized (seen) {
                            seen.add(step);
                            seen.notifyAll();
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    /** Waits until the failover's step reaches the status ("source_power_off:started"); false when the limit passed. */
    boolean await(String failoverId, String stepAndStatus, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (seen) {
            while (seen.stream().noneMatch(e -> e.getFailoverId().equals(failoverId)
                    && stepAndStatus.equals(e.getStep() + ":" + e.getStatus()))) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                seen.wait(left);
            }
            return true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
        consumer.close();
    }
}
