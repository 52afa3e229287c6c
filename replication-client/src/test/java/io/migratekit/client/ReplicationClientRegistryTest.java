package io.migratekit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.schemas.RegistrySettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request the schema registry does not take, on a client that is not started (no broker needed:
 * serialization comes before anything is handed to the producer): it fails as a registry failure,
 * not as the broker's, names the registry without its credentials, and leaves nothing waiting.
 */
class ReplicationClientRegistryTest {

    @Test
    void aRequestTheRegistryDoesNotTakeFailsAsTheRegistrysFailureAndNothingWaits() throws IOException {
        int registryPort = freePort();
        ReplicationClientSettings settings = ReplicationClientSettings.of("127.0.0.1:" + freePort(),
                RegistrySettings.ofBaseUrl("http://intake:registry-secret@127.0.0.1:" + registryPort),
                "client-test-no-registry");

        try (ReplicationClient client = new ReplicationClient(settings, Clock.systemUTC())) {
            assertThatThrownBy(() -> client.submit("req-no-registry", TestEvents.request("vm-no-registry", "pg"),
                    Duration.ofMinutes(1)))
                    .isInstanceOfSatisfying(PipelineUnavailableException.class, e -> {
                        assertThat(e.failed()).isEqualTo(PipelineUnavailableException.Failed.SCHEMA_REGISTRY);
                        assertThat(e.requestId()).isEmpty();
                        assertThat(e.getMessage())
                                .startsWith("The replication request req-no-registry could not be serialized through "
                                        + "the schema registry at http://127.0.0.1:" + registryPort
                                        + "/apis/registry/v3 (")
                                .endsWith("); nothing was sent to the broker")
                                .doesNotContain("registry-secret");
                    });
            assertThat(client.pendingCount()).isZero();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
