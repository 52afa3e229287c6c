package io.migratekit.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.DiscoveryFailureReason;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.events.VmDiscovered;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaDtos;
import io.migratekit.vma.VmaException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiscovererTest {

    private static final String VCENTER = "vc-01.example";
    private static final String USER = "svc-discovery@vsphere.test";
    private static final String PASSWORD = "only-a-test-password";
    private static final VcenterCredentials.Login LOGIN = new VcenterCredentials.Login(VCENTER, USER, PASSWORD);
    private static final VcenterCredentials CREDENTIALS = new VcenterCredentials(List.of(LOGIN), null);
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final Instant NOW = Instant.parse("2025-09-23T10:15:00Z");

    private static final VmaDtos.Vm PGTEST1 = VmaVms.vm("id-pgtest1", "pgtest1", List.of(VmaVms.disk("disk-2000", 0)));
    private static final VmaDtos.Vm PGTEST10 =
            VmaVms.vm("id-pgtest10", "pgtest10", List.of(VmaVms.disk("disk-2000", 0)));
    private static final VmaDtos.Vm PGTEST2 = VmaVms.vm("id-pgtest2", "pgtest2", List.of());
    private static final VmaDtos.Vm WEB01 = VmaVms.vm("id-web-01", "web-01", List.of(VmaVms.disk("disk-2000", 0)));

    @Test
    void theRequestsOfOneCallAreEachJudgedAsIfAskedAlone() {
        // given: found, without disks, nowhere, only as a substring of another name, found among substring matches
        FakeVma vma = FakeVma.answering(PGTEST1, PGTEST10, PGTEST2, WEB01);
        Discoverer discoverer = discoverer(vma, DEADLINE);
        List<ReplicationRequested> requests = List.of(
                Requests.request("id-pgtest1", "pgtest1", VCENTER, "DemoDC"),
                Requests.request("id-pgtest2", "pgtest2", VCENTER, "DemoDC"),
                Requests.request("id-ghost", "ghost", VCENTER, "DemoDC"),
                Requests.request("id-web", "web", VCENTER, "DemoDC"),
                Requests.request("id-pgtest10", "pgtest10", VCENTER, "DemoDC"));
        DiscoveryCall call = onlyCall(discoverer, requests);

        // when
        List<DiscoveryOutcome> outcomes = answered(discoverer.discover(call).join());

        // then: one VMA call with the joined names; each request its own outcome, all with the call's time
        assertThat(vma.calls()).extracting(FakeVma.Call::login, FakeVma.Call::datacenter, FakeVma.Call::filter)
                .containsExactly(tuple(LOGIN, "DemoDC", "pgtest1,pgtest2,ghost,web,pgtest10"));
        VmaDtos.VcenterInfo vcenter = new VmaDtos.VcenterInfo(VCENTER, "DemoDC");
        long discoveryMs = outcomes.get(0).vmaTime().toMillis();
        assertThat(events(outcomes)).containsExactly(
                discovered(requests.get(0), outcomes.get(0), PGTEST1, vcenter, discoveryMs),
                failed(requests.get(1), outcomes.get(1), DiscoveryFailureReason.NO_DISKS,
                        "VM 'pgtest2' (id-pgtest2) has no disks configured; a VM without disks cannot be replicated"),
                failed(requests.get(2), outcomes.get(2), DiscoveryFailureReason.VM_NOT_FOUND,
                        "VM 'ghost' not found on vCenter vc-01.example in datacenter DemoDC (no VM name contains it)"),
                failed(requests.get(3), outcomes.get(3), DiscoveryFailureReason.VM_NOT_FOUND,
                        "VM 'web' not found on vCenter vc-01.example in datacenter DemoDC"
                                + " (VMs whose name contains it: web-01)"),
                discovered(requests.get(4), outcomes.get(4), PGTEST10, vcenter, discoveryMs));
        assertThat(outcomes).extracting(DiscoveryOutcome::vmaTime).containsOnly(outcomes.get(0).vmaTime());
        assertThat(outcomes).extracting(DiscoveryOutcome::request).containsExactlyElementsOf(requests);
    }

    static Stream<Arguments> failuresTheNamesCannotCause() {
        return Stream.of(
                Arguments.of(new VmaException(VmaException.Kind.UNREACHABLE, 0,
                        "VMA POST /api/v1/discover: VMA unreachable at http://vma.invalid/", new ConnectException()),
                        DiscoveryFailureReason.VMA_UNREACHABLE, "discovery of VM '%s' failed, the VMA is unreachable:"
                                + " VMA POST /api/v1/discover: VMA unreachable at http://vma.invalid/"),
                Arguments.of(new VmaException(VmaException.Kind.HTTP_ERROR, 401, "VMA POST /api/v1/discover answered"
                        + " HTTP 401: login " + USER + "/" + PASSWORD + " refused", null),
                        DiscoveryFailureReason.VMA_ERROR, "discovery of VM '%s' failed, the VMA answered HTTP 401:"
                                + " VMA POST /api/v1/discover answered HTTP 401: login <redacted>/<redacted> refused"),
                Arguments.of(new VmaException(VmaException.Kind.HTTP_ERROR, 403, "VMA POST /api/v1/discover answered"
                        + " HTTP 403: forbidden", null),
                        DiscoveryFailureReason.VMA_ERROR, "discovery of VM '%s' failed, the VMA answered HTTP 403:"
                                + " VMA POST /api/v1/discover answered HTTP 403: forbidden"));
    }

    @ParameterizedTest
    @MethodSource("failuresTheNamesCannotCause")
    void aSharedCallFailingTheSameWayForEveryNameFailsEachOfItsRequestsAtOnce(Throwable failure,
            DiscoveryFailureReason reason, String message) {
        // given
        FakeVma vma = FakeVma.failing(failure);
        Discoverer discoverer = discoverer(vma, DEADLINE);
        List<ReplicationRequested> requests = List.of(
                Requests.request("id-pgtest1", "pgtest1", VCENTER, "DemoDC"),
                Requests.request("id-pgtest2", "pgtest2", VCENTER, "DemoDC"));
        DiscoveryCall call = onlyCall(discoverer, requests);

        // when
        List<DiscoveryOutcome> outcomes = answered(discoverer.discover(call).join());

        // then
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2");
        assertThat(events(outcomes)).containsExactly(
                failed(requests.get(0), outcomes.get(0), reason, message.formatted("pgtest1")),
                failed(requests.get(1), outcomes.get(1), reason, message.formatted("pgtest2")));
    }

    static Stream<Arguments> failuresOneVmMayCause() {
        return Stream.of(
                Arguments.of(new VmaException(VmaException.Kind.HTTP_ERROR, 500, "VMA POST /api/v1/discover answered"
                        + " HTTP 500: login " + USER + "/" + PASSWORD + " refused", null),
                        DiscoveryFailureReason.VMA_ERROR, "discovery of VM '%s' failed, the VMA answered HTTP 500:"
                                + " VMA POST /api/v1/discover answered HTTP 500: login <redacted>/<redacted> refused"),
                Arguments.of(new VmaException(VmaException.Kind.BAD_RESPONSE, 200, "unexpected end of input", null),
                        DiscoveryFailureReason.VMA_ERROR,
                        "discovery of VM '%s' failed, the VMA's answer is unreadable: unexpected end of input"),
                Arguments.of(new VmaException(VmaException.Kind.TIMEOUT, 0, "no answer within PT15S", null),
                        DiscoveryFailureReason.TIMEOUT, "the VMA did not answer discovery of VM '%s' within 15 s"),
                Arguments.of(new IllegalStateException("boom"), DiscoveryFailureReason.UNKNOWN,
                        "discovery of VM '%s' failed inside discovery-service: IllegalStateException: boom"));
    }

    @ParameterizedTest
    @MethodSource("failuresOneVmMayCause")
    void aSharedCallFailingInAWayOneVmMayCauseHandsBackEachNameToBeAskedAlone(Throwable failure) {
        // given: pgtest1 asked twice
        AtomicLong ticker = new AtomicLong(1_000);
        Discoverer discoverer = discoverer(FakeVma.failing(failure), DEADLINE, ticker);
        List<ReplicationRequested> requests = List.of(
                Requests.request("id-pgtest1", "pgtest1", VCENTER, "DemoDC"),
                Requests.request("id-pgtest2", "pgtest2", VCENTER, "DemoDC"),
                Requests.request("id-pgtest1", "pgtest1", VCENTER, "DemoDC"));
        DiscoveryCall call = onlyCall(discoverer, requests);

        // when
        Discoverer.Answer answer = discoverer.discover(call).join();

        // then: no request judged; one call of its own per name, with the members asking for it
        assertThat(answer).isEqualTo(new Discoverer.Isolated(List.of(
                new Discoverer.Retry(new DiscoveryCall(LOGIN, "DemoDC",
                        List.of(call.members().get(0), call.members().get(2))), 1_000),
                new Discoverer.Retry(new DiscoveryCall(LOGIN, "DemoDC", List.of(call.members().get(1))), 1_000))));
    }

    @ParameterizedTest
    @MethodSource({"failuresOneVmMayCause", "failuresTheNamesCannotCause"})
    void aFailedCallOfOneNameFailsEachOfItsRequestsWithItsOwnClassifiedFailure(Throwable failure,
            DiscoveryFailureReason reason, String message) {
        // given: pgtest1 asked twice, the only name of its call
        FakeVma vma = FakeVma.failing(failure);
        Discoverer discoverer = discoverer(vma, DEADLINE);
        List<ReplicationRequested> requests = List.of(
                Requests.request("id-pgtest1", "pgtest1", VCENTER, "DemoDC"),
                Requests.request("id-pgtest1", "pgtest1", VCENTER, "DemoDC"));
        DiscoveryCall call = onlyCall(discoverer, requests);

        // when
        List<DiscoveryOutcome> outcomes = answered(discoverer.discover(call).join());
        List<DiscoveryOutcome> retried = discoverer.retry(new Discoverer.Retry(call, 0)).join();

        // then: the same, whether first asked or asked again alone
        assertThat(vma.filters()).containsExactly("pgtest1", "pgtest1");
        assertThat(events(outcomes)).containsExactly(
                failed(requests.get(0), outcomes.get(0), reason, message.formatted("pgtest1")),
                failed(requests.get(1), outcomes.get(1), reason, message.formatted("pgtest1")));
        assertThat(events(retried)).containsExactly(
                failed(requests.get(0), retried.get(0), reason, message.formatted("pgtest1")),
                failed(requests.get(1), retried.get(1), reason, message.formatted("pgtest1")));
    }

    @Test
    void eachNameAskedAgainAloneIsJudgedByItsOwnCallAndTimedFromTheSharedCallsStart() {
        // given: the VMA fails every call that finds pgtest2; the shared call starts at 1 s on the ticker
        FakeVma vma = FakeVma.holding(PGTEST1, PGTEST2, WEB01).failingFor("pgtest2",
                new VmaException(VmaException.Kind.HTTP_ERROR, 500, "failed to discover VMs: ServerFaultCode", null));
        AtomicLong ticker = new AtomicLong(Duration.ofSeconds(1).toNanos());
        Discoverer discoverer = discoverer(vma, DEADLINE, ticker);
        List<ReplicationRequested> requests = List.of(
                Requests.request("id-pgtest1", "pgtest1", VCENTER, "DemoDC"),
                Requests.request("id-pgtest2", "pgtest2", VCENTER, "DemoDC"),
                Requests.request("id-web-01", "web-01", VCENTER, "DemoDC"));
        Discoverer.Isolated isolated = (Discoverer.Isolated) discoverer.discover(onlyCall(discoverer, requests)).join();

        // when: each name asked alone and answered 1, 2 and 3 s after the shared call started
        List<DiscoveryOutcome> outcomes = new ArrayList<>();
        for (Discoverer.Retry retry : isolated.retries()) {
            ticker.addAndGet(Duration.ofSeconds(1).toNanos());
            CompletableFuture<List<DiscoveryOutcome>> answered = discoverer.retry(retry);
            FakeVma.Call last = vma.calls().get(vma.calls().size() - 1);
            if (!last.answer().isDone()) {
                vma.answer(last);
            }
            outcomes.addAll(answered.join());
        }

        // then: one call per name after the shared one; only pgtest2 failed; the time runs from the shared call
        VmaDtos.VcenterInfo vcenter = new VmaDtos.VcenterInfo(VCENTER, "DemoDC");
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2,web-01", "pgtest1", "pgtest2", "web-01");
        assertThat(events(outcomes)).containsExactly(
                discovered(requests.get(0), outcomes.get(0), PGTEST1, vcenter, 1_000),
                failed(requests.get(1), outcomes.get(1), DiscoveryFailureReason.VMA_ERROR, "discovery of VM"
                        + " 'pgtest2' failed, the VMA answered HTTP 500: failed to discover VMs: ServerFaultCode"),
                discovered(requests.get(2), outcomes.get(2), WEB01, vcenter, 3_000));
        assertThat(outcomes).extracting(DiscoveryOutcome::vmaTime)
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void aSharedCallUnansweredAtTheDeadlineHandsBackEachNameAndACallOfOneNameIsTimeout() {
        // given: a VMA that never answers, a short deadline
        FakeVma vma = FakeVma.holding(PGTEST1, PGTEST2);
        Discoverer discoverer = discoverer(vma, Duration.ofMillis(50));
        List<ReplicationRequested> requests = List.of(
                Requests.request("id-pgtest1", "pgtest1", VCENTER, "DemoDC"),
                Requests.request("id-pgtest2", "pgtest2", VCENTER, "DemoDC"));
        DiscoveryCall call = onlyCall(discoverer, requests);

        // when
        Discoverer.Isolated isolated = (Discoverer.Isolated) discoverer.discover(call).join();
        List<DiscoveryOutcome> outcomes = isolated.retries().stream()
                .flatMap(retry -> discoverer.retry(retry).join().stream()).toList();

        // then
        assertThat(isolated.retries()).extracting(Discoverer.Retry::call).containsExactlyElementsOf(call.perName());
        assertThat(vma.filters()).containsExactly("pgtest1,pgtest2", "pgtest1", "pgtest2");
        assertThat(events(outcomes)).containsExactly(
                failed(requests.get(0), outcomes.get(0), DiscoveryFailureReason.TIMEOUT,
                        "the VMA did not answer discovery of VM 'pgtest1' within 50 ms"),
                failed(requests.get(1), outcomes.get(1), DiscoveryFailureReason.TIMEOUT,
                        "the VMA did not answer discovery of VM 'pgtest2' within 50 ms"));
    }

    @Test
    void aRequestWithoutVcenterOrLoginIsRefusedAtOnceAndTheFallbackLoginIsToldTheRequestsVcenter() {
        // given: a fallback login without a host
        Discoverer discoverer = new Discoverer(FakeVma.answering(), new VcenterCredentials(List.of(LOGIN),
                new VcenterCredentials.Login(null, "fallback-user", "fallback-password")), DEADLINE, Runnable::run,
                Clock.fixed(NOW, ZoneOffset.UTC));
        Discoverer withoutFallback = discoverer(FakeVma.answering(), DEADLINE);
        ReplicationRequested noVcenter = Requests.request("id-1", "pgtest1", null, "DemoDC");
        ReplicationRequested unknownVcenter = Requests.request("id-2", "pgtest2", "vc-unknown.example", null);
        ReplicationRequested otherVcenter = Requests.request("id-3", "pgtest3", "vc-other.example", "DemoDC");

        // when
        Discoverer.Prepared refusedForHost = discoverer.prepare(0, noVcenter);
        Discoverer.Prepared refusedForLogin = withoutFallback.prepare(1, unknownVcenter);
        Discoverer.Prepared ready = discoverer.prepare(2, otherVcenter);

        // then
        DiscoveryOutcome noHost = ((Discoverer.Refused) refusedForHost).outcome();
        DiscoveryOutcome noLogin = ((Discoverer.Refused) refusedForLogin).outcome();
        assertThat(events(List.of(noHost, noLogin))).containsExactly(
                failed(noVcenter, noHost, DiscoveryFailureReason.NO_VCENTER_HOST, "no vCenter host given for VM 'pgtest1'"
                        + " (request vcenter_host and source_vm.vcenter_host are empty)"),
                failed(unknownVcenter, noLogin, DiscoveryFailureReason.NO_VCENTER_LOGIN,
                        "no vCenter credentials configured for vc-unknown.example" + "; name a vCenter this appliance has a login for"));
        assertThat(List.of(noHost.vmaTime(), noLogin.vmaTime())).containsOnly(Duration.ZERO);
        assertThat(ready).isEqualTo(new Discoverer.Ready(new DiscoveryCall.Member(2, otherVcenter,
                new DiscoveryTarget("id-3", "pgtest3", "vc-other.example", "DemoDC"),
                new VcenterCredentials.Login("vc-other.example", "fallback-user", "fallback-password"))));
    }

    private static Discoverer discoverer(FakeVma vma, Duration deadline) {
        return new Discoverer(vma, CREDENTIALS, deadline, Runnable::run, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Discoverer discoverer(FakeVma vma, Duration deadline, AtomicLong ticker) {
        return new Discoverer(vma, CREDENTIALS, deadline, Runnable::run, Clock.fixed(NOW, ZoneOffset.UTC),
                ticker::get);
    }

    /** The outcomes of a call that was answered, not handed back. */
    private static List<DiscoveryOutcome> answered(Discoverer.Answer answer) {
        assertThat(answer).isInstanceOf(Discoverer.Answered.class);
        return ((Discoverer.Answered) answer).outcomes();
    }

    /** The requests' members, cut into calls: there must be exactly one. */
    private static DiscoveryCall onlyCall(Discoverer discoverer, List<ReplicationRequested> requests) {
        List<DiscoveryCall.Member> members = new ArrayList<>();
        for (ReplicationRequested request : requests) {
            members.add(((Discoverer.Ready) discoverer.prepare(members.size(), request)).member());
        }
        List<DiscoveryCall> calls = DiscoveryCall.plan(members, 50);
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    private static List<SpecificRecord> events(List<DiscoveryOutcome> outcomes) {
        return outcomes.stream().map(DiscoveryOutcome::event).toList();
    }

    private static VmDiscovered discovered(ReplicationRequested request, DiscoveryOutcome outcome, VmaDtos.Vm vm,
            VmaDtos.VcenterInfo vcenter, long discoveryMs) {
        return VmDiscovered.newBuilder()
                .setEventId(outcome.event() instanceof VmDiscovered d ? d.getEventId() : "not discovered")
                .setOccurredAt(NOW)
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(request.getVmwareVmId())
                .setRequest(request.getRequest())
                .setVm(DiscoveredVmMapper.map(vm, vcenter, DiscoveryTarget.of(request.getRequest())))
                .setDiscoveryMs(discoveryMs)
                .build();
    }

    private static DiscoveryFailed failed(ReplicationRequested request, DiscoveryOutcome outcome,
            DiscoveryFailureReason reason, String message) {
        return DiscoveryFailed.newBuilder()
                .setEventId(outcome.event() instanceof DiscoveryFailed f ? f.getEventId() : "not failed")
                .setOccurredAt(NOW)
                .setCorrelationId(request.getCorrelationId())
                .setVmwareVmId(request.getVmwareVmId())
                .setVmName(request.getRequest().getSourceVm().getName())
                .setReason(reason)
                .setMessage(message)
                .setFailoverId(request.getRequest().getFailoverId())
                .build();
    }
}
