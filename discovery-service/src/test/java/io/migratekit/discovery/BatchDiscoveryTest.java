package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmDiscovered;
import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaDtos;
import io.migratekit.vma.VmaException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.kafka.support.SendResult;

class BatchDiscoveryTest {

    private static final String VC1 = "vc-01.example";
    private static final String VC2 = "vc-02.example";
    private static final VcenterCredentials.Login VC1_LOGIN =
            new VcenterCredentials.Login(VC1, "svc-discovery@vsphere.test", "only-a-test-password");
    private static final VcenterCredentials.Login VC2_LOGIN =
            new VcenterCredentials.Login(VC2, "svc-other@vsphere.test", "another-test-password");
    private static final VcenterCredentials CREDENTIALS = new VcenterCredentials(List.of(VC1_LOGIN, VC2_LOGIN), null);
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.parse("2025-09-23T10:15:00Z");

    private static final VmaDtos.Vm PGTEST1 = vm("pgtest1");
    private static final VmaDtos.Vm PGTEST10 = vm("pgtest10");
    private static final VmaDtos.Vm PGTEST2 = vm("pgtest2");
    private static final VmaDtos.Vm WEB01 = vm("web-01");

    private final RecordingPublisher publisher = new RecordingPublisher();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void requestsOfOneTargetAreDiscoveredInOneCallAndEachGetsItsOwnOutcome() throws Exception {
        // given: pgtest1 twice, a VM nobody has, and a request that names no vCenter
        FakeVma vma = FakeVma.answering(PGTEST1, PGTEST10, PGTEST2, WEB01);
        InFlightLimit limit = new InFlightLimit(4);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                Requests.request("id-ghost", "ghost", VC1, "DemoDC"),
                request(PGTEST2, VC1, "DemoDC"),
                request(PGTEST1, VC1, "DemoDC"),
                Requests.request("id-pgtest3", "pgtest3", null, "DemoDC"));

        // when
        batch(vma, limit, 50).answer(requests);

        // then: one VMA call; every request answered once, pgtest1's in the order of its requests
        assertThat(vma.calls()).extracting(FakeVma.Call::login, FakeVma.Call::datacenter, FakeVma.Call::filter)
                .containsExactly(tuple(VC1_LOGIN, "DemoDC", "pgtest1,ghost,pgtest2"));
        assertThat(publisher.sent()).containsExactlyInAnyOrder(
                discovered(requests.get(0), PGTEST1, VC1),
                failed(requests.get(1), DiscoveryFailureReason.VM_NOT_FOUND,
                        "VM 'ghost' not found on vCenter vc-01.example in datacenter DemoDC (no VM name contains it)"),
                discovered(requests.get(2), PGTEST2, VC1),
                discovered(requests.get(3), PGTEST1, VC1),
                failed(requests.get(4), DiscoveryFailureReason.NO_VCENTER_HOST, "no vCenter host given for VM 'pgtest3'"
                        + " (request vcenter_host and source_vm.vcenter_host are empty)"));
        assertThat(publisher.correlationIdsOf("id-pgtest1"))
                .containsExactly(requests.get(0).getCorrelationId(), requests.get(3).getCorrelationId());
        assertThat(outcomeCounts()).isEqualTo(Map.of("DISCOVERED", 3.0, "VM_NOT_FOUND", 1.0, "NO_VCENTER_HOST", 1.0));
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void requestsOfDifferentTargetsAreDiscoveredInSeparateCalls() throws Exception {
        // given: another vCenter (another login), and no datacenter
        FakeVma vma = FakeVma.answering(PGTEST1, PGTEST10, PGTEST2, WEB01);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                request(PGTEST2, VC2, "DemoDC"),
                request(WEB01, VC1, null),
                request(PGTEST10, VC1, "DemoDC"));

        // when
        batch(vma, new InFlightLimit(4), 50).answer(requests);

