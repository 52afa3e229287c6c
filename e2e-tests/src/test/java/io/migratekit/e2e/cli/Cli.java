package io.migratekit.e2e.cli;

import io.migratekit.cli.MigrateKitCli;
import io.migratekit.cli.Terminal;
import io.migratekit.e2e.Pipeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line run in-process against the standalone stack as an operator's shell would run
 * it: the API URL and the token file from the environment, a home of its own (no config file),
 * standard output and error captured, standard input given; and the bounded waits the tests need,
 * made through the command line itself.
 */
final class Cli {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(90);

    /** One run: its exit code and everything it wrote. */
    record Run(int exit, String out, String err) {

        JsonNode json() {
            return JSON.readTree(out);
        }

        /** Standard output as JSON lines. */
        List<JsonNode> jsonLines() {
            List<JsonNode> lines = new ArrayList<>();
            out.lines().forEach(line -> lines.add(JSON.readTree(line)));
            return lines;
        }

        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    final Pipeline pipeline;
    private final Path home;

    Cli(Pipeline pipeline) {
        this.pipeline = pipeline;
        try {
            this.home = Files.createTempDirectory("migratekit-cli-home-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment an operator sets: the stack's API and the file of its operator token. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("MIGRATEKIT_API", pipeline.stack.apiUrl());
        env.put("MIGRATEKIT_TOKEN_FILE", pipeline.stack.apiTokenFile().toString());
        return env;
    }

    Run run(String... args) {
        return run(env(), "", args);
    }

    Run run(Map<String, String> env, String stdin, String... args) {
        return run(env, stdin, false, args);
    }

    /** A run whose output is a terminal (bars redrawn in place). */
    Run runOnTerminal(String... args) {
        return run(env(), "", true, args);
    }

    private Run run(Map<String, String> env, String stdin, boolean tty, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = MigrateKitCli.run(args, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
                new BufferedReader(new StringReader(stdin)), env, home, tty));
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code vm <name> --json} once the VM's context has this status (bounded wait). */
    JsonNode awaitStatus(String vm, String status) {
        return awaitVm(vm, "status " + status,
                detail -> status.equals(detail.get("context").get("current_status").asString()));
    }

    /**
     * {@code vm <name> --json} once the read model shows this job as the VM's latest (a job answered
     * by the API is projected a moment later; {@code watch <vm>} follows the latest job shown).
     */
    JsonNode awaitLatestJob(String vm, String jobId) {
        return awaitVm(vm, "latest job " + jobId, detail -> detail.get("job_history").size() > 0
                && jobId.equals(detail.get("job_history").get(0).get("job_id").asString()));
    }

    private JsonNode awaitVm(String vm, String what, java.util.function.Predicate<JsonNode> wanted) {
        return await("VM " + vm + " with " + what, run -> wanted.test(run.json()), "vm", vm, "--json").json();
    }

    /** The first run of these arguments that exits 0 and is what is wanted (bounded wait). */
    Run await(String what, java.util.function.Predicate<Run> wanted, String... args) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Run run;
        do {
            run = run(args);
            if (run.exit() == 0 && wanted.test(run)) {
                return run;
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + " not within " + WAIT + ": " + run);
    }
}
