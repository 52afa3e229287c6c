package io.migratekit.bench;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.migratekit.events.GroupMembershipChanged;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobStarted;
import io.migratekit.events.MachineGroupDefined;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.ScheduleDefined;
import io.migratekit.events.ScheduleExecutionCompleted;
import io.migratekit.events.ScheduleTriggerRequested;
import io.migratekit.infra.KafkaBroker;
import io.migratekit.infra.PostgresServer;
import io.migratekit.infra.RegistryServer;
import io.migratekit.scheduler.SchedulerServiceApplication;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The scheduler's scale figure (issue 14): one execution of a group of {@code --vms} (1,000) VMs with
 * {@code max_concurrent_vms} {@code --cap} (50), run to its end by the real scheduler-service (its own
 * Spring context) on a real KRaft broker, Apicurio registry and PostgreSQL. A stand-in for job-service
 * answers each {@code ReplicationRequested} with {@code JobStarted} and, after a seeded random duration
 * ({@code --min-job-ms}..{@code --max-job-ms}, 50..500), {@code JobCompleted}, written with the same
 * event classes and {@link Topics} as the real service; it replaces the decision, the workflow and the
 * VMA, so the time and CPU measured are the scheduler's own. Prints the total time, the most jobs
 * running at once (a run above the cap fails, exit 2), the scheduler's CPU and the delay from a job's
 * {@code JobCompleted} to the next VM's {@code ReplicationRequested}. Owns the stand-in and the
 * measurement; owns none of the scheduler's rules.
 */
public final class SchedulerScale {

