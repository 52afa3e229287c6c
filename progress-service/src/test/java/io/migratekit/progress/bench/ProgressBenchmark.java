package io.migratekit.progress.bench;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.platform.streams.StreamsApp;
import io.migratekit.progress.ProgressMetrics;
import io.migratekit.progress.ProgressServiceApplication;
import io.migratekit.schemas.EventIds;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topics;
import io.migratekit.vma.VmaClient;
import io.migratekit.vma.VmaDtos;
import io.migratekit.vmasim.SimDisk;
import io.migratekit.vmasim.SimVm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark, not a test: progress-service following {@code N} (default 1,000) concurrently running
 * simulated jobs at its default 2 s poll interval. Kafka, the registry and the VMA simulator run in a
 * child process ({@link BenchmarkBackend}), so this process's CPU time is the service's own. After a
 * warm-up it measures for a while and prints the jobs followed, polls per second, poll lag p50/p99,
 * process CPU time over wall time, threads, and the machine.
 *
 * <p>Run from the repository root after {@code mvn -o -pl progress-service install}:
 * <pre>
 * mvn -q -o -pl progress-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
 * java -Xmx512m -cp progress-service/target/test-classes:progress-service/target/classes:$(cat progress-service/target/bench.classpath) \
 *     io.migratekit.progress.bench.ProgressBenchmark [jobs] [warm-up seconds] [measure seconds]
 * </pre>
 */
public final class ProgressBenchmark {

    private ProgressBenchmark() {
    }

    /** The benchmark's i-th VM; both processes build the same one (ids derive from the name). */
    static SimVm vm(int i) {
        return SimVm.builder(String.format(Locale.ROOT, BenchmarkBackend.VM_PREFIX + "%05d", i))
                .diskGb(BenchmarkBackend.DISK_GIB).diskGb(BenchmarkBackend.DISK_GIB).build();
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration warmUp = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        Duration measure = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 120);

