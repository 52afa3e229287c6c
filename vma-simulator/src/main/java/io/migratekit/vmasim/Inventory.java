package io.migratekit.vmasim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated vCenter inventory: the set of VMs discovery can see and replicate/power calls can
 * address, indexed by BIOS UUID, inventory path and the three-character pieces of the names (so that
 * discovery at tens of thousands of VMs compares a handful of names, not every one).
 *
 * <p>Owns VM membership, lookups, the discovery filter semantics and the inventory file format
 * (loading the bundled demo inventory, JSON files, and generating large inventories). It does not
 * own faults (a VM "vanishing" is a fault, not a removal) nor the wire shape of discovery.
 * Thread-safe; VMs may be added or removed while the simulator runs.
 *
 * <p>Inventory file format:
 * <pre>{@code
 * { "datacenter": "DemoDC",
 *   "vms": [ { "id": "4205....", "name": "pgtest1", "folder": "databases",
 *              "power_state": "poweredOn", "guest_os": "linux", "num_cpu": 2, "memory_mb": 8192,
 *              "vmx_version": "vmx-19", "tools_installed": true,
 *              "disks": [ { "capacity_gb": 40, "datastore": "ds-ssd-01", "provisioning_type": "thin" } ],
 *              "networks": [ { "network_name": "VM Network" } ] } ] }
 * }</pre>
 * Optional VM keys: {@code id} (default: stable UUID from datacenter and name), {@code path}
 * (overrides folder), {@code datacenter}. Disk keys: {@code capacity_bytes} or {@code capacity_gb},
 * and optionally {@code key}, {@code label}, {@code vmdk_path}, {@code unit_number}. Network keys:
 * {@code network_name}, optionally {@code label}, {@code adapter_type}, {@code mac_address},
 * {@code connected}.
 */
public final class Inventory {

    static final String DEMO_RESOURCE = "demo-inventory.json";
    private static final int TRIGRAM = 3;

    private final String defaultDatacenter;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final LinkedHashMap<String, SimVm> byId = new LinkedHashMap<>();
    private final HashMap<String, SimVm> byPath = new HashMap<>();
    /** Each VM's place in insertion order, so that a search through the index lists VMs as a scan would. */
    private final HashMap<SimVm, Long> order = new HashMap<>();
    private long added;
    /** VMs by every three-character piece of their lower-cased name (a search term's candidates). */
    private final HashMap<String, Set<SimVm>> byTrigram = new HashMap<>();
    /** How many VMs each datacenter holds (case-insensitive names). */
    private final TreeMap<String, Integer> datacenterCounts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private Inventory(String defaultDatacenter) {
        this.defaultDatacenter = defaultDatacenter;
    }

    /** An empty inventory whose datacenter is {@value SimVm#DEFAULT_DATACENTER}. */
    public static Inventory empty() {
        return new Inventory(SimVm.DEFAULT_DATACENTER);
    }

    /** An empty inventory with the given datacenter name. */
    public static Inventory empty(String datacenter) {
        return new Inventory(datacenter);
    }

