package io.migratekit.platform;

import io.migratekit.schemas.EventSchemas;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the schema registry whether it is up, and registers the pipeline's event schemas at start-up
 * ({@link EventSchemas}: self-contained, compatibility level set). Owns one small HTTP client.
 */
public class RegistryClient {

    private final RegistrySettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RegistryClient(RegistrySettings settings) {
        this.settings = settings;
    }

    /** Throws when the registry does not answer 200 on its system info within the timeout. */
    public void check(Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + "/system/info"))
                .timeout(timeout).GET().build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IOException("registry answered HTTP " + response.statusCode());
        }
    }

    /** Registers the value schema of every topic of {@link Topics} and sets each subject's compatibility level. */
    public void registerEventSchemas() {
        EventSchemas.register(settings, Topics.all());
    }

    public String url() {
        return settings.baseUrl();
    }
}
