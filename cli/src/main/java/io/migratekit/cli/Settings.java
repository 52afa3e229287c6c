package io.migratekit.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the API is and where its token comes from, resolved from the flags, then the environment
 * ({@code MIGRATEKIT_API}, {@code MIGRATEKIT_TOKEN}, {@code MIGRATEKIT_TOKEN_FILE}), then the config
 * file ({@code api}, {@code token}, {@code token-file}), then the default API of {@code ./run.sh}.
 * Pure: reads no file (the config file's content is handed in) and never shows the token.
 */
public record Settings(URI api, TokenSource token) {

    public static final String DEFAULT_API = "http://127.0.0.1:8082";
    static final String API_PATH = "/api/v1";

    /** The token itself, or the file that holds it; {@code describe()} says where it came from, not what it is. */
    public record TokenSource(String value, Path file, String origin) {

        static TokenSource value(String value, String origin) {
            return new TokenSource(value, null, origin);
        }

        static TokenSource file(Path file, String origin) {
            return new TokenSource(null, file, origin);
        }

        public String describe() {
            return file != null ? origin + " (" + file + ")" : origin;
        }
    }

    /** The config file's path: {@code $MIGRATEKIT_CONFIG}, else {@code ~/.config/migratekit/config}. */
    public static Path configFile(Map<String, String> env, Path home) {
        String explicit = env.get("MIGRATEKIT_CONFIG");
        return explicit != null && !explicit.isBlank() ? Path.of(explicit)
                : home.resolve(".config").resolve("migratekit").resolve("config");
    }

    /**
     * Resolves the settings; a relative token file in the config file is relative to the config
     * file's folder. Throws a refusal when no token is given anywhere or the API URL is not http(s).
     */
    public static Settings resolve(String apiFlag, Path tokenFileFlag, Map<String, String> env, Properties config,
            Path configFile) {
        String api = first(apiFlag, env.get("MIGRATEKIT_API"), config.getProperty("api"), DEFAULT_API);
        TokenSource token;
        if (tokenFileFlag != null) {
            token = TokenSource.file(tokenFileFlag, "--token-file");
        } else if (present(env.get("MIGRATEKIT_TOKEN"))) {
            token = TokenSource.value(env.get("MIGRATEKIT_TOKEN").trim(), "MIGRATEKIT_TOKEN");
        } else if (present(env.get("MIGRATEKIT_TOKEN_FILE"))) {
            token = TokenSource.file(Path.of(env.get("MIGRATEKIT_TOKEN_FILE")), "MIGRATEKIT_TOKEN_FILE");
        } else if (present(config.getProperty("token"))) {
            token = TokenSource.value(config.getProperty("token").trim(), "token in " + configFile);
        } else if (present(config.getProperty("token-file"))) {
            Path file = Path.of(config.getProperty("token-file").trim());
            Path folder = configFile.toAbsolutePath().getParent();
            token = TokenSource.file(file.isAbsolute() || folder == null ? file : folder.resolve(file),
                    "token-file in " + configFile);
        } else {
            throw CliFailure.of(ExitCodes.REFUSED, "no API token: give --token-file, set MIGRATEKIT_TOKEN or "
                    + "MIGRATEKIT_TOKEN_FILE, or put token-file in " + configFile);
        }
        return new Settings(apiBase(api), token);
    }

    /** The API's base URL ending in {@code /api/v1}, whether or not the given URL names that path. */
    static URI apiBase(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed.endsWith(API_PATH) ? trimmed : trimmed + API_PATH);
        } catch (IllegalArgumentException e) {
            throw CliFailure.of(ExitCodes.REFUSED, "the API URL is not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw CliFailure.of(ExitCodes.REFUSED, "the API URL must be http(s)://host[:port]: " + url);
        }
        return uri;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (present(value)) {
                return value.trim();
            }
        }
        throw new IllegalStateException("no default");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
