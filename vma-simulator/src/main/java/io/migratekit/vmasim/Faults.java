package io.migratekit.vmasim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fault registry of one simulator: per-VM faults keyed by BIOS UUID or VM name
 * (case-insensitive) and the global faults.
 *
 * <p>Owns registration, clearing and the merge of a VM's id- and name-keyed entries into the
 * effective faults for that VM. It does not apply faults. A fault registered under a name applies
 * to every VM with that name, including VMs added later.
 */
public final class Faults {

    private final ConcurrentHashMap<String, VmFaults> byKey = new ConcurrentHashMap<>();
    private final GlobalFaults global = new GlobalFaults();

    Faults() {
    }

    /** The faults of the VM with this BIOS UUID or name, created (all off) on first use. */
    public VmFaults forVm(String idOrName) {
        String key = normalize(idOrName);
        return byKey.computeIfAbsent(key, VmFaults::new);
    }

    /** The faults registered under this id or name, if any (nothing is created). */
    public Optional<VmFaults> find(String idOrName) {
        return Optional.ofNullable(byKey.get(normalize(idOrName)));
    }

    /** The faults of a VM, registered under its BIOS UUID. */
    public VmFaults forVm(SimVm vm) {
        return forVm(vm.id());
    }

    /** The global faults. */
    public GlobalFaults global() {
        return global;
    }

    /** Removes the faults registered under this id or name; returns whether there were any. */
    public boolean clear(String idOrName) {
        return byKey.remove(normalize(idOrName)) != null;
    }

    /** Removes every per-VM fault and switches the global faults off. */
    public void clear() {
        byKey.clear();
        global.clear();
    }

    /** The faults that apply to a VM: its id-keyed and name-keyed entries merged. */
    Effective of(SimVm vm) {
        if (byKey.isEmpty()) {
            return Effective.NONE;
        }
        VmFaults a = byKey.get(vm.id());
        VmFaults b = byKey.get(vm.name().toLowerCase(Locale.ROOT));
        if (a == null && b == null) {
            return Effective.NONE;
        }
        if (a == null || b == null) {
            return Effective.of(a != null ? a : b);
        }
        return Effective.of(a).merge(Effective.of(b));
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.set("global", global.toJson());
        ArrayNode vms = o.putArray("vms");
        List<VmFaults> entries = new ArrayList<>(byKey.values());
        entries.sort((x, y) -> x.key().compareTo(y.key()));
        for (VmFaults f : entries) {
            vms.add(f.toJson());
        }
        return o;
    }

    private static String normalize(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw new IllegalArgumentException("a VM id or name is required");
        }
        return idOrName.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * An immutable view of the faults that apply to one VM at one moment: flags OR-ed, delays the
     * longer, thresholds the lower, power failures the first set.
     */
    record Effective(
            Duration discoveryDelay,
            boolean discoveryError,
            double failCopyAtPercent,
            double stallCopyAtPercent,
            boolean progressNotFound,
            boolean vanished,
            boolean replicateError,
            Set<VmaCall> malformedJson,
            Duration replicateDelay,
            PowerFailure powerOffFailure,
            PowerFailure powerOnFailure,
            Duration responseDelay) {

        static final Effective NONE = new Effective(Duration.ZERO, false, -1, -1, false, false, false, Set.of(), Duration.ZERO,
                PowerFailure.NONE, PowerFailure.NONE, Duration.ZERO);

        static Effective of(VmFaults f) {
            return new Effective(f.discoveryDelay(), f.discoveryError(), f.failCopyAtPercent(), f.stallCopyAtPercent(),
                    f.progressNotFound(), f.vanishAfterDiscovery(), f.replicateError(), f.malformedJson(), f.replicateDelay(),
                    f.powerOffFailure(),
                    f.powerOnFailure(), f.responseDelay());
        }

        Effective merge(Effective o) {
            return new Effective(max(discoveryDelay, o.discoveryDelay), discoveryError || o.discoveryError,
                    minThreshold(failCopyAtPercent, o.failCopyAtPercent), minThreshold(stallCopyAtPercent, o.stallCopyAtPercent),
                    progressNotFound || o.progressNotFound, vanished || o.vanished, replicateError || o.replicateError,
                    union(malformedJson, o.malformedJson), max(replicateDelay, o.replicateDelay),
                    powerOffFailure != PowerFailure.NONE ? powerOffFailure : o.powerOffFailure,
                    powerOnFailure != PowerFailure.NONE ? powerOnFailure : o.powerOnFailure,
                    max(responseDelay, o.responseDelay));
        }

        private static Set<VmaCall> union(Set<VmaCall> a, Set<VmaCall> b) {
            Set<VmaCall> all = EnumSet.noneOf(VmaCall.class);
            all.addAll(a);
            all.addAll(b);
            return Set.copyOf(all);
        }

        private static Duration max(Duration a, Duration b) {
            return a.compareTo(b) >= 0 ? a : b;
        }

        private static double minThreshold(double a, double b) {
            if (a < 0) {
                return b;
            }
            if (b < 0) {
                return a;
            }
            return Math.min(a, b);
        }
    }
}
