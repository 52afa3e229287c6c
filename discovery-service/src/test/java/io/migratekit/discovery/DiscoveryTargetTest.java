package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.ReplicationRequest;
import org.junit.jupiter.api.Test;

class DiscoveryTargetTest {

    @Test
    void theRequestsOwnVcenterAndDatacenterComeFirst() {
        // given
        ReplicationRequest request = ReplicationRequest.newBuilder()
                .setSourceVm(Requests.sourceVm("vm-1", "pgtest1").setVcenterHost("vc-source").setDatacenter("DC-source")
                        .build())
                .setVcenterHost("vc-request")
                .setDatacenter("DC-request")
                .build();

        // when
        DiscoveryTarget target = DiscoveryTarget.of(request);

        // then
        assertThat(target).isEqualTo(new DiscoveryTarget("vm-1", "pgtest1", "vc-request", "DC-request"));
    }

    @Test
    void theSourceVmsVcenterAndDatacenterAreTheFallback() {
        // given
        ReplicationRequest request = ReplicationRequest.newBuilder()
                .setSourceVm(Requests.sourceVm("vm-1", "pgtest1").setVcenterHost("vc-source").setDatacenter("DC-source")
                        .build())
                .setVcenterHost(" ")
                .build();

        // when
        DiscoveryTarget target = DiscoveryTarget.of(request);

        // then
        assertThat(target).isEqualTo(new DiscoveryTarget("vm-1", "pgtest1", "vc-source", "DC-source"));
    }

    @Test
    void noVcenterAnywhereLeavesItEmpty() {
        // given
        ReplicationRequest request = ReplicationRequest.newBuilder()
                .setSourceVm(Requests.sourceVm("vm-1", "pgtest1").build())
                .build();

        // when
        DiscoveryTarget target = DiscoveryTarget.of(request);

        // then
        assertThat(target).isEqualTo(new DiscoveryTarget("vm-1", "pgtest1", null, null));
    }
}