        Process backend = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), BenchmarkBackend.class.getName(),
                Integer.toString(jobs))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Runtime.getRuntime().addShutdownHook(new Thread(backend::destroyForcibly));
        BufferedReader out = new BufferedReader(new InputStreamReader(backend.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the benchmark backend stopped before it was ready");
            }
        } while (!line.startsWith("READY "));
        String[] ready = line.split(" ");
        String bootstrap = ready[1];
        String registryUrl = ready[2];
        String vmaUrl = ready[3];
        String omaUrl = ready[4];

        Path stateDir = Files.createTempDirectory("progress-bench-");
        ConfigurableApplicationContext service = new SpringApplicationBuilder(ProgressServiceApplication.class).run(
                "--server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--migratekit.registry.url=" + registryUrl, "--migratekit.vma.url=" + vmaUrl,
                "--migratekit.streams.application-id=progress-bench", "--migratekit.streams.state-dir=" + stateDir,
                "--logging.level.io.migratekit.progress.streams.FollowProcessor=WARN");
        try {
            StreamsApp streams = service.getBean(StreamsApp.class);
            waitUntil(() -> streams.state() == KafkaStreams.State.RUNNING, Duration.ofSeconds(60), "streams running");
            startJobs(jobs, bootstrap, registryUrl, vmaUrl, omaUrl);
            ProgressMetrics metrics = service.getBean(ProgressMetrics.class);
            waitUntil(() -> metrics.jobsFollowed() == jobs, Duration.ofSeconds(120), jobs + " jobs followed");
            System.out.printf(Locale.ROOT, "following %d jobs; warming up for %d s%n", jobs, warmUp.toSeconds());
            Thread.sleep(warmUp.toMillis());

            MeterRegistry meters = service.getBean(MeterRegistry.class);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double load0 = os.getSystemLoadAverage();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            double polls0 = count(meters, "migratekit.progress.polls");
            double progress0 = count(meters, "migratekit.progress.events", "JobProgress");
            Thread.sleep(measure.toMillis());
            long cpu1 = os.getProcessCpuTime();
            long wall1 = System.nanoTime();
            double polls1 = count(meters, "migratekit.progress.polls");
            double progress1 = count(meters, "migratekit.progress.events", "JobProgress");
            HistogramSnapshot lag = metrics.pollLagTimer().takeSnapshot();
            int followed = metrics.jobsFollowed();
            double load1 = os.getSystemLoadAverage();

            double seconds = (wall1 - wall0) / 1e9;
            double cores = (cpu1 - cpu0) / (double) (wall1 - wall0);
            int processors = Runtime.getRuntime().availableProcessors();
            System.out.println();
            System.out.println("=== progress-service benchmark ===");
            System.out.printf(Locale.ROOT, "machine: %d cores, %.1f GiB memory, %s %s (%s), max heap %d MiB%n",
                    processors, os.getTotalMemorySize() / (1024.0 * 1024 * 1024), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
            System.out.printf(Locale.ROOT, "machine load average (1 min) at start/end of measurement: %.2f / %.2f "
                    + "(the backend process and anything else running count)%n", load0, load1);
            System.out.printf(Locale.ROOT, "jobs followed: %d (poll interval 2 s), measured over %.0f s after %d s warm-up%n",
                    followed, seconds, warmUp.toSeconds());
            System.out.printf(Locale.ROOT, "polls: %.1f/s (expected %.1f/s); JobProgress emitted: %.1f/s%n",
                    (polls1 - polls0) / seconds, jobs / 2.0, (progress1 - progress0) / seconds);
            for (ValueAtPercentile p : lag.percentileValues()) {
                System.out.printf(Locale.ROOT, "poll lag p%.0f: %.1f ms%n", p.percentile() * 100, p.value(TimeUnit.MILLISECONDS));
            }
            System.out.printf(Locale.ROOT, "poll lag max (recent window): %.1f ms%n", lag.max(TimeUnit.MILLISECONDS));
            System.out.printf(Locale.ROOT, "CPU: %.3f cores = %.1f%% of the machine's %d cores (process CPU time / wall time)%n",
                    cores, 100.0 * cores / processors, processors);
            System.out.printf(Locale.ROOT, "threads: %d; heap used: %d MiB%n",
                    ManagementFactory.getThreadMXBean().getThreadCount(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024));
        } finally {
            service.close();
            backend.getOutputStream().close();
            if (!backend.waitFor(30, TimeUnit.SECONDS)) {
                backend.destroyForcibly();
            }
        }
        System.exit(0);
    }

    private static void startJobs(int jobs, String bootstrap, String registryUrl, String vmaUrl, String omaUrl)
            throws Exception {
        Map<String, Object> config = new HashMap<>(RegistrySettings.ofBaseUrl(registryUrl).producerSerdeConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        VmaClient vma = new VmaClient(vmaUrl, null);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < jobs; i++) {
                SimVm vm = vm(i);
                String jobId = EventIds.newJobId(Instant.now());
                List<VmaDtos.NbdTarget> targets = new ArrayList<>();
                List<VolumeAttachment> volumes = new ArrayList<>();
                for (SimDisk disk : vm.disks()) {
                    String key = Integer.toString(disk.key());
                    String device = "nbd://127.0.0.1:10809/migration-vol-" + jobId + "-" + key;
                    targets.add(new VmaDtos.NbdTarget(device, key));
                    volumes.add(VolumeAttachment.newBuilder().setDiskId(disk.id()).setVmwareDiskKey(key)
                            .setVolumeId(jobId + "-" + key).setNbdExportName("migration-vol-" + jobId + "-" + key)
                            .setDevicePath(device).setSizeGb(disk.sizeGb()).setReused(false).build());
                }
                vma.replicate(new VmaDtos.ReplicateRequest(jobId, "vcenter.bench.test", "bench-user", "bench-password",
                        List.of(vm.path()), omaUrl, targets), Duration.ofSeconds(10)).join();
                producer.send(new ProducerRecord<>(Topics.JOB_STARTED.name(), vm.id(), JobStarted.newBuilder()
                        .setEventId(EventIds.newEventId()).setOccurredAt(Instant.now()).setCorrelationId("bench-" + jobId)
                        .setVmwareVmId(vm.id()).setJobId(jobId).setContextId("ctx-" + vm.name())
                        .setReplicationType(ReplicationType.initial).setVolumes(volumes).setVmPath(vm.path())
                        .setFailoverId(null).build()));
            }
            producer.flush();
        }
    }

    private static double count(MeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double count(MeterRegistry meters, String name, String eventType) {
        return meters.find(name).tag("type", eventType).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + timeout + ": " + what);
            }
            Thread.sleep(200);
        }
    }
}
