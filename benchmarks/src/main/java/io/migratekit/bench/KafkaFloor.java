package io.migratekit.bench;

import io.migratekit.events.ReplicationRequested;
import io.migratekit.vmasim.SimVm;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * Figure 1, the floor: what Kafka alone costs on the stack's broker with the services' own client
 * settings and Avro values through the same registry — the latency of one produce → consume hop at a
 * steady rate (measured from each record's due time, so a stalled producer cannot hide its queue),
 * and the records per second one producer gets through to one consumer in a burst. The records are
 * {@code ReplicationRequested} events, the pipeline's own first event. Owns its topic
 * ({@value #TOPIC}, laid out like the pipeline's) and its clients; touches nothing of the pipeline.
 */
final class KafkaFloor {

    static final String TOPIC = "migratekit.bench.floor";
    private static final String DUE_AT = "bench-due-nanos";
    static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

    private final PlatformClients clients;
    private final int partitions;
    private final List<SimVm> vms = BenchVms.create("floor", 1000);

    KafkaFloor(PlatformClients clients, int partitions) {
        this.clients = clients;
        this.partitions = partitions;
    }

    /** One latency run at {@code rate} records/s for {@code measured}, then a burst of {@code burst} records. */
    FloorRun run(int rate, Duration measured, int burst) throws InterruptedException {
        ensureTopic();
        try (KafkaProducer<String, SpecificRecord> producer = clients.producer("bench-floor-producer");
                Receiver receiver = new Receiver(clients.consumer("bench-floor-consumer"))) {
            receiver.start();
            long warmUp = rate * WARM_UP.toSeconds();
            paced(producer, rate, warmUp);
            receiver.awaitCount(warmUp, DRAIN_TIMEOUT);

            Histogram latency = Latency.histogram();
            receiver.reset(latency);
            long measuredCount = rate * measured.toSeconds();
            paced(producer, rate, measuredCount);
            receiver.awaitCount(measuredCount, DRAIN_TIMEOUT);

            receiver.reset(null);
            long begin = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                producer.send(record(i, begin));
            }
            receiver.awaitCount(burst, DRAIN_TIMEOUT);
            double seconds = (receiver.lastNanos() - begin) / 1e9;
            return new FloorRun(Latency.of(latency), burst / seconds);
        }
    }

    private void paced(KafkaProducer<String, SpecificRecord> producer, int rate, long count) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            producer.send(record(i, due));
        }
        producer.flush();
    }

    private ProducerRecord<String, SpecificRecord> record(long i, long dueNanos) {
        SimVm vm = vms.get((int) (i % vms.size()));
        ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>(TOPIC, vm.id(),
                BenchVms.requested(vm, UUID.randomUUID().toString(), true));
        record.headers().add(DUE_AT, ByteBuffer.allocate(Long.BYTES).putLong(dueNanos).array());
        return record;
    }

    private void ensureTopic() {
        try (Admin admin = clients.admin("bench-floor-admin")) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1)
                    .configs(Map.of("min.insync.replicas", "1")))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + TOPIC + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + TOPIC, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not create " + TOPIC + " in time", e);
        }
    }

    /** The floor of one run: hop latency at a steady rate, and burst throughput. */
    record FloorRun(Latency latency, double recordsPerSecond) {
    }

    /** One consumer thread reading the floor topic from its end, timing each record against its due time. */
    private static final class Receiver implements AutoCloseable {

        private final KafkaConsumer<String, Object> consumer;
        private final Thread thread;
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong lastNanos = new AtomicLong();
        private volatile Histogram latency;
        private volatile boolean running = true;
        private volatile RuntimeException failure;

        Receiver(KafkaConsumer<String, Object> consumer) {
            this.consumer = consumer;
            this.thread = new Thread(this::loop, "bench-floor-receiver");
            this.thread.setDaemon(true);
        }

        void start() {
            List<TopicPartition> assigned = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(TOPIC, Duration.ofSeconds(30))) {
                assigned.add(new TopicPartition(TOPIC, info.partition()));
            }
            consumer.assign(assigned);
            consumer.seekToEnd(assigned);
            for (TopicPartition partition : assigned) {
                consumer.position(partition, Duration.ofSeconds(30));
            }
            thread.start();
        }

        /** Counts from zero again; records into {@code histogram} from now on (none when null). */
        void reset(Histogram histogram) {
            latency = histogram;
            received.set(0);
        }

        long lastNanos() {
            return lastNanos.get();
        }

        void awaitCount(long count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.get() < count) {
                if (failure != null) {
                    throw failure;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the floor consumer received " + received.get() + " of " + count
                            + " records within " + timeout);
                }
                Thread.sleep(5);
            }
        }

        private void loop() {
            try {
                while (running) {
                    for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        if (!(record.value() instanceof ReplicationRequested)) {
                            throw new IllegalStateException("the floor topic holds a " + record.value());
                        }
                        Header due = record.headers().lastHeader(DUE_AT);
                        Histogram histogram = latency;
                        if (histogram != null && due != null) {
                            Latency.record(histogram, now - ByteBuffer.wrap(due.value()).getLong());
                        }
                        lastNanos.set(now);
                        received.incrementAndGet();
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
}
