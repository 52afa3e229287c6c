package io.migratekit.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.platform.DependencyUnavailableException;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The start-up registration of the schemas job-intake writes, against the real registry and one that
 * does not answer, and how a failed send is told to be the serializer's (the registry's).
 */
class ProducedSchemasTest {

    @Test
    void theSchemasOfWhatJobIntakeWritesAreRegisteredAndFoundAgainOnTheNextStart() {
        // given
        RegistrySettings registry = RegistrySettings.ofBaseUrl(SharedTestInfrastructure.get().registryBaseUrl());

        // when
        ProducedSchemas first = ProducedSchemas.register(registry, ProducedSchemas.PUBLISHED, Duration.ofSeconds(60));
        ProducedSchemas again = ProducedSchemas.register(registry, ProducedSchemas.PUBLISHED, Duration.ofSeconds(60));

        // then
        List<Topic<?>> published = List.of(Topics.CHANGE_ID_RECORDED, Topics.FAILOVER_REQUESTED,
                Topics.FAILOVER_CLEANUP_REQUESTED, Topics.SCHEDULES, Topics.MACHINE_GROUPS, Topics.GROUP_MEMBERSHIPS,
                Topics.SCHEDULE_TRIGGER_REQUESTED);
        assertThat(first.topics()).isEqualTo(published);
        assertThat(again.topics()).isEqualTo(published);
    }

    @Test
    void aRegistryThatDoesNotAnswerStopsTheStartNamingItWithoutItsCredentials() throws IOException {
        // given
        int port = freePort();
        RegistrySettings registry = RegistrySettings.ofBaseUrl("http://intake:registry-secret@127.0.0.1:" + port);
        String address = "http://127.0.0.1:" + port + "/apis/registry/v3";

        // when / then
        assertThatThrownBy(() -> ProducedSchemas.register(registry, ProducedSchemas.PUBLISHED, Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, e -> {
                    assertThat(e.dependency()).isEqualTo("The schema registry");
                    assertThat(e.address()).isEqualTo(address);
                    assertThat(e.setting()).isEqualTo("MIGRATEKIT_REGISTRY_URL");
                    assertThat(e.getMessage())
                            .startsWith("The schema registry at " + address + " did not register the schemas of the "
                                    + "topics job-intake writes (migratekit.change-id-recorded, "
                                    + "migratekit.failover-requested, migratekit.failover-cleanup-requested, "
                                    + "migratekit.schedules, migratekit.machine-groups, migratekit.group-memberships, "
                                    + "migratekit.schedule-trigger-requested) within 3 s (")
                            .doesNotContain("registry-secret");
                });
    }

    @Test
    void onlyAFailureRaisedInTheSerializerIsTheRegistrys() {
        // given
        RuntimeException closedProducer = new IllegalStateException("Cannot perform operation after producer has been "
                + "closed");
        RuntimeException interrupted = new KafkaException("interrupted", new InterruptedException());
        RuntimeException serialization = new KafkaException(new SerializationException("Unknown magic byte!"));

        // when / then
        assertThat(List.of(ProducedSchemas.failedInSerializer(closedProducer),
                ProducedSchemas.failedInSerializer(interrupted), ProducedSchemas.failedInSerializer(serialization)))
                .containsExactly(false, false, true);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
