package io.migratekit.discovery;

import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import io.migratekit.vma.VmaDtos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The VMA's discovery as its contract defines it, for unit tests: the filter's comma-separated terms,
 * trimmed, each a case-insensitive substring of the names it finds (a blank filter finds every VM), over
 * the VMs it was given, of the datacenter asked for (any when none). Records every call and answers it
 * at once, fails it at once, or leaves it to the test to answer. Like the VMA, it can fail or never
 * answer every call whose filter finds one given VM (a fault in that VM's data, a vCenter slow on
 * it). Never opens a connection.
 */
final class FakeVma extends VmaClient {

    /** One discover call as it reached the VMA, and its answer. */
    record Call(VcenterCredentials.Login login, String datacenter, String filter,
            CompletableFuture<VmaDtos.DiscoverResponse> answer) {
    }

    private final List<VmaDtos.Vm> vms;
    private final boolean answerAtOnce;
    private final Throwable failure;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Throwable> failingVms = new ConcurrentHashMap<>();
    private final Set<String> silentVms = ConcurrentHashMap.newKeySet();

    private FakeVma(List<VmaDtos.Vm> vms, boolean answerAtOnce, Throwable failure) {
        super("http://vma.invalid", null);
        this.vms = vms;
        this.answerAtOnce = answerAtOnce;
        this.failure = failure;
    }

    /** A VMA that answers every call at once. */
    static FakeVma answering(VmaDtos.Vm... vms) {
        return new FakeVma(List.of(vms), true, null);
    }

    /** A VMA whose calls wait until the test answers them ({@link #answer}). */
    static FakeVma holding(VmaDtos.Vm... vms) {
        return new FakeVma(List.of(vms), false, null);
    }

    /** A VMA that fails every call at once. */
    static FakeVma failing(Throwable failure) {
        return new FakeVma(List.of(), false, failure);
    }

    /** Every call whose filter finds the VM fails with the failure (at once). */
    FakeVma failingFor(String vmName, Throwable vmFailure) {
        failingVms.put(vmName, vmFailure);
        return this;
    }

    /** Every call whose filter finds the VM is never answered. */
    FakeVma silentFor(String vmName) {
        silentVms.add(vmName);
        return this;
    }

    @Override
    public CompletableFuture<VmaDtos.DiscoverResponse> discover(VcenterCredentials.Login login, String datacenter,
            String filter, Duration deadline) {
        Call call = new Call(login, datacenter, filter, new CompletableFuture<>());
        calls.add(call);
        List<String> found = search(login, datacenter, filter).vms().stream().map(VmaDtos.Vm::name).toList();
        Throwable vmFailure = found.stream().map(failingVms::get).filter(Objects::nonNull).findFirst().orElse(null);
        if (failure != null) {
            call.answer().completeExceptionally(failure);
        } else if (found.stream().anyMatch(silentVms::contains)) {
            return call.answer();
        } else if (vmFailure != null) {
            call.answer().completeExceptionally(vmFailure);
        } else if (answerAtOnce) {
            answer(call);
        }
        return call.answer();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Every call's filter, in the order the calls came. */
    List<String> filters() {
        return calls.stream().map(Call::filter).toList();
    }

    /** Fails the call. */
    void fail(Call call, Throwable callFailure) {
        call.answer().completeExceptionally(callFailure);
    }

    /** Answers the call with the VMs its filter finds. */
    void answer(Call call) {
        call.answer().complete(search(call.login(), call.datacenter(), call.filter()));
    }

    private VmaDtos.DiscoverResponse search(VcenterCredentials.Login login, String datacenter, String filter) {
        List<String> terms = new ArrayList<>();
        for (String term : filter == null ? new String[0] : filter.split(",")) {
            if (!term.trim().isEmpty()) {
                terms.add(term.trim().toLowerCase(Locale.ROOT));
            }
        }
        boolean anyDatacenter = datacenter == null || datacenter.isBlank();
        List<VmaDtos.Vm> found = vms.stream()
                .filter(vm -> anyDatacenter || vm.datacenter().equalsIgnoreCase(datacenter))
                .filter(vm -> terms.isEmpty() || terms.stream().anyMatch(t -> vm.name().toLowerCase(Locale.ROOT)
                        .contains(t)))
                .toList();
        return new VmaDtos.DiscoverResponse(
                new VmaDtos.VcenterInfo(login.vcenterHost(), anyDatacenter ? "DemoDC" : datacenter), found);
    }
}