    private static final String DRIVER = "bench-scheduler-standin";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        System.exit(run(options, new Report(System.out)));
    }

    /** Runs the figure with these options; 0 when the runs were correct, 2 when not. */
    static int run(Map<String, String> options, Report report) throws Exception {
        int vms = Integer.parseInt(options.getOrDefault("vms", "1000"));
        int cap = Integer.parseInt(options.getOrDefault("cap", "50"));
        int minJob = Integer.parseInt(options.getOrDefault("min-job-ms", "50"));
        int maxJob = Integer.parseInt(options.getOrDefault("max-job-ms", "500"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        report.heading("Scheduler at scale: one execution of " + vms + " VMs, max_concurrent_vms " + cap);
        report.line("Machine: " + Machine.current().describe());
        Path dataDir = java.nio.file.Files.createTempDirectory("migratekit-scheduler-bench-");
        try (PostgresServer postgres = PostgresServer.builder().dataDir(dataDir.resolve("postgres")).port(0).start();
                KafkaBroker broker = KafkaBroker.start(dataDir.resolve("kafka"), "127.0.0.1", 0, 0);
                RegistryServer registry = RegistryServer.builder().port(0)
                        .logFile(dataDir.resolve("registry.log")).pidFile(dataDir.resolve("registry.pid")).start()) {
            String jdbcUrl = postgres.createDatabase("migratekit");
            return run(report, new Setup(broker.bootstrapServers(), registry.baseUrl(), jdbcUrl, postgres.username(),
                    postgres.password(), dataDir), vms, cap, minJob, maxJob, seed);
        } finally {
            org.springframework.util.FileSystemUtils.deleteRecursively(dataDir);
        }
    }

    private record Setup(String bootstrap, String registryUrl, String jdbcUrl, String dbUser, String dbPassword,
            Path dataDir) {
    }

    /** One request the stand-in answered: when the scheduler published it and when its job's end was published. */
    private record Job(ReplicationRequested request, Instant requestedAt) {
    }

    private static int run(Report report, Setup setup, int vms, int cap, int minJob, int maxJob, long seed)
            throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", 0);
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.kafka.bootstrap-servers", setup.bootstrap());
        properties.put("migratekit.registry.url", setup.registryUrl());
        properties.put("spring.datasource.url", setup.jdbcUrl());
        properties.put("spring.datasource.username", setup.dbUser());
        properties.put("spring.datasource.password", setup.dbPassword());
        RegistrySettings registry = RegistrySettings.ofBaseUrl(setup.registryUrl());
        try (ConfigurableApplicationContext scheduler = new SpringApplicationBuilder(SchedulerServiceApplication.class)
                .registerShutdownHook(false).run(properties.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
                StandIn standIn = new StandIn(setup.bootstrap(), registry, new Random(seed), minJob, maxJob);
                Connection db = DriverManager.getConnection(setup.jdbcUrl(), setup.dbUser(), setup.dbPassword())) {
            // given: a schedule (its own cap above the group's), a group, its members and their contexts
            String schedule = UUID.randomUUID().toString();
            String group = UUID.randomUUID().toString();
            standIn.publish(Topics.SCHEDULES, schedule, ScheduleDefined.newBuilder().setEventId(id()).setOccurredAt(now())
                    .setCorrelationId(id()).setScheduleId(schedule).setName("scale-" + schedule)
                    .setCronExpression("0 0 1 1 *").setTimezone("UTC").setMaxConcurrentJobs(vms).setRetryAttempts(0)
                    .setRetryDelayMinutes(1).setEnabled(true).setSkipIfRunning(true).setChangedBy("benchmark").build());
            standIn.publish(Topics.MACHINE_GROUPS, group, MachineGroupDefined.newBuilder().setEventId(id())
                    .setOccurredAt(now()).setCorrelationId(id()).setGroupId(group).setName("scale-" + group)
                    .setScheduleId(schedule).setMaxConcurrentVms(cap).setPriority(0).setChangedBy("benchmark").build());
            insertContexts(db, vms);
            for (int i = 0; i < vms; i++) {
                String vm = vmId(i);
                standIn.send(Topics.GROUP_MEMBERSHIPS, vm, GroupMembershipChanged.newBuilder().setEventId(id())
                        .setOccurredAt(now()).setCorrelationId(id()).setVmwareVmId(vm).setContextId("ctx-" + vm)
                        .setGroupId(group).setEnabled(true).setPriority(i).setChangedBy("benchmark").build());
            }
            standIn.producer.flush();
            awaitCount(db, "select count(*) from group_memberships where group_id = '" + group + "'", vms);
            awaitCount(db, "select count(*) from schedules where schedule_id = '" + schedule + "'", 1);

            // when: one execution to warm the JIT (reported, not the figure), then the measured one
            measure(report, "Warm-up execution (cold JVM)", standIn, setup, schedule, vms, cap);
            measure(report, "Measured execution", standIn, setup, schedule, vms, cap);
            return report.correct() ? 0 : 2;
        }
    }

    /** One trigger of the schedule, measured from its publish to the execution's completed event. */
    private static void measure(Report report, String title, StandIn standIn, Setup setup, String schedule, int vms,
            int cap) throws InterruptedException {
        standIn.reset();
        CpuProfile cpu = new CpuProfile(setup.dataDir(), 0);
        CpuProfile.Snapshot before = cpu.snapshot();
        long start = System.nanoTime();
        standIn.publish(Topics.SCHEDULE_TRIGGER_REQUESTED, schedule, ScheduleTriggerRequested.newBuilder()
                .setEventId(id()).setOccurredAt(now()).setCorrelationId(id()).setScheduleId(schedule)
                .setReason("scale benchmark").setRequestedBy("benchmark").build());
        ScheduleExecutionCompleted completed = standIn.awaitCompleted(Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuProfile.Snapshot after = cpu.snapshot();

        report.line(String.format(java.util.Locale.ROOT, "- %s: execution %s: %d eligible, %d jobs created, %d completed,"
                + " %d failed, %d skipped", title, completed.getStatus(), completed.getVmsEligible(),
                completed.getJobsCreated(), completed.getJobsCompleted(), completed.getJobsFailed(),
                completed.getJobsSkipped()));
        report.line("- Total time (trigger published → `ScheduleExecutionCompleted` read): " + Stats.seconds(seconds)
                + " s; the jobs' own durations sum to " + Stats.seconds(standIn.jobMillis.get() / 1000.0)
                + " s, so " + cap + " at once cannot take less than " + Stats.seconds(standIn.jobMillis.get() / 1000.0 / cap) + " s");
        report.line("- Most jobs running at once (a job counts from its `ReplicationRequested` read to its "
                + "`JobCompleted` acknowledged): " + standIn.maxRunning.get() + " (cap " + cap + ")");
        report.line("- Scheduler CPU (its Spring context's threads: listeners, timers, Kafka clients, JDBC pool): "
                + schedulerCpu(cpu, before, after) + "; the whole machine: " + cpu.between(before, after).describe());
        List<Double> delays = standIn.delays(cap);
        report.line("- `JobCompleted` (`occurred_at`) → the next VM's `ReplicationRequested` (`occurred_at`), the"
                + " k-th request after the first " + cap + " paired with the k-th completion, " + delays.size()
                + " pairs: p50 " + Stats.ms(Stats.percentile(delays, 0.50)) + " ms, p99 "
                + Stats.ms(Stats.percentile(delays, 0.99)) + " ms, max " + Stats.ms(Stats.percentile(delays, 1.0)) + " ms");
        if (standIn.maxRunning.get() > cap) {
            report.failure("more jobs ran at once than the group's cap: " + standIn.maxRunning.get() + " > " + cap);
        }
        if (!"completed".equals(completed.getStatus()) || completed.getJobsCompleted() != vms
                || standIn.requests.size() != vms) {
            report.failure("the execution did not replicate every VM once: " + completed + ", "
                    + standIn.requests.size() + " requests");
        }
    }

    /** CPU seconds of the threads that are neither the broker's nor the stand-in's (those are the scheduler's). */
    private static String schedulerCpu(CpuProfile cpu, CpuProfile.Snapshot before, CpuProfile.Snapshot after) {
        long nanos = 0;
        for (Map.Entry<Long, Long> entry : after.threadCpu().entrySet()) {
            String name = after.threadNames().get(entry.getKey());
            String part = cpu.componentOf(name);
            if (!part.equals("Kafka broker") && !name.startsWith("bench-") && !name.contains(DRIVER)) {
                nanos += entry.getValue() - before.threadCpu().getOrDefault(entry.getKey(), 0L);
            }
        }
        double wall = (after.wallNanos() - before.wallNanos()) / 1e9;
        return String.format(java.util.Locale.ROOT, "%.2f s CPU over %.1f s (%.2f cores)", nanos / 1e9, wall,
                nanos / 1e9 / wall);
    }

    /** The VMs' context rows, as job-service's projector writes them (the scheduler reads their names and paths). */
    private static void insertContexts(Connection db, int vms) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("insert into vm_replication_contexts (context_id,"
                + " vmware_vm_id, vm_name, vm_path, vcenter_host, datacenter, current_status, created_at, updated_at)"
                + " values (?, ?, ?, ?, 'vcenter.example.test', 'DC1', 'ready_for_failover', ?, ?)")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (int i = 0; i < vms; i++) {
                String vm = vmId(i);
                insert.setString(1, "ctx-" + vm);
                insert.setString(2, vm);
                insert.setString(3, "scale-" + i);
                insert.setString(4, "/DC1/vm/scale-" + i);
                insert.setTimestamp(5, now);
                insert.setTimestamp(6, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void awaitCount(Connection db, String sql, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try (PreparedStatement query = db.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
                rows.next();
                if (rows.getInt(1) >= expected) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not materialized within 2 minutes: " + sql);
            }
            Thread.sleep(100);
        }
    }

    private static String vmId(int i) {
        return String.format("vm-scale-%05d", i);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * job-service played as the scheduler sees it: {@code JobStarted} for each request, {@code JobCompleted} after a
     * seeded random duration; counts the jobs running at once and keeps the times the delays are computed from.
     */
    private static final class StandIn implements AutoCloseable {

        final KafkaProducer<String, SpecificRecord> producer;
        final List<Job> requests = new CopyOnWriteArrayList<>();
        final List<Instant> completions = new CopyOnWriteArrayList<>();
        final AtomicInteger maxRunning = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong jobMillis = new java.util.concurrent.atomic.AtomicLong();
        private final AtomicInteger running = new AtomicInteger();
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final AtomicReference<ScheduleExecutionCompleted> completed = new AtomicReference<>();
        private final ScheduledExecutorService ends = Executors.newScheduledThreadPool(2,
                r -> new Thread(r, "bench-scheduler-job-ends"));
        private final Thread reader;
        private final Random random;
        private final int minJob;
        private final int maxJob;
        private volatile boolean reading = true;

        @SuppressWarnings({"unchecked", "rawtypes"})
        StandIn(String bootstrap, RegistrySettings registry, Random random, int minJob, int maxJob) {
            this.random = random;
            this.minJob = minJob;
            this.maxJob = maxJob;
            Map<String, Object> producerConfig = new HashMap<>(registry.producerSerdeConfig());
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, DRIVER);
            producer = new KafkaProducer<>(producerConfig);
            AvroKafkaDeserializer deserializer = new AvroKafkaDeserializer();
            deserializer.configure(registry.serdeConfig(), false);
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, DRIVER);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, DRIVER);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                    (Deserializer) deserializer);
            consumer.subscribe(List.of(Topics.REPLICATION_REQUESTED.name(), Topics.SCHEDULE_EXECUTION_COMPLETED.name()));
            reader = new Thread(() -> read(consumer), "bench-scheduler-standin-reader");
            reader.start();
        }

        private void read(KafkaConsumer<String, SpecificRecord> consumer) {
            try (consumer) {
                while (reading) {
                    for (ConsumerRecord<String, SpecificRecord> record : consumer.poll(Duration.ofMillis(100))) {
                        if (record.value() instanceof ReplicationRequested request) {
                            answer(request);
                        } else if (record.value() instanceof ScheduleExecutionCompleted done) {
                            completed.set(done);
                        }
                    }
                }
            }
        }

        /** A request id answered once (a republished request is dropped, as the decision drops it). */
        private void answer(ReplicationRequested request) {
            if (!seen.add(request.getCorrelationId())) {
                return;
            }
            requests.add(new Job(request, request.getOccurredAt()));
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            String vm = request.getVmwareVmId();
            var scheduled = request.getRequest();
            String job = "job-" + request.getCorrelationId().substring(0, 8);
            send(Topics.JOB_STARTED, vm, JobStarted.newBuilder().setEventId(id()).setOccurredAt(now())
                    .setCorrelationId(request.getCorrelationId()).setVmwareVmId(vm).setJobId(job)
                    .setContextId("ctx-" + vm).setReplicationType(ReplicationType.initial).setVolumes(List.of())
                    .setVmPath("/DC1/vm/" + vm).setScheduledBy(scheduled.getScheduledBy())
                    .setScheduleExecutionId(scheduled.getScheduleExecutionId()).setVmGroupId(scheduled.getVmGroupId())
                    .build());
            int duration = minJob + random.nextInt(maxJob - minJob + 1);
            jobMillis.addAndGet(duration);
            ends.schedule(() -> {
                Instant at = now();
                publish(Topics.JOB_COMPLETED, vm, JobCompleted.newBuilder().setEventId(id()).setOccurredAt(at)
                        .setCorrelationId(request.getCorrelationId()).setVmwareVmId(vm).setJobId(job)
                        .setContextId("ctx-" + vm).setReplicationType(ReplicationType.initial).setChangeIds(List.of())
                        .setBytesTransferred(1).setDurationMs(duration).setScheduledBy(scheduled.getScheduledBy())
                        .setScheduleExecutionId(scheduled.getScheduleExecutionId())
                        .setVmGroupId(scheduled.getVmGroupId()).build());
                completions.add(at);
                running.decrementAndGet();
            }, duration, TimeUnit.MILLISECONDS);
        }

        <V extends SpecificRecord> void send(Topic<V> topic, String key, V event) {
            producer.send(new ProducerRecord<>(topic.name(), key, event));
        }

        <V extends SpecificRecord> void publish(Topic<V> topic, String key, V event) {
            try {
                producer.send(new ProducerRecord<>(topic.name(), key, event)).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not publish " + event.getSchema().getName(), e);
            }
        }

        /** Forgets the previous execution's jobs and figures (request ids stay seen). */
        void reset() {
            requests.clear();
            completions.clear();
            maxRunning.set(0);
            jobMillis.set(0);
            completed.set(null);
        }

        ScheduleExecutionCompleted awaitCompleted(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (completed.get() == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the execution did not end within " + limit + "; "
                            + requests.size() + " requests answered");
                }
                Thread.sleep(20);
            }
            return completed.get();
        }

        /** Milliseconds from the k-th completion to the (cap + k)-th request, both in time order: a freed slot refilled. */
        List<Double> delays(int cap) {
            List<Instant> requested = requests.stream().map(Job::requestedAt).sorted().toList();
            List<Instant> ended = completions.stream().sorted().toList();
            List<Double> delays = new ArrayList<>();
            for (int k = 0; cap + k < requested.size() && k < ended.size(); k++) {
                delays.add((double) Duration.between(ended.get(k), requested.get(cap + k)).toMillis());
            }
            return delays;
        }

        @Override
        public void close() throws InterruptedException {
            reading = false;
            reader.join(5000);
            ends.shutdownNow();
            producer.close();
        }
    }
}
