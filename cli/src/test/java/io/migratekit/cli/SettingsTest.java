package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final Path CONFIG = Path.of("/home/op/.config/migratekit/config");

    private static Properties config(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverTheConfigFile() {
        Map<String, String> env = Map.of("MIGRATEKIT_API", "http://env:1", "MIGRATEKIT_TOKEN", " env-token ");
        Properties file = config("api", "http://file:2", "token", "file-token");

        Settings flags = Settings.resolve("http://flag:3/", Path.of("t"), env, file, CONFIG);
        Settings fromEnv = Settings.resolve(null, null, env, file, CONFIG);
        Settings fromFile = Settings.resolve(null, null, Map.of(), file, CONFIG);

        assertThat(flags).isEqualTo(new Settings(URI.create("http://flag:3/api/v1"),
                new Settings.TokenSource(null, Path.of("t"), "--token-file")));
        assertThat(fromEnv).isEqualTo(new Settings(URI.create("http://env:1/api/v1"),
                new Settings.TokenSource("env-token", null, "MIGRATEKIT_TOKEN")));
        assertThat(fromFile).isEqualTo(new Settings(URI.create("http://file:2/api/v1"),
                new Settings.TokenSource("file-token", null, "token in " + CONFIG)));
    }

    @Test
    void theDefaultApiIsTheRunCommandsAndARelativeTokenFileIsBesideTheConfigFile() {
        Settings settings = Settings.resolve(null, null, Map.of(), config("token-file", "secrets/token"), CONFIG);

        assertThat(settings.api()).isEqualTo(URI.create("http://127.0.0.1:8082/api/v1"));
        assertThat(settings.token().file()).isEqualTo(Path.of("/home/op/.config/migratekit/secrets/token"));
        assertThat(settings.token().value()).isNull();
    }

    @Test
    void theTokenFileOfTheEnvironmentComesAfterTheTokenItself() {
        Settings both = Settings.resolve(null, null, Map.of("MIGRATEKIT_TOKEN", "x", "MIGRATEKIT_TOKEN_FILE", "/f"),
                config(), CONFIG);
        Settings file = Settings.resolve(null, null, Map.of("MIGRATEKIT_TOKEN_FILE", "/f"), config(), CONFIG);

        assertThat(both.token()).isEqualTo(new Settings.TokenSource("x", null, "MIGRATEKIT_TOKEN"));
        assertThat(file.token()).isEqualTo(new Settings.TokenSource(null, Path.of("/f"), "MIGRATEKIT_TOKEN_FILE"));
    }

    @Test
    void anApiUrlWithOrWithoutItsPathNamesTheSameApi() {
        assertThat(Settings.apiBase("http://h:8082")).isEqualTo(URI.create("http://h:8082/api/v1"));
        assertThat(Settings.apiBase("http://h:8082/api/v1/")).isEqualTo(URI.create("http://h:8082/api/v1"));
        assertThat(Settings.apiBase("https://h")).isEqualTo(URI.create("https://h/api/v1"));
    }

    @Test
    void noTokenAnywhereOrAUrlThatIsNotHttpIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> Settings.resolve(null, null, Map.of(), config(), CONFIG))
                .isInstanceOfSatisfying(CliFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCodes.REFUSED);
                    assertThat(failure.getMessage()).isEqualTo("no API token: give --token-file, set MIGRATEKIT_TOKEN "
                            + "or MIGRATEKIT_TOKEN_FILE, or put token-file in " + CONFIG);
                });
        assertThatThrownBy(() -> Settings.resolve("ftp://h", Path.of("t"), Map.of(), config(), CONFIG))
                .isInstanceOfSatisfying(CliFailure.class, failure -> assertThat(failure.getMessage())
                        .isEqualTo("the API URL must be http(s)://host[:port]: ftp://h"));
    }

    @Test
    void theConfigFileIsNamedByTheEnvironmentElseUnderTheHome() {
        assertThat(Settings.configFile(Map.of("MIGRATEKIT_CONFIG", "/etc/mk"), Path.of("/home/op")))
                .isEqualTo(Path.of("/etc/mk"));
        assertThat(Settings.configFile(Map.of(), Path.of("/home/op"))).isEqualTo(CONFIG);
    }

    @Test
    void aTokenSourceDescribesWhereTheTokenIsNeverWhatItIs() {
        assertThat(new Settings.TokenSource("s3cret", null, "MIGRATEKIT_TOKEN").describe())
                .isEqualTo("MIGRATEKIT_TOKEN");
        assertThat(new Settings.TokenSource(null, Path.of("/f"), "--token-file").describe())
                .isEqualTo("--token-file (/f)");
    }
}
