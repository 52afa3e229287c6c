package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.VmaSimulator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A VMA that refuses connections: every request is answered {@code VMA_UNREACHABLE}, nothing is lost. */
class VmaUnreachableIntegrationTest {

    private static String deadVmaUrl;
    private static RunningService service;
    private static Pipeline pipeline;

    @BeforeAll
    static void start() {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        try (VmaSimulator closed = VmaSimulator.start()) {
            deadVmaUrl = closed.baseUrl();
        }
        service = RunningService.start(infra, deadVmaUrl, Map.of());
        pipeline = new Pipeline(infra);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aClosedVmaIsUnreachable() throws Exception {
        // given
        String name = "pgtest-" + UUID.randomUUID().toString().substring(0, 8);
        ReplicationRequested request = Requests.request(UUID.randomUUID().toString(), name, RunningService.VCENTER,
                "DemoDC");

        // when
        pipeline.send(Topics.REPLICATION_REQUESTED, request.getVmwareVmId(), request);
        pipeline.awaitCommitted(RunningService.GROUP, Topics.REPLICATION_REQUESTED.name());

        // then
        List<DiscoveryFailed> failed = pipeline.read(Topics.DISCOVERY_FAILED,
                f -> f.getCorrelationId().equals(request.getCorrelationId()));
        assertThat(pipeline.read(Topics.VM_DISCOVERED, d -> d.getCorrelationId().equals(request.getCorrelationId())))
                .isEmpty();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0)).isEqualTo(DiscoveryFailed.newBuilder()
                .setEventId(failed.get(0).getEventId())
                .setOccurredAt(failed.get(0).getOccurredAt())
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(request.getVmwareVmId())
                .setVmName(name)
                .setReason(DiscoveryFailureReason.VMA_UNREACHABLE)
                .setMessage("discovery of VM '" + name + "' failed, the VMA is unreachable: VMA POST /api/v1/discover:"
                        + " VMA unreachable at " + deadVmaUrl)
                .setFailoverId(null)
                .build());
    }
}