        // then
        assertThat(vma.calls()).extracting(FakeVma.Call::login, FakeVma.Call::datacenter, FakeVma.Call::filter)
                .containsExactly(
                        tuple(VC1_LOGIN, "DemoDC", "pgtest1,pgtest10"),
                        tuple(VC2_LOGIN, "DemoDC", "pgtest2"),
                        tuple(VC1_LOGIN, null, "web-01"));
        assertThat(publisher.sent()).containsExactlyInAnyOrder(
                discovered(requests.get(0), PGTEST1, VC1),
                discovered(requests.get(1), PGTEST2, VC2),
                discovered(requests.get(2), WEB01, VC1),
                discovered(requests.get(3), PGTEST10, VC1));
    }

    @Test
    void moreNamesThanOneCallTakesAreDiscoveredInSeveralCalls() throws Exception {
        // given: at most two names a call, five VMs, the first requested again at the end
        List<VmaDtos.Vm> vms = List.of(vm("vm-01"), vm("vm-02"), vm("vm-03"), vm("vm-04"), vm("vm-05"));
        FakeVma vma = FakeVma.answering(vms.toArray(VmaDtos.Vm[]::new));
        List<ReplicationRequested> requests = List.of(
                request(vms.get(0), VC1, "DemoDC"),
                request(vms.get(1), VC1, "DemoDC"),
                request(vms.get(2), VC1, "DemoDC"),
                request(vms.get(3), VC1, "DemoDC"),
                request(vms.get(4), VC1, "DemoDC"),
                request(vms.get(0), VC1, "DemoDC"));

        // when
        batch(vma, new InFlightLimit(4), 2).answer(requests);

        // then
        assertThat(vma.filters()).containsExactly("vm-01,vm-02", "vm-03,vm-04", "vm-05");
        assertThat(publisher.sent()).containsExactlyInAnyOrder(
                discovered(requests.get(0), vms.get(0), VC1),
                discovered(requests.get(1), vms.get(1), VC1),
                discovered(requests.get(2), vms.get(2), VC1),
                discovered(requests.get(3), vms.get(3), VC1),
                discovered(requests.get(4), vms.get(4), VC1),
                discovered(requests.get(5), vms.get(0), VC1));
    }

    static Stream<Arguments> faultsOfOneVm() {
        return Stream.of(
                Arguments.of(new VmaException(VmaException.Kind.HTTP_ERROR, 500,
                        "VMA POST /api/v1/discover answered HTTP 500: failed to discover VMs: ServerFaultCode", null),
                        "discovery of VM 'pgtest2' failed, the VMA answered HTTP 500: VMA POST /api/v1/discover"
                                + " answered HTTP 500: failed to discover VMs: ServerFaultCode"),
                Arguments.of(new VmaException(VmaException.Kind.BAD_RESPONSE, 200, "VMA answered unreadable JSON to"
                        + " /api/v1/discover: Unexpected end-of-input", null),
                        "discovery of VM 'pgtest2' failed, the VMA's answer is unreadable: VMA answered unreadable"
                                + " JSON to /api/v1/discover: Unexpected end-of-input"));
    }

    @ParameterizedTest
    @MethodSource("faultsOfOneVm")
    void aSharedCallFailedByOneVmIsAskedAgainNameByNameAndOnlyThatVmFails(Throwable fault, String message)
            throws Exception {
        // given: every call that finds pgtest2 fails; pgtest1 asked twice
        FakeVma vma = FakeVma.answering(PGTEST1, PGTEST2, WEB01).failingFor("pgtest2", fault);
        InFlightLimit limit = new InFlightLimit(4);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                request(PGTEST2, VC1, "DemoDC"),
                request(WEB01, VC1, "DemoDC"),
                request(PGTEST1, VC1, "DemoDC"));

        // when
        batch(vma, limit, 50).answer(requests);

        // then: the shared call, then one call per name; each request answered once, by its own name's call
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2,web-01", "pgtest1", "pgtest2", "web-01");
        assertThat(publisher.sent()).containsExactlyInAnyOrder(
                discovered(requests.get(0), PGTEST1, VC1),
                failed(requests.get(1), DiscoveryFailureReason.VMA_ERROR, message),
                discovered(requests.get(2), WEB01, VC1),
                discovered(requests.get(3), PGTEST1, VC1));
        assertThat(publisher.correlationIdsOf("id-pgtest1"))
                .containsExactly(requests.get(0).getCorrelationId(), requests.get(3).getCorrelationId());
        assertThat(outcomeCounts()).isEqualTo(Map.of("DISCOVERED", 3.0, "VMA_ERROR", 1.0));
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void aSharedCallPastItsDeadlineIsAskedAgainNameByNameAndOnlyTheSlowVmTimesOut() throws Exception {
        // given: the VMA never answers a call that finds pgtest2; a short deadline
        FakeVma vma = FakeVma.answering(PGTEST1, PGTEST2, WEB01).silentFor("pgtest2");
        InFlightLimit limit = new InFlightLimit(4);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                request(PGTEST2, VC1, "DemoDC"),
                request(WEB01, VC1, "DemoDC"));

        // when
        batch(vma, limit, 50, Duration.ofMillis(100)).answer(requests);

        // then
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2,web-01", "pgtest1", "pgtest2", "web-01");
        assertThat(publisher.sent()).containsExactlyInAnyOrder(
                discovered(requests.get(0), PGTEST1, VC1),
                failed(requests.get(1), DiscoveryFailureReason.TIMEOUT,
                        "the VMA did not answer discovery of VM 'pgtest2' within 100 ms"),
                discovered(requests.get(2), WEB01, VC1));
        assertThat(outcomeCounts()).isEqualTo(Map.of("DISCOVERED", 2.0, "TIMEOUT", 1.0));
        assertThat(limit.inFlight()).isZero();
    }

    static Stream<Arguments> failuresOfEveryName() {
        return Stream.of(
                Arguments.of(new VmaException(VmaException.Kind.UNREACHABLE, 0,
                        "VMA POST /api/v1/discover: VMA unreachable at http://vma.invalid", new ConnectException()),
                        DiscoveryFailureReason.VMA_UNREACHABLE, " failed, the VMA is unreachable:"
                                + " VMA POST /api/v1/discover: VMA unreachable at http://vma.invalid"),
                Arguments.of(new VmaException(VmaException.Kind.HTTP_ERROR, 401,
                        "VMA POST /api/v1/discover answered HTTP 401: vCenter login refused", null),
                        DiscoveryFailureReason.VMA_ERROR, " failed, the VMA answered HTTP 401:"
                                + " VMA POST /api/v1/discover answered HTTP 401: vCenter login refused"));
    }

    @ParameterizedTest
    @MethodSource("failuresOfEveryName")
    void anUnreachableVmaOrARefusedLoginFailsEveryRequestOfTheSharedCallAtOnce(Throwable failure,
            DiscoveryFailureReason reason, String why) throws Exception {
        // given
        FakeVma vma = FakeVma.failing(failure);
        InFlightLimit limit = new InFlightLimit(4);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                request(PGTEST2, VC1, "DemoDC"),
                request(PGTEST1, VC1, "DemoDC"));

        // when
        batch(vma, limit, 50).answer(requests);

        // then: one call, not asked again
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2");
        assertThat(publisher.sent()).containsExactlyInAnyOrder(
                failed(requests.get(0), reason, "discovery of VM 'pgtest1'" + why),
                failed(requests.get(1), reason, "discovery of VM 'pgtest2'" + why),
                failed(requests.get(2), reason, "discovery of VM 'pgtest1'" + why));
        assertThat(outcomeCounts()).isEqualTo(Map.of(reason.name(), 3.0));
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void eachCallAskedAgainTakesASlotOfItsOwnAfterTheSharedCallGaveItsBackAndGoesBeforeTheCallsNotYetMade()
            throws Exception {
        // given: one slot; a call for vc-01 (pgtest1, pgtest2) and one for vc-02 (web-01), answered by the test
        FakeVma vma = FakeVma.holding(PGTEST1, PGTEST2, WEB01);
        InFlightLimit limit = new InFlightLimit(1);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                request(PGTEST2, VC1, "DemoDC"),
                request(WEB01, VC2, "DemoDC"));
        Answering answering = new Answering(batch(vma, limit, 50), requests);
        answering.start();
        Awaitility.await("the batch waits for a slot").atMost(WAIT)
                .until(() -> vma.calls().size() == 1 && answering.thread.getState() == Thread.State.WAITING);

        // when: the shared call fails
        vma.fail(vma.calls().get(0), new VmaException(VmaException.Kind.HTTP_ERROR, 500, "ServerFaultCode", null));
        Awaitility.await("the first call of its own").atMost(WAIT)
                .until(() -> vma.calls().size() == 2 && answering.thread.getState() == Thread.State.WAITING);

        // then: pgtest1 is asked alone in the freed slot, before vc-02's call; nothing is answered yet
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2", "pgtest1");
        assertThat(limit.inFlight()).isEqualTo(1);
        assertThat(publisher.sent()).isEmpty();

        // when
        vma.answer(vma.calls().get(1));
        Awaitility.await("the second call of its own").atMost(WAIT).until(() -> vma.calls().size() == 3);

        // then
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2", "pgtest1", "pgtest2");
        assertThat(publisher.sent()).containsExactly(discovered(requests.get(0), PGTEST1, VC1));
        assertThat(limit.inFlight()).isEqualTo(1);

        // when
        vma.answer(vma.calls().get(2));
        Awaitility.await("vc-02's call").atMost(WAIT).until(() -> vma.calls().size() == 4);
        vma.answer(vma.calls().get(3));
        answering.awaitDone();

        // then
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2", "pgtest1", "pgtest2", "web-01");
        assertThat(publisher.sent()).containsExactly(
                discovered(requests.get(0), PGTEST1, VC1),
                discovered(requests.get(1), PGTEST2, VC1),
                discovered(requests.get(2), WEB01, VC2));
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void aNameWithACommaIsDiscoveredInACallOfItsOwn() throws Exception {
        // given: "db,prod" as a filter finds every VM whose name contains "db" or "prod"
        VmaDtos.Vm dbProd = vm("db,prod");
        VmaDtos.Vm db01 = vm("db-01");
        FakeVma vma = FakeVma.answering(db01, dbProd, vm("prod-02"), PGTEST1);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                request(dbProd, VC1, "DemoDC"),
                request(db01, VC1, "DemoDC"));

        // when
        batch(vma, new InFlightLimit(4), 50).answer(requests);

        // then: its exact name is picked from its own call's answer
        assertThat(vma.filters()).containsExactly("pgtest1,db-01", "db,prod");
        assertThat(publisher.sent()).containsExactlyInAnyOrder(
                discovered(requests.get(0), PGTEST1, VC1),
                discovered(requests.get(1), dbProd, VC1),
                discovered(requests.get(2), db01, VC1));
    }

    @Test
    void eachCallHoldsOneSlotUntilItsAnswerAndItsOutcomesAreSentAtOnce() throws Exception {
        // given: one slot; two calls (vc-01: pgtest1 and pgtest10, vc-02: pgtest2) that wait for the test
        FakeVma vma = FakeVma.holding(PGTEST1, PGTEST10, PGTEST2);
        InFlightLimit limit = new InFlightLimit(1);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                request(PGTEST2, VC2, "DemoDC"),
                request(PGTEST10, VC1, "DemoDC"));
        Answering answering = new Answering(batch(vma, limit, 50), requests);

        // when: the first call is made, and the batch waits for the slot
        answering.start();
        Awaitility.await("the batch waits for a slot").atMost(WAIT)
                .until(() -> vma.calls().size() == 1 && answering.thread.getState() == Thread.State.WAITING);

        // then
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest10");
        assertThat(limit.inFlight()).isEqualTo(1);
        assertThat(publisher.sent()).isEmpty();

        // when: the first call is answered
        vma.answer(vma.calls().get(0));
        Awaitility.await("the second call").atMost(WAIT).until(() -> vma.calls().size() == 2);

        // then: its outcomes are out, the second call has the slot
        assertThat(publisher.sent()).containsExactlyInAnyOrder(
                discovered(requests.get(0), PGTEST1, VC1),
                discovered(requests.get(2), PGTEST10, VC1));
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest10", "pgtest2");
        assertThat(limit.inFlight()).isEqualTo(1);

        // when
        vma.answer(vma.calls().get(1));
        answering.awaitDone();

        // then
        assertThat(publisher.sent()).hasSize(3).contains(discovered(requests.get(1), PGTEST2, VC2));
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void theOutcomesOfOneVmAreSentInTheOrderOfItsRequestsWhenALaterCallAnswersFirst() throws Exception {
        // given: pgtest1 asked on vc-01 (first call), then on vc-02 with pgtest2 (second call)
        FakeVma vma = FakeVma.holding(PGTEST1, PGTEST2);
        List<ReplicationRequested> requests = List.of(
                request(PGTEST1, VC1, "DemoDC"),
                request(PGTEST2, VC2, "DemoDC"),
                request(PGTEST1, VC2, "DemoDC"));
        Answering answering = new Answering(batch(vma, new InFlightLimit(2), 50), requests);
        answering.start();
        Awaitility.await("both calls").atMost(WAIT).until(() -> vma.calls().size() == 2);

        // when: the second call answers first
        vma.answer(vma.calls().get(1));

        // then: pgtest2's outcome is out, pgtest1's second waits for its first
        assertThat(vma.filters()).containsExactly("pgtest1", "pgtest2,pgtest1");
        assertThat(publisher.sent()).containsExactly(discovered(requests.get(1), PGTEST2, VC2));

        // when
        vma.answer(vma.calls().get(0));
        answering.awaitDone();

        // then
        assertThat(publisher.sent()).containsExactly(
                discovered(requests.get(1), PGTEST2, VC2),
                discovered(requests.get(0), PGTEST1, VC1),
                discovered(requests.get(2), PGTEST1, VC2));
    }

    private BatchDiscovery batch(FakeVma vma, InFlightLimit limit, int maxNamesPerCall) {
        return batch(vma, limit, maxNamesPerCall, DEADLINE);
    }

    private BatchDiscovery batch(FakeVma vma, InFlightLimit limit, int maxNamesPerCall, Duration deadline) {
        Discoverer discoverer = new Discoverer(vma, CREDENTIALS, deadline, Runnable::run,
                Clock.fixed(NOW, ZoneOffset.UTC));
        return new BatchDiscovery(discoverer, publisher, Runnable::run, limit,
                new DiscoveryMetrics(meters, limit::inFlight), PUBLISH_TIMEOUT, maxNamesPerCall);
    }

    private Map<String, Double> outcomeCounts() {
        return meters.get(DiscoveryMetrics.OUTCOMES).counters().stream()
                .collect(Collectors.toMap(c -> c.getId().getTag("outcome"), c -> c.count()));
    }

    private static VmaDtos.Vm vm(String name) {
        return VmaVms.vm("id-" + name, name, List.of(VmaVms.disk("disk-2000", 0)));
    }

    private static ReplicationRequested request(VmaDtos.Vm vm, String vcenter, String datacenter) {
        return Requests.request(vm.id(), vm.name(), vcenter, datacenter);
    }

    /** The VmDiscovered the request must get, with the event id and call time it was sent with. */
    private Sent discovered(ReplicationRequested request, VmaDtos.Vm vm, String vcenter) {
        VmDiscovered sent = (VmDiscovered) publisher.sentFor(request);
        return new Sent(Topics.VM_DISCOVERED.name(), request.getVmwareVmId(), VmDiscovered.newBuilder()
                .setEventId(sent == null ? "none sent" : sent.getEventId())
                .setOccurredAt(NOW)
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(request.getVmwareVmId())
                .setRequest(request.getRequest())
                .setVm(DiscoveredVmMapper.map(vm, new VmaDtos.VcenterInfo(vcenter, "DemoDC"),
                        DiscoveryTarget.of(request.getRequest())))
                .setDiscoveryMs(sent == null ? -1 : sent.getDiscoveryMs())
                .build());
    }

    /** The DiscoveryFailed the request must get, with the event id it was sent with. */
    private Sent failed(ReplicationRequested request, DiscoveryFailureReason reason, String message) {
        SpecificRecord sent = publisher.sentFor(request);
        return new Sent(Topics.DISCOVERY_FAILED.name(), request.getVmwareVmId(), DiscoveryFailed.newBuilder()
                .setEventId(sent instanceof DiscoveryFailed f ? f.getEventId() : "none sent")
                .setOccurredAt(NOW)
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(request.getVmwareVmId())
                .setVmName(request.getRequest().getSourceVm().getName())
                .setReason(reason)
                .setMessage(message)
                .setFailoverId(request.getRequest().getFailoverId())
                .build());
    }

    /** One event handed to the publisher. */
    record Sent(String topic, String key, SpecificRecord event) {
    }

    /** Records what it is asked to send and acknowledges it at once; no broker. */
    private static final class RecordingPublisher extends EventPublisher {
        private final List<Sent> sent = new CopyOnWriteArrayList<>();

        RecordingPublisher() {
            super(null);
        }

        @Override
        public <V extends SpecificRecord> CompletableFuture<SendResult<String, SpecificRecord>> publish(
                Topic<V> topic, String vmwareVmId, V event) {
            sent.add(new Sent(topic.name(), vmwareVmId, event));
            return CompletableFuture.completedFuture(
                    new SendResult<>(new ProducerRecord<>(topic.name(), vmwareVmId, event), null));
        }

        List<Sent> sent() {
            return List.copyOf(sent);
        }

        /** The event sent for the request (its correlation id), or null. */
        SpecificRecord sentFor(ReplicationRequested request) {
            return sent.stream().map(Sent::event).filter(e -> correlationId(e).equals(request.getCorrelationId()))
                    .findFirst().orElse(null);
        }

        /** The correlation ids of the events sent for the VM, in the order they were sent. */
        List<String> correlationIdsOf(String vmwareVmId) {
            return sent.stream().filter(s -> s.key().equals(vmwareVmId)).map(s -> correlationId(s.event())).toList();
        }

        private static String correlationId(SpecificRecord event) {
            return event instanceof VmDiscovered d ? d.getCorrelationId()
                    : ((DiscoveryFailed) event).getCorrelationId();
        }
    }

    /** {@link BatchDiscovery#answer} on a thread of its own, for batches whose calls the test answers. */
    private static final class Answering {
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Answering(BatchDiscovery batch, List<ReplicationRequested> requests) {
            this.thread = new Thread(() -> {
                try {
                    batch.answer(requests);
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "answering-batch");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** Waits (bounded) until the batch is answered, and asserts it was answered without failure. */
        void awaitDone() throws InterruptedException {
            thread.join(WAIT.toMillis());
            assertThat(thread.isAlive()).as("the batch is still being answered").isFalse();
            assertThat(failure.get()).isNull();
        }
    }
}
