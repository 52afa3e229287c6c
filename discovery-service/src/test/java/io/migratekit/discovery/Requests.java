package io.migratekit.discovery;

import io.migratekit.events.DiskSpec;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.SourceVm;
import io.migratekit.schemas.EventIds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Replication requests as a client would send them, for the tests. */
final class Requests {

    private Requests() {
    }

    /** A request for the VM, naming the vCenter and datacenter, with a client disk array that must be ignored. */
    static ReplicationRequested request(String vmId, String vmName, String vcenterHost, String datacenter) {
        return requested(ReplicationRequest.newBuilder()
                .setSourceVm(sourceVm(vmId, vmName).build())
                .setVcenterHost(vcenterHost)
                .setDatacenter(datacenter)
                .setRequestedBy("test")
                .build());
    }

    static SourceVm.Builder sourceVm(String vmId, String vmName) {
        return SourceVm.newBuilder()
                .setId(vmId)
                .setName(vmName)
                .setPath("/client/said/" + vmName)
                .setCpus(64)
                .setMemoryMb(1L)
                .setOsType("client-os")
                .setDisks(List.of(DiskSpec.newBuilder().setId("disk-9999").setLabel("client disk")
                        .setCapacityBytes(1L).build()));
    }

    static ReplicationRequested requested(ReplicationRequest request) {
        return ReplicationRequested.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId("req-" + UUID.randomUUID())
                .setVmwareVmId(request.getSourceVm().getId())
                .setRequest(request)
                .build();
    }
}
