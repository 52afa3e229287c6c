package io.migratekit.discovery;

import io.migratekit.events.ReplicationRequested;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaDtos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One VMA discover call that serves several requests of a batch, and how a batch is cut into such
 * calls. The VMA's filter is a comma-separated list of terms, each matched case-insensitively as a
 * substring of VM names, so one call finds many VMs: requests with the same discovery target (the
 * same login chosen from configuration, vCenter host included, and the same datacenter) share a
 * call whose filter is their distinct VM names joined by commas, at most {@code maxNames} names per
 * call. Owns that grouping, its inverse (the part of a shared answer that a request's own name as
 * filter would have listed) and the split of a call into calls of one name each. Does not call the
 * VMA, does not judge its answer and does not decide when a call is split (see {@link Discoverer},
 * {@link DiscoveryRules}).
 *
 * @param login      the login every member's vCenter was given, host included
 * @param datacenter the datacenter every member searches, or null for any
 * @param members    the requests the call answers, in batch order
 */
public record DiscoveryCall(VcenterCredentials.Login login, String datacenter, List<Member> members) {

    /**
     * One request's place in a call.
     *
     * @param index   the request's position in its batch
     * @param request the request
     * @param target  what it asks discovery to find
     * @param login   the login chosen for its vCenter
     */
    public record Member(int index, ReplicationRequested request, DiscoveryTarget target,
            VcenterCredentials.Login login) {
    }

    /** The call's filter: its distinct VM names joined by commas (a single name as it is). */
    public String filter() {
        List<String> names = names();
        return names.size() == 1 ? names.get(0) : String.join(",", names);
    }

    /** The distinct VM names asked for, in the order of their first request. */
    public List<String> names() {
        return members.stream().map(m -> m.target().vmName()).distinct().toList();
    }

    /**
     * This call cut into calls of one name each, in the order of {@link #names()}: each with the
     * members asking for its name, in this call's order. How a failed shared call is asked again.
     */
    public List<DiscoveryCall> perName() {
        return names().stream().map(name -> new DiscoveryCall(login, datacenter,
                members.stream().filter(m -> m.target().vmName().equals(name)).toList())).toList();
    }

    /**
     * Cuts requests into calls, in the order of each call's first request. A name that is not
     * exactly one term of a joined filter gets a call of its own, with the name as the whole
     * filter, exactly as it was always asked: a comma would split it into several terms (they
     * still find the VM, and the exact-name match picks it), and the VMA trims every term and
     * drops empty ones (a blank filter lists every VM).
     */
    public static List<DiscoveryCall> plan(List<Member> members, int maxNames) {
        List<Forming> calls = new ArrayList<>();
        Map<Where, Forming> open = new HashMap<>();
        Map<Asked, Forming> callOfName = new HashMap<>();
        for (Member member : members) {
            Where where = new Where(member.login(), member.target().datacenter());
            String name = member.target().vmName();
            Forming call = callOfName.get(new Asked(where, name));
            if (call == null) {
                if (joinable(name)) {
                    call = open.get(where);
                    if (call == null || call.names.size() >= maxNames) {
                        call = new Forming();
                        calls.add(call);
                        open.put(where, call);
                    }
                } else {
                    call = new Forming();
                    calls.add(call);
                }
                callOfName.put(new Asked(where, name), call);
            }
            call.names.add(name);
            call.members.add(member);
        }
        return calls.stream().map(Forming::call).toList();
    }

    /**
     * The part of this call's answer that the member's own name as filter would have listed: the
     * whole answer when the call asked for that name only, else the VMs whose name contains it
     * (case-insensitively, as the VMA compares) or is exactly it.
     */
    public VmaDtos.DiscoverResponse answerFor(VmaDtos.DiscoverResponse shared, DiscoveryTarget target) {
        if (names().size() == 1 || shared == null || shared.vms() == null) {
            return shared;
        }
        String name = target.vmName();
        String term = name.toLowerCase(Locale.ROOT);
        List<VmaDtos.Vm> listed = shared.vms().stream().filter(vm -> vm != null && vm.name() != null
                && (vm.name().equals(name) || vm.name().toLowerCase(Locale.ROOT).contains(term))).toList();
        return new VmaDtos.DiscoverResponse(shared.vcenter(), listed);
    }

    /** Whether the VMA reads the name back as exactly one filter term. */
    static boolean joinable(String name) {
        return name != null && !name.isEmpty() && name.indexOf(',') < 0
                && name.equals(name.strip()) && name.equals(name.trim());
    }

    /** Where a call looks: its login (vCenter host included) and datacenter. */
    private record Where(VcenterCredentials.Login login, String datacenter) {
    }

    /** A name asked for at one place. */
    private record Asked(Where where, String name) {
    }

    /** A call while the batch is being cut. */
    private static final class Forming {
        private final Set<String> names = new LinkedHashSet<>();
        private final List<Member> members = new ArrayList<>();

        DiscoveryCall call() {
            Member first = members.get(0);
            return new DiscoveryCall(first.login(), first.target().datacenter(), List.copyOf(members));
        }
    }
}
