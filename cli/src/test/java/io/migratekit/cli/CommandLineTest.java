package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The command line without an API: parsing, settings, and the exit codes it decides alone. */
class CommandLineTest {

    @TempDir
    Path home;

    record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = MigrateKitCli.run(args, new Terminal(new PrintWriter(out, true), new PrintWriter(err, true),
                new BufferedReader(new StringReader("")), env, home, false));
        return new Run(exit, out.toString(), err.toString());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anApiThatCannotBeReachedIsExitThreeAndTheTokenIsNeverShown() throws IOException {
        String api = "http://127.0.0.1:" + closedPort();
        Map<String, String> env = Map.of("MIGRATEKIT_TOKEN", "tok-5ecret", "MIGRATEKIT_API", api);

        Run text = run(env, "vms");
        Run json = run(env, "vm", "web", "--json");

        assertThat(text.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(text.out()).isEmpty();
        assertThat(text.err()).isEqualTo("migratekit: the API at " + api + "/api/v1 is unreachable (cannot connect)"
                + System.lineSeparator());
        assertThat(json.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        JsonNode error = ApiClient.JSON.readTree(json.out());
        assertThat(error.get("exit_code").asInt()).isEqualTo(3);
        assertThat(error.get("error").asString()).startsWith("the API at " + api);
        assertThat(text.err() + json.out() + json.err()).doesNotContain("tok-5ecret");
    }

    @Test
    void withoutATokenNothingIsSentAndTheRunIsRefused() {
        Run run = run(Map.of(), "vms");

        assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.err()).startsWith("migratekit: no API token: give --token-file");
    }

    @Test
    void theConfigFileGivesTheApiAndTheTokenFile() throws IOException {
        Path config = home.resolve(".config/migratekit/config");
        Files.createDirectories(config.getParent());
        int port = closedPort();
        Files.writeString(config, "api=http://127.0.0.1:" + port + "\ntoken-file=token\n");
        Files.writeString(config.resolveSibling("token"), "from-file\n");

        Run run = run(Map.of(), "vms");

        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).contains("http://127.0.0.1:" + port + "/api/v1 is unreachable");
    }

    @Test
    void aTokenFileThatCannotBeReadOrANamedConfigFileThatIsMissingIsRefused() {
        Run noFile = run(Map.of(), "--token-file", home.resolve("absent").toString(), "vms");
        Run noConfig = run(Map.of("MIGRATEKIT_CONFIG", home.resolve("nope").toString()), "vms");

        assertThat(noFile.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(noFile.err()).isEqualTo("migratekit: cannot read the API token from --token-file ("
                + home.resolve("absent") + "): NoSuchFileException" + System.lineSeparator());
        assertThat(noConfig.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(noConfig.err()).contains("the config file " + home.resolve("nope") + " (MIGRATEKIT_CONFIG) does not exist");
    }

    @Test
    void usageErrorsAreRefusedWithTheUsage() {
        Run noCommand = run(Map.of());
        Run badKind = run(Map.of(), "failover", "sideways", "web");
        Run missingVm = run(Map.of(), "vm");

        assertThat(noCommand.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(noCommand.err()).contains("Usage: migratekit");
        assertThat(badKind.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(badKind.err()).contains("expected one of [test, live]");
        assertThat(missingVm.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(missingVm.err()).contains("Missing required parameter: 'NAME'");
    }

    @Test
    void theHelpListsEveryCommandAndTheExitCodes() {
        Run help = run(Map.of(), "--help");

        assertThat(help.exit()).isEqualTo(ExitCodes.DONE);
        assertThat(help.out()).contains("vms", "vm ", "replicate", "watch", "failover", "cleanup", "schedules",
                "0   done", "1   failed", "2   refused", "3   unreachable");
    }

    @Test
    void theSchedulesCommandsShowTheirUsageAloneAndAreUnreachableLikeEveryOther() throws IOException {
        String api = "http://127.0.0.1:" + closedPort();
        Map<String, String> env = Map.of("MIGRATEKIT_TOKEN", "tok", "MIGRATEKIT_API", api);

        Run alone = run(env, "schedules");
        Run groupsAlone = run(env, "schedules", "groups");
        Run noCron = run(env, "schedules", "create", "--name", "nightly");
        Run unreachable = run(env, "schedules", "groups", "list", "--json");

        assertThat(alone.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(alone.err()).contains("Usage: migratekit schedules", "executions", "trigger", "groups");
        assertThat(groupsAlone.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(groupsAlone.err()).contains("Usage: migratekit schedules groups", "add-vm");
        assertThat(noCron.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(noCron.err()).contains("Missing required option: '--cron=EXPRESSION'");
        assertThat(unreachable.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(ApiClient.JSON.readTree(unreachable.out()).get("exit_code").asInt()).isEqualTo(3);
    }
}
