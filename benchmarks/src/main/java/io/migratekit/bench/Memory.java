package io.migratekit.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stack's memory at one moment: the resident set of this JVM (Kafka broker, services, simulator
 * and the benchmark's own clients) with the part of it the heap has committed, and the proportional set size of the stack's other processes by
 * kind (schema registry, PostgreSQL). {@link Sampler} keeps the peaks while a load runs.
 */
record Memory(long jvmRss, long heapCommitted, long childrenPss, Map<String, Long> childrenByName) {

    static Memory now(Path dataDir) {
        return of(Processes.stackChildren(dataDir));
    }

    private static Memory of(List<Processes.Child> children) {
        Map<String, Long> byName = new TreeMap<>();
        long total = 0;
        for (Processes.Child child : children) {
            long pss = Processes.pss(child.pid());
            if (pss > 0) {
                byName.merge(child.name(), pss, Long::sum);
                total += pss;
            }
        }
        return new Memory(Processes.rss(Processes.selfPid()), Runtime.getRuntime().totalMemory(), total, byName);
    }

    long total() {
        return jvmRss + childrenPss;
    }

    String describe() {
        StringBuilder out = new StringBuilder("JVM RSS ").append(Stats.mib(jvmRss)).append(" (heap committed ")
                .append(Stats.mib(heapCommitted)).append(')');
        childrenByName.forEach((name, pss) -> out.append(", ").append(name).append(" PSS ").append(Stats.mib(pss)));
        return out.append(", together ").append(Stats.mib(total())).toString();
    }

    /** Samples every 250 ms on its own thread until closed; keeps the highest JVM RSS, heap and total. */
    static final class Sampler implements AutoCloseable {

        private final Path dataDir;
        private final Thread thread;
        private final AtomicLong peakJvm = new AtomicLong();
        private final AtomicLong peakHeap = new AtomicLong();
        private final AtomicLong peakTotal = new AtomicLong();
        private volatile boolean running = true;

        Sampler(Path dataDir) {
            this.dataDir = dataDir;
            this.thread = new Thread(this::loop, "bench-memory-sampler");
            this.thread.setDaemon(true);
            this.thread.start();
        }

        private void loop() {
            List<Processes.Child> children = Processes.stackChildren(dataDir);
            long refreshed = System.nanoTime();
            while (running) {
                if (System.nanoTime() - refreshed > 5_000_000_000L) {
                    children = Processes.stackChildren(dataDir);
                    refreshed = System.nanoTime();
                }
                Memory memory = of(children);
                peakJvm.accumulateAndGet(memory.jvmRss(), Math::max);
                peakHeap.accumulateAndGet(memory.heapCommitted(), Math::max);
                peakTotal.accumulateAndGet(memory.total(), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long peakJvmRss() {
            return peakJvm.get();
        }

        long peakHeapCommitted() {
            return peakHeap.get();
        }

        long peakTotal() {
            return peakTotal.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
