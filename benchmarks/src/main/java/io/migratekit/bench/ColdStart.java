package io.migratekit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One cold start of figure 7 in a fresh JVM: starts the stack on an empty data directory, waits until
 * every service is UP, prints one {@value #RESULT} line for the benchmark to read, and stops the stack.
 * {@link #inChildJvm} runs it as a child process with the benchmark's own JVM options and classpath.
 */
public final class ColdStart {

    static final String RESULT = "COLD-START";
    private static final long CHILD_TIMEOUT_MINUTES = 5;

    private ColdStart() {
    }

    /** Arguments: the data directory (empty) and the partitions. */
    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args[0]);
        StackStart.Started started = StackStart.start(dataDir, Integer.parseInt(args[1]));
        long jvmToHealthy = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        Memory memory = Memory.now(dataDir);
        System.out.println(RESULT + " jvm_to_healthy_ms=" + jvmToHealthy + " start_ms="
                + Math.round(started.startSeconds() * 1000) + " healthy_ms=" + Math.round(started.healthySeconds() * 1000)
                + " jvm_rss=" + memory.jvmRss() + " children_pss=" + memory.childrenPss());
        System.out.flush();
        started.stack().close();
        System.exit(0);
    }

    /**
     * @param jvmToHealthySeconds from the JVM's start to every service UP
     * @param healthySeconds      from {@code Stack.start} to every service UP
     * @param jvmRss              this JVM's resident set then
     * @param childrenPss         the registry's and PostgreSQL's proportional set then
     */
    record Run(double jvmToHealthySeconds, double healthySeconds, long jvmRss, long childrenPss) {
    }

    /** Runs one cold start in a new JVM (same options and classpath as this one) on {@code dataDir}. */
    static Run inChildJvm(Path dataDir, int partitions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")
                    && !option.startsWith("-XX:StartFlightRecording") && !option.startsWith("-XX:FlightRecorderOptions")) {
                command.add(option);
            }
        }
        command.add("-Dmigratekit.bench.log=" + dataDir.resolve("benchmark.log"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ColdStart.class.getName());
        command.add(dataDir.toString());
        command.add(Integer.toString(partitions));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> values = new HashMap<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(RESULT + " ")) {
                    for (String pair : line.substring(RESULT.length() + 1).split(" ")) {
                        values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                    }
                } else if (output.size() < 50) {
                    output.add(line);
                }
            }
        }
        if (!child.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new IllegalStateException("the cold-start JVM did not end within " + CHILD_TIMEOUT_MINUTES + " min");
        }
        if (!values.containsKey("healthy_ms")) {
            throw new IllegalStateException("the cold-start JVM exited " + child.exitValue() + " without a result: "
                    + String.join("\n", output));
        }
        return new Run(Long.parseLong(values.get("jvm_to_healthy_ms")) / 1000.0,
                Long.parseLong(values.get("healthy_ms")) / 1000.0, Long.parseLong(values.get("jvm_rss")),
                Long.parseLong(values.get("children_pss")));
    }
}
