package io.migratekit.bench;

import io.migratekit.schemas.Topics;
import io.migratekit.standalone.Stack;
import io.migratekit.vmasim.SimVm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.utils.Utils;

/**
 * Figure 6: the decision's state at scale. Materializes VM contexts by publishing the
 * {@code VmDiscovered} of {@code start_replication=false} requests for many VMs straight to the
 * decision (discovery-service is not what is measured here), and times job-service's restart to the
 * moment its decision answers from restored state: probes — one request per partition for a VM it
 * manages — must each be refused as "already managed", which only a decision that has its contexts
 * back can say. A restart that keeps the local state directory is the baseline; one that deletes it
 * restores every store from its changelog. Owns the materialized VMs (they are not in the simulator:
 * nothing discovers them).
 */
final class StateScale {

    private static final String JOB_SERVICE = "job-service";
    private static final String DECISION_APPLICATION = "migratekit-job-service";

    private final Stack stack;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final OutcomeCollector collector;
    private final Admin admin;
    private final int partitions;
    private final List<SimVm> managed = new ArrayList<>();

    StateScale(Stack stack, KafkaProducer<String, SpecificRecord> producer, OutcomeCollector collector, Admin admin,
            int partitions) {
        this.stack = stack;
        this.producer = producer;
        this.collector = collector;
        this.admin = admin;
        this.partitions = partitions;
    }

    /** Adds {@code count} VMs to management; waits for every context (at most {@code timeout}). */
    Materialized materialize(String tag, int count, Duration timeout) throws InterruptedException {
        List<SimVm> vms = BenchVms.create(tag, count);
        Set<String> ids = new HashSet<>();
        vms.forEach(vm -> ids.add(vm.id()));
        RunLedger ledger = new RunLedger(ids);
        List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>(count);
        for (SimVm vm : vms) {
            String requestId = UUID.randomUUID().toString();
            ledger.expect(requestId, RunLedger.Expect.CONTEXT_ONLY);
            records.add(new ProducerRecord<>(Topics.VM_DISCOVERED.name(), vm.id(), BenchVms.discovered(vm, requestId, false)));
        }
        collector.track(ledger);
        long start = System.nanoTime();
        records.forEach(producer::send);
        producer.flush();
        boolean complete = ledger.awaitAnswers(timeout);
        collector.check();
        double seconds = ((complete ? ledger.lastAnswerNanos() : System.nanoTime()) - start) / 1e9;
        managed.addAll(vms);
        return new Materialized(count, seconds, ledger.answered() / seconds, ledger.verdict());
    }

    /**
     * Restarts job-service (deleting its local state when {@code wipe}) and waits until one probe per
     * partition is answered from the restored contexts (at most {@code timeout}).
     */
    Restore restart(boolean wipe, Duration timeout) throws InterruptedException {
        List<SimVm> probes = probesPerPartition();
        Set<String> ids = new HashSet<>();
        probes.forEach(vm -> ids.add(vm.id()));
        RunLedger ledger = new RunLedger(ids);
        long changelogRecords = changelogRecords();
        long start = System.nanoTime();
        stack.restartService(JOB_SERVICE, wipe);
        long restarted = System.nanoTime();
        collector.track(ledger);
        for (SimVm vm : probes) {
            String requestId = UUID.randomUUID().toString();
            ledger.expect(requestId, RunLedger.Expect.ALREADY_MANAGED);
            producer.send(new ProducerRecord<>(Topics.VM_DISCOVERED.name(), vm.id(),
                    BenchVms.discovered(vm, requestId, false)));
        }
        producer.flush();
        boolean complete = ledger.awaitAnswers(timeout);
        collector.check();
        long answered = complete ? ledger.lastAnswerNanos() : System.nanoTime();
        return new Restore(wipe, changelogRecords, (restarted - start) / 1e9, (answered - start) / 1e9,
                ledger.verdict());
    }

    /** One managed VM whose records land on each partition (the default partitioner: murmur2 of the key). */
    private List<SimVm> probesPerPartition() {
        Map<Integer, SimVm> byPartition = new HashMap<>();
        for (SimVm vm : managed) {
            int partition = Utils.toPositive(Utils.murmur2(vm.id().getBytes(StandardCharsets.UTF_8))) % partitions;
            byPartition.putIfAbsent(partition, vm);
            if (byPartition.size() == partitions) {
                break;
            }
        }
        if (byPartition.isEmpty()) {
            throw new IllegalStateException("no VM is managed yet: materialize contexts first");
        }
        return new ArrayList<>(byPartition.values());
    }

    /** Records in the decision's changelog topics, which a restore from scratch reads. */
    private long changelogRecords() throws InterruptedException {
        try {
            Set<String> changelogs = new HashSet<>();
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (topic.startsWith(DECISION_APPLICATION + "-") && topic.endsWith("-changelog")) {
                    changelogs.add(topic);
                }
            }
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription topic : admin.describeTopics(changelogs).allTopicNames().get(30, TimeUnit.SECONDS)
                    .values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
                    earliest.put(tp, OffsetSpec.earliest());
                    latest.put(tp, OffsetSpec.latest());
                }
            }
            long records = 0;
            var starts = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
            for (var end : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                records += end.getValue().offset() - starts.get(end.getKey()).offset();
            }
            return records;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the changelog offsets: " + e, e);
        }
    }

    /** Contexts materialized: how many, in how long, and whether each got exactly its one ContextCreated. */
    record Materialized(int contexts, double seconds, double perSecond, RunLedger.Verdict verdict) {
    }

    /**
     * @param wiped            whether the local state directory was deleted
     * @param changelogRecords records in the decision's changelog topics (offsets, compaction not counted)
     * @param restartSeconds   the Spring context's stop and start
     * @param answeredSeconds  from the restart's beginning to the last probe answered from restored state
     * @param verdict          the probes' answers (each must be "already managed")
     */
    record Restore(boolean wiped, long changelogRecords, double restartSeconds, double answeredSeconds,
            RunLedger.Verdict verdict) {
    }
}
