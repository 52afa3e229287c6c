package io.migratekit.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code migratekit}: the operator's command line, a client of the REST API and nothing else. The
 * options every command shares ({@code --api}, {@code --token-file}, {@code --json}), the settings
 * and the API client they lead to, the output helpers, and the mapping of every failure to its exit
 * code ({@link ExitCodes}) with its message on standard error (and, with {@code --json}, as a JSON
 * object on standard output). The commands themselves are their own classes.
 */
@Command(name = "migratekit", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = MigrateKitCli.Version.class,
        description = "Operate MigrateKit from a terminal or a script, through its REST API.",
        subcommands = {VmsCommand.class, VmCommand.class, ReplicateCommand.class, WatchCommand.class,
                FailoverCommand.class, CleanupCommand.class, SchedulesCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (the job or failover failed, or the API answered 5xx)",
                "2:refused (409 or another 4xx, with the server's message; not confirmed; usage error)",
                "3:unreachable (the API could not be reached)"},
        footer = {"", "The API URL and token come from the flags, else MIGRATEKIT_API and MIGRATEKIT_TOKEN "
                + "(or MIGRATEKIT_TOKEN_FILE), else the config file ($MIGRATEKIT_CONFIG or "
                + "~/.config/migratekit/config: api=..., token-file=...); the API defaults to " + Settings.DEFAULT_API
                + "."})
public final class MigrateKitCli implements Callable<Integer> {

    @Option(names = "--api", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The REST API, e.g. http://127.0.0.1:8082 (env MIGRATEKIT_API).")
    String apiUrl;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A file holding the API token (env MIGRATEKIT_TOKEN holds the token itself).")
    Path tokenFile;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Machine output: JSON on standard output.")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;
    private ApiClient client;

    MigrateKitCli(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(run(args, Terminal.system()));
    }

    /** Runs one command line against this terminal; answers its exit code. */
    public static int run(String[] args, Terminal terminal) {
        CommandLine cli = new CommandLine(new MigrateKitCli(terminal));
        cli.setOut(terminal.out());
        cli.setErr(terminal.err());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof CliFailure known) {
                MigrateKitCli root = (MigrateKitCli) command.getCommandSpec().root().userObject();
                return root.report(known);
            }
            throw failure;
        });
        int code = cli.execute(args);
        terminal.out().flush();
        terminal.err().flush();
        return code;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(terminal.err());
        return ExitCodes.REFUSED;
    }

    Terminal terminal() {
        return terminal;
    }

    boolean json() {
        return json;
    }

    /** The API client of the resolved settings, with the token read (once per run). */
    ApiClient api() {
        if (client == null) {
            Path configFile = Settings.configFile(terminal.env(), terminal.home());
            Settings settings = Settings.resolve(apiUrl, tokenFile, terminal.env(), config(configFile), configFile);
            client = new ApiClient(settings.api(), token(settings.token()));
        }
        return client;
    }

    private Properties config(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            if (terminal.env().containsKey("MIGRATEKIT_CONFIG")) {
                throw CliFailure.of(ExitCodes.REFUSED, "the config file " + file + " (MIGRATEKIT_CONFIG) does not exist");
            }
        } catch (IOException e) {
            throw CliFailure.of(ExitCodes.REFUSED, "cannot read the config file " + file + ": " + e.getMessage());
        }
        return properties;
    }

    private static String token(Settings.TokenSource source) {
        String token = source.value();
        if (source.file() != null) {
            try {
                token = Files.readString(source.file(), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw CliFailure.of(ExitCodes.REFUSED, "cannot read the API token from " + source.describe() + ": "
                        + e.getClass().getSimpleName());
            }
        }
        if (token == null || token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw CliFailure.of(ExitCodes.REFUSED, "the API token from " + source.describe()
                    + " is empty or not one line of printable characters");
        }
        return token;
    }

    /** A line for a person (standard output). */
    void line(String text) {
        terminal.out().println(text);
    }

    /** One JSON value on one line of standard output. */
    void printJson(JsonNode value) {
        terminal.out().println(ApiClient.JSON.writeValueAsString(value));
    }

    /** A note on standard error, which --json leaves free for people. */
    void note(String text) {
        terminal.err().println(text);
    }

    /** Prints a failure and answers its exit code. */
    int report(CliFailure failure) {
        note("migratekit: " + Formats.safe(failure.getMessage()));
        if (json) {
            ObjectNode error = ApiClient.JSON.createObjectNode().put("error", failure.error())
                    .put("details", failure.details()).put("exit_code", failure.exitCode());
            if (failure.httpStatus() != null) {
                error.put("http_status", failure.httpStatus());
            }
            printJson(error);
        }
        return failure.exitCode();
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MigrateKitCli.class.getPackage().getImplementationVersion();
            return new String[] {"migratekit " + (version == null ? "(development build)" : version)};
        }
    }
}
