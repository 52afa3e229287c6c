package io.migratekit.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a run of the command line talks to: its output and error streams, its input (for a
 * confirmation), its environment, the user's home (where the config file is) and whether the output
 * is a terminal (progress bars redrawn in place) or not (plain lines). Tests hand in their own.
 */
public record Terminal(PrintWriter out, PrintWriter err, BufferedReader in, Map<String, String> env, Path home,
        boolean tty) {

    /** The process's own streams and environment. */
    public static Terminal system() {
        return new Terminal(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.getenv(), Path.of(System.getProperty("user.home")), System.console() != null);
    }
}
