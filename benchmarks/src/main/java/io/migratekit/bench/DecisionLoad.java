package io.migratekit.bench;

import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.VmaSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Figures 3 and 6: decisions per second. Publishes a mix of requests straight to the pipeline (no
 * HTTP) as fast as the producer takes them and counts the decision's outcomes by request id until
 * every request has its one answer. The mix, per VM of the run (all new to the pipeline): a first
 * request — for a share of the VMs (spread evenly) starting a job, for the rest adding the VM to
 * management; for every third VM that same request again (same request id, as a producer's retry sends it: the decision
 * must drop it); for every second VM a second request right behind the first — starting a job again
 * (409: the first job is active) or adding the VM again (409: already managed).
 *
 * <p>{@link Entry#REQUESTS} publishes {@code ReplicationRequested}, so every request also takes the
 * fresh VMA discovery of discovery-service; {@link Entry#DISCOVERIES} publishes the
 * {@code VmDiscovered} discovery-service would, to measure the decision alone. Owns the run's VMs in
 * the simulator (added before, removed after).
 */
final class DecisionLoad {

    /** Where the run enters the pipeline. */
    enum Entry {
        REQUESTS, DISCOVERIES
    }

    private final VmaSimulator simulator;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final OutcomeCollector collector;

    DecisionLoad(VmaSimulator simulator, KafkaProducer<String, SpecificRecord> producer, OutcomeCollector collector) {
        this.simulator = simulator;
        this.producer = producer;
        this.collector = collector;
    }

    /** The run's plan: the ledger with every expected answer, the records to publish, and the VMs. */
    record Plan(RunLedger ledger, List<ProducerRecord<String, SpecificRecord>> records, List<SimVm> vms) {
    }

    Plan plan(String tag, int vmCount, double jobShare, Entry entry) {
        List<SimVm> vms = BenchVms.create(tag, vmCount);
        Set<String> ids = new HashSet<>();
        vms.forEach(vm -> ids.add(vm.id()));
        RunLedger ledger = new RunLedger(ids);
        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
        for (int i = 0; i < vms.size(); i++) {
            SimVm vm = vms.get(i);
            boolean job = startsJob(i, jobShare);
            String first = UUID.randomUUID().toString();
            ledger.expect(first, job ? RunLedger.Expect.JOB : RunLedger.Expect.CONTEXT_ONLY);
            records.add(record(entry, vm, first, job));
            if (i % 3 == 0) {
                records.add(record(entry, vm, first, job));
            }
            if (i % 2 == 1) {
                String second = UUID.randomUUID().toString();
                ledger.expect(second, job ? RunLedger.Expect.ACTIVE_JOB : RunLedger.Expect.ALREADY_MANAGED);
                records.add(record(entry, vm, second, job));
            }
        }
        return new Plan(ledger, records, vms);
    }

    /** Whether the i-th VM's first request starts a job: that share of the VMs, spread evenly. */
    static boolean startsJob(int i, double jobShare) {
        return Math.floor((i + 1) * jobShare) > Math.floor(i * jobShare);
    }

    private static ProducerRecord<String, SpecificRecord> record(Entry entry, SimVm vm, String requestId, boolean job) {
        return entry == Entry.REQUESTS
                ? new ProducerRecord<>(Topics.REPLICATION_REQUESTED.name(), vm.id(), BenchVms.requested(vm, requestId, job))
                : new ProducerRecord<>(Topics.VM_DISCOVERED.name(), vm.id(), BenchVms.discovered(vm, requestId, job));
    }

    /**
     * Publishes the plan and waits for every answer (at most {@code timeout}); the VMs are in the
     * simulator from before the first record. Returns when the last answer came.
     */
    Result publish(Plan plan, Duration timeout) throws InterruptedException {
        plan.vms().forEach(simulator.inventory()::add);
        collector.track(plan.ledger());
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        for (ProducerRecord<String, SpecificRecord> record : plan.records()) {
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, failure);
                }
            });
        }
        producer.flush();
        long published = System.nanoTime();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records were not published: " + firstFailure.get());
        }
        boolean complete = plan.ledger().awaitAnswers(timeout);
        collector.check();
        long last = complete ? plan.ledger().lastAnswerNanos() : System.nanoTime();
        double seconds = (last - start) / 1e9;
        return new Result(plan.records().size(), plan.ledger().expectedCount(), (published - start) / 1e9, seconds,
                plan.ledger().answered() / seconds, complete);
    }

    /** Removes the run's VMs from the simulator (once the pipeline is idle). */
    void forget(Plan plan) {
        plan.vms().forEach(vm -> simulator.inventory().remove(vm.id()));
    }

    /**
     * @param published        records published (requests, with the repeated ones)
     * @param distinct         distinct requests (each must get exactly one outcome)
     * @param publishSeconds   how long publishing took
     * @param seconds          from the first record published to the last answer
     * @param decisionsPerSecond distinct requests answered per second
     * @param complete         whether every request was answered within the timeout
     */
    record Result(int published, int distinct, double publishSeconds, double seconds, double decisionsPerSecond,
            boolean complete) {
    }
}