    /** A fresh copy of the bundled demo inventory (datacenter {@code DemoDC}, 25 VMs). */
    public static Inventory demo() {
        try (InputStream in = Inventory.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + DEMO_RESOURCE + " is missing");
            }
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads an inventory file (format in the class comment). */
    public static Inventory fromFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read inventory " + file.getFileName(), e);
        }
    }

    /** Parses an inventory document (format in the class comment). */
    public static Inventory fromJson(InputStream in) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(in);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid inventory JSON: " + e.getOriginalMessage(), e);
        }
        return fromJson(root);
    }

    /** Parses an inventory document given as a string. */
    public static Inventory fromJson(String json) {
        try {
            return fromJson(Json.MAPPER.readTree(json));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid inventory JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Inventory fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("inventory must be a JSON object");
        }
        try {
            Inventory inventory = new Inventory(Json.text(root, "datacenter", SimVm.DEFAULT_DATACENTER));
            for (JsonNode vm : Json.arrayField(root, "vms")) {
                inventory.add(parseVm(vm, inventory.defaultDatacenter));
            }
            return inventory;
        } catch (HttpError e) {
            throw new IllegalArgumentException("invalid inventory: " + e.getMessage(), e);
        }
    }

    /**
     * A deterministic inventory of {@code count} VMs (names {@code sim-vm-00001}...), 1–4 disks each,
     * mostly powered on; for benchmarks and scale tests. Same count and seed, same inventory.
     */
    public static Inventory generated(int count) {
        return generated(count, 42L);
    }

    /** Like {@link #generated(int)} with an explicit random seed. */
    public static Inventory generated(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        Random random = new Random(seed);
        String[] datastores = {"ds-ssd-01", "ds-ssd-02", "ds-nfs-01"};
        String[] networks = {"VM Network", "Prod-VLAN100", "App-VLAN110"};
        Inventory inventory = empty();
        int width = Math.max(5, String.valueOf(count).length());
        for (int i = 1; i <= count; i++) {
            String name = String.format(Locale.ROOT, "sim-vm-%0" + width + "d", i);
            int p = random.nextInt(100);
            PowerState power = p < 85 ? PowerState.POWERED_ON : p < 97 ? PowerState.POWERED_OFF : PowerState.SUSPENDED;
            boolean windows = random.nextInt(10) < 3;
            SimVm.Builder b = SimVm.builder(name)
                    .folder("bench/group-" + String.format(Locale.ROOT, "%03d", (i - 1) / 100))
                    .powerState(power)
                    .guestOs(windows ? "windows" : "linux")
                    .numCpu(1 << random.nextInt(4))
                    .memoryMb(1024L << random.nextInt(5))
                    .vmxVersion(random.nextInt(4) == 0 ? "vmx-15" : "vmx-19")
                    .defaultDatastore(datastores[random.nextInt(datastores.length)]);
            int disks = 1 + random.nextInt(4);
            for (int d = 0; d < disks; d++) {
                long gib = d == 0 ? 16L + random.nextInt(113) : 8L + random.nextInt(249);
                b.disk(gib * 1024L * 1024L * 1024L, null, random.nextInt(5) == 0 ? "thick" : "thin");
            }
            b.network(networks[random.nextInt(networks.length)]);
            inventory.add(b.build());
        }
        return inventory;
    }

    /** Adds a VM; its id and path must be new. Returns the VM. */
    public SimVm add(SimVm vm) {
        lock.writeLock().lock();
        try {
            if (byId.containsKey(vm.id())) {
                throw new IllegalArgumentException("duplicate VM id " + vm.id());
            }
            if (byPath.containsKey(vm.path())) {
                throw new IllegalArgumentException("duplicate VM path " + vm.path());
            }
            byId.put(vm.id(), vm);
            byPath.put(vm.path(), vm);
            order.put(vm, added++);
            for (String trigram : trigrams(vm.searchName())) {
                byTrigram.computeIfAbsent(trigram, t -> new HashSet<>()).add(vm);
            }
            datacenterCounts.merge(vm.datacenter(), 1, Integer::sum);
            return vm;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Builds and adds a VM. */
    public SimVm add(SimVm.Builder builder) {
        return add(builder.build());
    }

    /** Removes a VM by id or path; returns whether one was removed. */
    public boolean remove(String idOrPath) {
        lock.writeLock().lock();
        try {
            SimVm vm = byId.get(idOrPath.toLowerCase(Locale.ROOT));
            if (vm == null) {
                vm = byPath.get(idOrPath);
            }
            if (vm == null) {
                return false;
            }
            byId.remove(vm.id());
            byPath.remove(vm.path());
            order.remove(vm);
            for (String trigram : trigrams(vm.searchName())) {
                Set<SimVm> vms = byTrigram.get(trigram);
                vms.remove(vm);
                if (vms.isEmpty()) {
                    byTrigram.remove(trigram);
                }
            }
            datacenterCounts.computeIfPresent(vm.datacenter(), (name, count) -> count == 1 ? null : count - 1);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The VM with the given BIOS UUID (case-insensitive). */
    public Optional<SimVm> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byId.get(id.toLowerCase(Locale.ROOT)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The VM with exactly this inventory path. */
    public Optional<SimVm> byPath(String path) {
        if (path == null) {
            return Optional.empty();
        }
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byPath.get(path));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The first VM with exactly this name (case-insensitive). */
    public Optional<SimVm> byName(String name) {
        lock.readLock().lock();
        try {
            for (SimVm vm : byId.values()) {
                if (vm.name().equalsIgnoreCase(name)) {
                    return Optional.of(vm);
                }
            }
            return Optional.empty();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A VM by id, path or exact name, in that order. */
    public Optional<SimVm> find(String idPathOrName) {
        Optional<SimVm> vm = byId(idPathOrName);
        if (vm.isEmpty()) {
            vm = byPath(idPathOrName);
        }
        if (vm.isEmpty()) {
            vm = byName(idPathOrName);
        }
        return vm;
    }

    /** All VMs in insertion order. */
    public List<SimVm> all() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(byId.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The inventory's own datacenter name (used when a request names none). */
    public String defaultDatacenter() {
        return defaultDatacenter;
    }

    /** Every datacenter name known: the default one and those of all VMs. */
    public Set<String> datacenters() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.add(defaultDatacenter);
        lock.readLock().lock();
        try {
            names.addAll(datacenterCounts.keySet());
        } finally {
            lock.readLock().unlock();
        }
        return names;
    }

    /**
     * The discovery search: VMs of the datacenter (any, when blank) whose name contains any of the
     * comma-separated, trimmed filter terms, case-insensitively (a blank filter matches all), in
     * insertion order. So {@code pgtest1} also matches {@code pgtest10}, exactly like the real VMA.
     * Terms of three or more characters are looked up in the name index (only the VMs that share the
     * term's rarest three-character piece are compared); shorter terms and a blank filter scan.
     */
    public List<SimVm> search(String datacenter, String filter) {
        List<String> terms = new ArrayList<>();
        if (filter != null) {
            for (String term : filter.split(",")) {
                String t = term.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    terms.add(t);
                }
            }
        }
        boolean scan = terms.isEmpty() || terms.stream().anyMatch(t -> t.length() < TRIGRAM);
        List<SimVm> result = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (SimVm vm : scan ? byId.values() : candidates(terms)) {
                if (datacenter != null && !datacenter.isBlank() && !vm.datacenter().equalsIgnoreCase(datacenter)) {
                    continue;
                }
                if (terms.isEmpty() || matchesAny(vm.searchName(), terms)) {
                    result.add(vm);
                }
            }
            if (!scan) {
                result.sort(Comparator.comparing(order::get));
            }
        } finally {
            lock.readLock().unlock();
        }
        return result;
    }

    /** The VMs that may match a term: for each term, those holding its rarest piece (under the read lock). */
    private Set<SimVm> candidates(List<String> terms) {
        Set<SimVm> candidates = new HashSet<>();
        for (String term : terms) {
            Set<SimVm> rarest = null;
            for (String trigram : trigrams(term)) {
                Set<SimVm> vms = byTrigram.getOrDefault(trigram, Set.of());
                if (rarest == null || vms.size() < rarest.size()) {
                    rarest = vms;
                }
            }
            candidates.addAll(rarest);
        }
        return candidates;
    }

    private static Set<String> trigrams(String text) {
        Set<String> trigrams = new HashSet<>();
        for (int i = 0; i + TRIGRAM <= text.length(); i++) {
            trigrams.add(text.substring(i, i + TRIGRAM));
        }
        return trigrams;
    }

    private static boolean matchesAny(String name, List<String> terms) {
        for (String term : terms) {
            if (name.contains(term)) {
                return true;
            }
        }
        return false;
    }

    /** The whole inventory in the inventory file format. */
    ObjectNode toJson() {
        ObjectNode root = Json.object();
        root.put("datacenter", defaultDatacenter);
        ArrayNode vms = root.putArray("vms");
        for (SimVm vm : all()) {
            vms.add(vmToJson(vm));
        }
        return root;
    }

    static ObjectNode vmToJson(SimVm vm) {
        ObjectNode o = Json.object();
        o.put("id", vm.id());
        o.put("name", vm.name());
        o.put("path", vm.path());
        o.put("datacenter", vm.datacenter());
        o.put("power_state", vm.powerState().wire());
        o.put("guest_os", vm.guestOs());
        o.put("num_cpu", vm.numCpu());
        o.put("memory_mb", vm.memoryMb());
        o.put("vmx_version", vm.vmxVersion());
        o.put("tools_installed", vm.toolsInstalled());
        ArrayNode disks = o.putArray("disks");
        for (SimDisk d : vm.disks()) {
            ObjectNode dj = disks.addObject();
            dj.put("key", d.key());
            dj.put("label", d.label());
            dj.put("vmdk_path", d.vmdkPath());
            dj.put("capacity_bytes", d.capacityBytes());
            dj.put("datastore", d.datastore());
            dj.put("provisioning_type", d.provisioningType());
            dj.put("unit_number", d.unitNumber());
        }
        ArrayNode nets = o.putArray("networks");
        for (SimNetwork n : vm.networks()) {
            ObjectNode nj = nets.addObject();
            nj.put("label", n.label());
            nj.put("network_name", n.networkName());
            nj.put("adapter_type", n.adapterType());
            nj.put("mac_address", n.macAddress());
            nj.put("connected", n.connected());
        }
        return o;
    }

    /** Parses one VM in the inventory file format; {@link HttpError} (400) on bad input. */
    static SimVm parseVm(JsonNode node, String defaultDatacenter) {
        if (node == null || !node.isObject()) {
            throw HttpError.badRequest("a VM must be a JSON object");
        }
        String name = Json.text(node, "name");
        if (name == null || name.isBlank()) {
            throw HttpError.badRequest("a VM needs a name");
        }
        SimVm.Builder b = SimVm.builder(name)
                .datacenter(Json.text(node, "datacenter", defaultDatacenter))
                .folder(Json.text(node, "folder", ""))
                .guestOs(Json.text(node, "guest_os", "linux"))
                .numCpu((int) Json.integer(node, "num_cpu", 2))
                .memoryMb(Json.integer(node, "memory_mb", 4096))
                .vmxVersion(Json.text(node, "vmx_version", "vmx-19"))
                .toolsInstalled(Json.bool(node, "tools_installed", true));
        String id = Json.text(node, "id");
        if (id != null) {
            b.id(id);
        }
        String path = Json.text(node, "path");
        if (path != null) {
            b.path(path);
        }
        try {
            b.powerState(PowerState.parse(Json.text(node, "power_state", "poweredOn")));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        ArrayNode disks = Json.arrayField(node, "disks");
        Set<Integer> usedKeys = new HashSet<>();
        int index = 0;
        for (JsonNode d : disks) {
            long capacity = Json.integer(d, "capacity_bytes", -1);
            if (capacity < 0) {
                long gb = Json.integer(d, "capacity_gb", -1);
                if (gb < 0) {
                    throw HttpError.badRequest("disk " + (index + 1) + " of " + name + " needs capacity_bytes or capacity_gb");
                }
                capacity = gb * 1024L * 1024L * 1024L;
            }
            String datastore = Json.text(d, "datastore", "ds-ssd-01");
            int key = (int) Json.integer(d, "key", 2000 + index);
            if (!usedKeys.add(key)) {
                throw HttpError.badRequest("duplicate disk key " + key + " on " + name);
            }
            String file = index == 0 ? name + ".vmdk" : name + "_" + index + ".vmdk";
            b.disk(new SimDisk(key,
                    Json.text(d, "label", "Hard disk " + (index + 1)),
                    Json.text(d, "vmdk_path", "[" + datastore + "] " + name + "/" + file),
                    capacity,
                    datastore,
                    Json.text(d, "provisioning_type", "thin"),
                    (int) Json.integer(d, "unit_number", index)));
            index++;
        }
        String vmId = id != null ? id.toLowerCase(Locale.ROOT) : SimVm.stableBiosUuid(Json.text(node, "datacenter", defaultDatacenter), name);
        int n = 0;
        for (JsonNode net : Json.arrayField(node, "networks")) {
            b.network(new SimNetwork(
                    Json.text(net, "label", "Network adapter " + (n + 1)),
                    Json.text(net, "network_name", "VM Network"),
                    Json.text(net, "adapter_type", "vmxnet3"),
                    Json.text(net, "mac_address", SimVm.stableMac(vmId, n)),
                    Json.bool(net, "connected", true)));
            n++;
        }
        return b.build();
    }
}
