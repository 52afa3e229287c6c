package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.migratekit.events.DiscoveredVm;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.DiskSpec;
import io.migratekit.events.NetworkSpec;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmDiscovered;
import io.migratekit.infra.SharedTestInfrastructure;
import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.Inventory;
import io.migratekit.vmasim.PowerState;
import io.migratekit.vmasim.SimVm;
import io.migratekit.vmasim.SimulatorConfig;
import io.migratekit.vmasim.VmaSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * discovery-service end to end on a real broker and registry, against the VMA simulator: each
 * request gets exactly one outcome, with the right reason and message, keyed by its VM.
 */
class DiscoveryOutcomesIntegrationTest {

    private static final String DEADLINE = "2s";

    private static VmaSimulator vma;
    private static RunningService service;
    private static Pipeline pipeline;

    @BeforeAll
    static void start() {
        SharedTestInfrastructure infra = SharedTestInfrastructure.get();
        vma = VmaSimulator.start(SimulatorConfig.builder().inventory(Inventory.empty()).build());
        service = RunningService.start(infra, vma.baseUrl(), Map.of("migratekit.vma.discovery-timeout", DEADLINE));
        pipeline = new Pipeline(infra);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (vma != null) {
            vma.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aVmWithDisksIsDiscoveredWithTheMappedSpecAndTheRequestCopiedThrough() throws Exception {
        // given
        String name = unique("db");
        SimVm vm = vma.inventory().add(SimVm.builder(name).id(UUID.randomUUID().toString()).folder("prod/db")
                .powerState(PowerState.POWERED_OFF).guestOs("windows").numCpu(4).memoryMb(8192).vmxVersion("vmx-15")
                .diskGb(40).disk(100L * 1024 * 1024 * 1024 + 1, "ds-nfs-01", "thick").network("Prod-VLAN100"));
        ReplicationRequested request = Requests.requested(ReplicationRequest.newBuilder(
                Requests.request(vm.id(), name, RunningService.VCENTER, "DemoDC").getRequest())
                .setScheduledBy("scheduler-service").setScheduleExecutionId("exec-1").setVmGroupId("group-1")
                .build());

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        assertThat(outcomes).hasSize(1).first().isInstanceOf(VmDiscovered.class);
        VmDiscovered discovered = (VmDiscovered) outcomes.get(0);
        assertThat(discovered).isEqualTo(VmDiscovered.newBuilder()
                .setEventId(discovered.getEventId())
                .setOccurredAt(discovered.getOccurredAt())
                .setDiscoveryMs(discovered.getDiscoveryMs())
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(vm.id())
                .setRequest(request.getRequest())
                .setVm(DiscoveredVm.newBuilder()
                        .setId(vm.id())
                        .setName(name)
                        .setPath("/DemoDC/vm/prod/db/" + name)
                        .setDatacenter("DemoDC")
                        .setVcenterHost(RunningService.VCENTER)
                        .setCpus(4)
                        .setMemoryMb(8192L)
                        .setPowerState("poweredOff")
                        .setOsType("windows")
                        .setVmxVersion("vmx-15")
                        .setDisks(List.of(
                                DiskSpec.newBuilder().setId("disk-2000").setLabel("Hard disk 1")
                                        .setPath("[ds-ssd-01] " + name + "/" + name + ".vmdk")
                                        .setVmdkPath("[ds-ssd-01] " + name + "/" + name + ".vmdk")
                                        .setSizeGb(40L).setCapacityBytes(40L * 1024 * 1024 * 1024)
                                        .setDatastore("ds-ssd-01").setProvisioningType("thin").setUnitNumber(0).build(),
                                DiskSpec.newBuilder().setId("disk-2001").setLabel("Hard disk 2")
                                        .setPath("[ds-nfs-01] " + name + "/" + name + "_1.vmdk")
                                        .setVmdkPath("[ds-nfs-01] " + name + "/" + name + "_1.vmdk")
                                        .setSizeGb(101L).setCapacityBytes(100L * 1024 * 1024 * 1024 + 1)
                                        .setDatastore("ds-nfs-01").setProvisioningType("thick").setUnitNumber(1)
                                        .build()))
                        .setNetworks(List.of(NetworkSpec.newBuilder().setLabel("Network adapter 1")
                                .setNetworkName("Prod-VLAN100").setAdapterType("vmxnet3")
                                .setMacAddress(vm.networks().get(0).macAddress()).setConnected(true).build()))
                        .build())
                .build());
        assertThat(discovered.getDiscoveryMs()).isNotNegative();
        assertThat(service.bean(MeterRegistry.class).get(DiscoveryMetrics.OUTCOMES).tag("outcome", "DISCOVERED")
                .counter().count()).isPositive();
    }

    @Test
    void theExactNameIsPickedFromTheSubstringMatches() throws Exception {
        // given: the VMA's filter "pgtest1" also lists pgtest10 and pgtest11
        SimVm pgtest10 = vma.inventory().add(SimVm.builder("pgtest10").diskGb(10));
        SimVm pgtest1 = vma.inventory().add(SimVm.builder("pgtest1").diskGb(20));
        vma.inventory().add(SimVm.builder("pgtest11").diskGb(30));
        ReplicationRequested request = Requests.request(pgtest1.id(), "pgtest1", RunningService.VCENTER, null);

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        assertThat(outcomes).hasSize(1).first().isInstanceOf(VmDiscovered.class);
        DiscoveredVm found = ((VmDiscovered) outcomes.get(0)).getVm();
        assertThat(found.getId()).isEqualTo(pgtest1.id()).isNotEqualTo(pgtest10.id());
        assertThat(found.getName()).isEqualTo("pgtest1");
        assertThat(found.getDisks()).extracting(DiskSpec::getSizeGb).containsExactly(20L);
    }

    @Test
    void requestsSentTogetherAreEachAnsweredAsIfAskedAlone() throws Exception {
        // given: names that contain one another, a VM without disks, one nobody has, and a VM asked twice,
        // sent at once (requests of one batch with the same target share a VMA call)
        String name = unique("together");
        SimVm vm = vma.inventory().add(SimVm.builder(name).diskGb(10));
        SimVm longer = vma.inventory().add(SimVm.builder(name + "0").diskGb(20));
        SimVm diskless = vma.inventory().add(SimVm.builder(name + "-nodisk"));
        List<ReplicationRequested> requests = List.of(
                Requests.request(vm.id(), name, RunningService.VCENTER, "DemoDC"),
                Requests.request(longer.id(), name + "0", RunningService.VCENTER, "DemoDC"),
                Requests.request(diskless.id(), name + "-nodisk", RunningService.VCENTER, "DemoDC"),
                Requests.request(UUID.randomUUID().toString(), name + "-ghost", RunningService.VCENTER, "DemoDC"),
                Requests.request(vm.id(), name, RunningService.VCENTER, "DemoDC"));

        // when
        pipeline.sendAll(Topics.REPLICATION_REQUESTED, requests, ReplicationRequested::getVmwareVmId);
        pipeline.awaitCommitted(RunningService.GROUP, Topics.REPLICATION_REQUESTED.name());

        // then
        assertDiscovered(outcomesOf(requests.get(0)), requests.get(0), name, 10L);
        assertDiscovered(outcomesOf(requests.get(1)), requests.get(1), name + "0", 20L);
        assertFailed(outcomesOf(requests.get(2)), requests.get(2), DiscoveryFailureReason.NO_DISKS, "VM '" + name
                + "-nodisk' (" + diskless.id() + ") has no disks configured; a VM without disks cannot be replicated");
        assertFailed(outcomesOf(requests.get(3)), requests.get(3), DiscoveryFailureReason.VM_NOT_FOUND, "VM '" + name
                + "-ghost' not found on vCenter vc-sim.test in datacenter DemoDC (no VM name contains it)");
        assertDiscovered(outcomesOf(requests.get(4)), requests.get(4), name, 10L);
    }

    @Test
    void aVmNobodyHasIsNotFound() throws Exception {
        // given
        String name = unique("ghost");
        ReplicationRequested request = Requests.request(UUID.randomUUID().toString(), name, RunningService.VCENTER,
                "DemoDC");

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        assertFailed(outcomes, request, DiscoveryFailureReason.VM_NOT_FOUND, "VM '" + name
                + "' not found on vCenter vc-sim.test in datacenter DemoDC (no VM name contains it)");
    }

    @Test
    void theExactNameWithAnotherIdIsNotFound() throws Exception {
        // given: the name now belongs to another VM
        String name = unique("reused");
        SimVm current = vma.inventory().add(SimVm.builder(name).diskGb(10));
        String requestedId = UUID.randomUUID().toString();
        ReplicationRequested request = Requests.request(requestedId, name, RunningService.VCENTER, "DemoDC");

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        assertFailed(outcomes, request, DiscoveryFailureReason.VM_NOT_FOUND, "VM '" + name
                + "' on vCenter vc-sim.test in datacenter DemoDC has id " + current.id()
                + ", not the requested id " + requestedId + " (the name now belongs to a different VM)");
    }

    @Test
    void aVmWithoutDisksIsRefusedAndTheFailoverIdIsCarried() throws Exception {
        // given
        String name = unique("diskless");
        SimVm vm = vma.inventory().add(SimVm.builder(name));
        ReplicationRequested request = Requests.requested(ReplicationRequest.newBuilder(
                Requests.request(vm.id(), name, RunningService.VCENTER, "DemoDC").getRequest())
                .setFailoverId("failover-20250923-101500.000-abcdef").build());

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        DiscoveryFailed failed = assertFailed(outcomes, request, DiscoveryFailureReason.NO_DISKS, "VM '" + name
                + "' (" + vm.id() + ") has no disks configured; a VM without disks cannot be replicated");
        assertThat(failed.getFailoverId()).isEqualTo("failover-20250923-101500.000-abcdef");
    }

    @Test
    void aVmaErrorIsVmaErrorWithoutTheLogin() throws Exception {
        // given
        String name = unique("broken");
        SimVm vm = vma.inventory().add(SimVm.builder(name).diskGb(10));
        vma.faults().forVm(name).discoveryError(true);
        ReplicationRequested request = Requests.request(vm.id(), name, RunningService.VCENTER, "DemoDC");

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        DiscoveryFailed failed = assertFailed(outcomes, request, DiscoveryFailureReason.VMA_ERROR,
                "discovery of VM '" + name + "' failed, the VMA answered HTTP 500: VMA POST /api/v1/discover"
                        + " answered HTTP 500: failed to discover VMs: ServerFaultCode: simulated vCenter fault");
        assertThat(failed.getMessage()).doesNotContain(RunningService.VCENTER_PASSWORD)
                .doesNotContain(RunningService.VCENTER_USER);
    }

    @Test
    void aDatacenterTheVmaDoesNotKnowIsDatacenterNotFound() throws Exception {
        // given
        String name = unique("nodc");
        SimVm vm = vma.inventory().add(SimVm.builder(name).diskGb(10));
        ReplicationRequested request = Requests.request(vm.id(), name, RunningService.VCENTER, "NoSuchDC");

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        assertFailed(outcomes, request, DiscoveryFailureReason.DATACENTER_NOT_FOUND, "discovery of VM '" + name
                + "' failed, the VMA does not know the datacenter 'NoSuchDC': VMA POST /api/v1/discover answered"
                + " HTTP 404: datacenter 'NoSuchDC' not found");
    }

    @Test
    void aVmaSlowerThanTheDeadlineIsTimeout() throws Exception {
        // given: the VMA takes far longer than the deadline configured for this test
        String name = unique("slow");
        SimVm vm = vma.inventory().add(SimVm.builder(name).diskGb(10));
        vma.faults().forVm(name).discoveryDelay(Duration.ofSeconds(20));
        ReplicationRequested request = Requests.request(vm.id(), name, RunningService.VCENTER, "DemoDC");

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        assertFailed(outcomes, request, DiscoveryFailureReason.TIMEOUT,
                "the VMA did not answer discovery of VM '" + name + "' within " + DEADLINE.replace("s", " s"));
    }

    @Test
    void aVcenterWithoutConfiguredLoginIsRefusedWithoutCallingTheVma() throws Exception {
        // given
        String name = unique("elsewhere");
        SimVm vm = vma.inventory().add(SimVm.builder(name).diskGb(10));
        ReplicationRequested request = Requests.request(vm.id(), name, "vc-unknown.test", "DemoDC");

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        assertFailed(outcomes, request, DiscoveryFailureReason.NO_VCENTER_LOGIN,
                "no vCenter credentials configured for vc-unknown.test" + "; name a vCenter this appliance has a login for");
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheNextRequestIsStillAnswered() throws Exception {
        // given: on one partition, a record that is not Avro, one with an unknown schema id, then a request
        String name = unique("after-poison");
        SimVm vm = vma.inventory().add(SimVm.builder(name).diskGb(10));
        byte[] notAvro = ("not avro " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchema = new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 2, 4, 6};
        pipeline.sendRaw(Topics.REPLICATION_REQUESTED.name(), vm.id(), notAvro);
        pipeline.sendRaw(Topics.REPLICATION_REQUESTED.name(), vm.id(), unknownSchema);
        ReplicationRequested request = Requests.request(vm.id(), name, RunningService.VCENTER, "DemoDC");

        // when
        List<SpecificRecord> outcomes = answersTo(request);

        // then
        assertThat(outcomes).hasSize(1).first().isInstanceOf(VmDiscovered.class);
        List<ConsumerRecord<Object, Object>> deadLetters = new ArrayList<>();
        for (ConsumerRecord<Object, Object> record : pipeline.readRaw(Topics.DEAD_LETTERS)) {
            if (new String((byte[]) record.key(), StandardCharsets.UTF_8).equals(vm.id())) {
                deadLetters.add(record);
            }
        }
        assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactly(notAvro, unknownSchema);
        for (ConsumerRecord<Object, Object> deadLetter : deadLetters) {
            assertThat(header(deadLetter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(Topics.REPLICATION_REQUESTED.name());
            assertThat(header(deadLetter, DeadLetters.CONSUMER)).isEqualTo("discovery-service");
            assertThat(header(deadLetter, DeadLetters.REASON)).isNotBlank();
            assertThat(header(deadLetter, DeadLetters.EXCEPTION)).isNotBlank();
        }
    }

    /** Sends the request, waits until the service committed it, and returns every outcome of its correlation id. */
    private static List<SpecificRecord> answersTo(ReplicationRequested request) throws Exception {
        pipeline.send(Topics.REPLICATION_REQUESTED, request.getVmwareVmId(), request);
        pipeline.awaitCommitted(RunningService.GROUP, Topics.REPLICATION_REQUESTED.name());
        return outcomesOf(request);
    }

    /** Every outcome now on the topics with the request's correlation id. */
    private static List<SpecificRecord> outcomesOf(ReplicationRequested request) throws Exception {
        List<SpecificRecord> outcomes = new ArrayList<>();
        outcomes.addAll(pipeline.read(Topics.VM_DISCOVERED,
                d -> d.getCorrelationId().equals(request.getCorrelationId())));
        outcomes.addAll(pipeline.read(Topics.DISCOVERY_FAILED,
                f -> f.getCorrelationId().equals(request.getCorrelationId())));
        return outcomes;
    }

    private static void assertDiscovered(List<SpecificRecord> outcomes, ReplicationRequested request, String name,
            long diskGb) {
        assertThat(outcomes).hasSize(1).first().isInstanceOf(VmDiscovered.class);
        VmDiscovered discovered = (VmDiscovered) outcomes.get(0);
        assertThat(discovered.getVmwareVmId()).isEqualTo(request.getVmwareVmId());
        assertThat(discovered.getRequest()).isEqualTo(request.getRequest());
        assertThat(discovered.getVm().getId()).isEqualTo(request.getVmwareVmId());
        assertThat(discovered.getVm().getName()).isEqualTo(name);
        assertThat(discovered.getVm().getDisks()).extracting(DiskSpec::getSizeGb).containsExactly(diskGb);
    }

    private static DiscoveryFailed assertFailed(List<SpecificRecord> outcomes, ReplicationRequested request,
            DiscoveryFailureReason reason, String message) {
        assertThat(outcomes).hasSize(1).first().isInstanceOf(DiscoveryFailed.class);
        DiscoveryFailed failed = (DiscoveryFailed) outcomes.get(0);
        assertThat(failed).isEqualTo(DiscoveryFailed.newBuilder()
                .setEventId(failed.getEventId())
                .setOccurredAt(failed.getOccurredAt())
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(request.getVmwareVmId())
                .setVmName(request.getRequest().getSourceVm().getName())
                .setReason(reason)
                .setMessage(message)
                .setFailoverId(request.getRequest().getFailoverId())
                .build());
        return failed;
    }

    private static String header(ConsumerRecord<Object, Object> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
