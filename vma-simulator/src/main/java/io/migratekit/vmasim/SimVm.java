package io.migratekit.vmasim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated VMware VM: its static specification (identity, hardware, disks, networks) and its
 * mutable power state.
 *
 * <p>Owns the VM's data and power state only. It does not own lookups (that is {@link Inventory}),
 * faults ({@link Faults}) or replication jobs (the copy engine). Power state is safe to read and
 * change from any thread; everything else is immutable.
 */
public final class SimVm {

    /** The datacenter used when none is given. */
    public static final String DEFAULT_DATACENTER = "DemoDC";

    private final String id;
    private final String name;
    private final String searchName;
    private final String path;
    private final String datacenter;
    private final String guestOs;
    private final int numCpu;
    private final long memoryMb;
    private final String vmxVersion;
    private final boolean toolsInstalled;
    private final List<SimDisk> disks;
    private final List<SimNetwork> networks;
    private volatile PowerState powerState;
    private final AtomicLong powerOperations = new AtomicLong();

    private SimVm(Builder b) {
        this.name = b.name;
        this.searchName = b.name.toLowerCase(Locale.ROOT);
        this.datacenter = b.datacenter;
        this.id = b.id != null ? b.id.toLowerCase(Locale.ROOT) : stableBiosUuid(b.datacenter, b.name);
        this.path = b.path != null ? b.path : defaultPath(b.datacenter, b.folder, b.name);
        this.guestOs = b.guestOs;
        this.numCpu = b.numCpu;
        this.memoryMb = b.memoryMb;
        this.vmxVersion = b.vmxVersion;
        this.toolsInstalled = b.toolsInstalled;
        this.disks = List.copyOf(b.disks);
        this.networks = List.copyOf(b.networks);
        this.powerState = b.powerState;
    }

    /** Starts a builder for a VM with the given display name. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The BIOS UUID, lower case; the identity used by discovery and the power calls. */
    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The name in lower case, as the discovery filter compares it. */
    String searchName() {
        return searchName;
    }

    /** The inventory path, {@code /<datacenter>/vm/<folder>/<name>}. */
    public String path() {
        return path;
    }

    public String datacenter() {
        return datacenter;
    }

    /** {@code windows}, {@code linux} or {@code unknown}. */
    public String guestOs() {
        return guestOs;
    }

    public int numCpu() {
        return numCpu;
    }

    public long memoryMb() {
        return memoryMb;
    }

    public String vmxVersion() {
        return vmxVersion;
    }

    public boolean toolsInstalled() {
        return toolsInstalled;
    }

    public List<SimDisk> disks() {
        return disks;
    }

    public List<SimNetwork> networks() {
        return networks;
    }

    public PowerState powerState() {
        return powerState;
    }

    /** Changes the power state; discovery and power-state reflect it immediately. */
    public void setPowerState(PowerState state) {
        this.powerState = Objects.requireNonNull(state, "state");
    }

    /**
     * Counts power operations; a delayed graceful shutdown completes only if no other power
     * operation happened since it began.
     */
    AtomicLong powerOperations() {
        return powerOperations;
    }

    /** VMware Tools status as power-state reports it, derived from power state and installation. */
    public String toolsStatus() {
        if (!toolsInstalled) {
            return "toolsNotInstalled";
        }
        return powerState == PowerState.POWERED_ON ? "toolsOk" : "toolsNotRunning";
    }

    /** The disk with the given VMware device key, or null. */
    public SimDisk diskByKey(int key) {
        for (SimDisk disk : disks) {
            if (disk.key() == key) {
                return disk;
            }
        }
        return null;
    }

    /** Total capacity of all disks in bytes. */
    public long totalCapacityBytes() {
        long total = 0;
        for (SimDisk disk : disks) {
            total += disk.capacityBytes();
        }
        return total;
    }

    @Override
    public String toString() {
        return "SimVm[" + name + ", " + id + ", " + path + "]";
    }

    static String defaultPath(String datacenter, String folder, String name) {
        if (folder == null || folder.isBlank()) {
            return "/" + datacenter + "/vm/" + name;
        }
        String trimmed = folder.replaceAll("^/+|/+$", "");
        return "/" + datacenter + "/vm/" + trimmed + "/" + name;
    }

    /**
     * A deterministic BIOS-UUID-looking id for a VM: a name-based UUID whose first bytes read
     * {@code 4205...}, the prefix vCenter-created VMs commonly carry.
     */
    static String stableBiosUuid(String datacenter, String name) {
        String seed = "vmasim:" + datacenter + ":" + name;
        String uuid = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
        return "4205" + uuid.substring(4);
    }

    /** A deterministic VMware-range MAC address (00:50:56:xx:xx:xx) for a VM's n-th adapter. */
    static String stableMac(String vmId, int index) {
        int h = (vmId + "#" + index).hashCode();
        return String.format(Locale.ROOT, "00:50:56:%02x:%02x:%02x", (h >>> 16) & 0x3f, (h >>> 8) & 0xff, h & 0xff);
    }

    /**
     * Builds a {@link SimVm}. Every field has a sensible default; disks and networks get VMware-like
     * keys, labels, unit numbers, vmdk paths and MAC addresses unless given explicitly. A VM may be
     * built with no disks (useful to test "VM has no disks").
     */
    public static final class Builder {
        private final String name;
        private String id;
        private String folder = "";
        private String path;
        private String datacenter = DEFAULT_DATACENTER;
        private PowerState powerState = PowerState.POWERED_ON;
        private String guestOs = "linux";
        private int numCpu = 2;
        private long memoryMb = 4096;
        private String vmxVersion = "vmx-19";
        private boolean toolsInstalled = true;
        private String defaultDatastore = "ds-ssd-01";
        private final List<DiskDraft> diskDrafts = new ArrayList<>();
        private final List<SimDisk> disks = new ArrayList<>();
        private final List<NetDraft> netDrafts = new ArrayList<>();
        private final List<SimNetwork> networks = new ArrayList<>();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("VM name is required");
            }
            this.name = name;
        }

        /** The BIOS UUID; default is a stable UUID derived from datacenter and name. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** The VM folder below {@code /<dc>/vm/}; default none. */
        public Builder folder(String folder) {
            this.folder = folder == null ? "" : folder;
            return this;
        }

        /** An explicit inventory path, overriding datacenter/folder/name. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        public Builder datacenter(String datacenter) {
            this.datacenter = Objects.requireNonNull(datacenter, "datacenter");
            return this;
        }

        public Builder powerState(PowerState powerState) {
            this.powerState = Objects.requireNonNull(powerState, "powerState");
            return this;
        }

        /** {@code windows}, {@code linux} or {@code unknown}. */
        public Builder guestOs(String guestOs) {
            this.guestOs = Objects.requireNonNull(guestOs, "guestOs");
            return this;
        }

        public Builder numCpu(int numCpu) {
            this.numCpu = numCpu;
            return this;
        }

        public Builder memoryMb(long memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        public Builder vmxVersion(String vmxVersion) {
            this.vmxVersion = Objects.requireNonNull(vmxVersion, "vmxVersion");
            return this;
        }

        /** Whether VMware Tools are installed (needed for a graceful shutdown); default true. */
        public Builder toolsInstalled(boolean toolsInstalled) {
            this.toolsInstalled = toolsInstalled;
            return this;
        }

        /** The datastore used by disks that do not name one; default {@code ds-ssd-01}. */
        public Builder defaultDatastore(String datastore) {
            this.defaultDatastore = Objects.requireNonNull(datastore, "datastore");
            return this;
        }

        /** Adds a thin disk of the given capacity on the default datastore. */
        public Builder disk(long capacityBytes) {
            return disk(capacityBytes, null, "thin");
        }

        /** Adds a thin disk of the given size in GiB on the default datastore. */
        public Builder diskGb(long gib) {
            return disk(gib * 1024L * 1024L * 1024L);
        }

        /** Adds a disk; a null datastore means the default datastore. */
        public Builder disk(long capacityBytes, String datastore, String provisioningType) {
            diskDrafts.add(new DiskDraft(capacityBytes, datastore, provisioningType));
            return this;
        }

        /** Adds a fully specified disk (key, label, vmdk path and unit are taken as given). */
        public Builder disk(SimDisk disk) {
            disks.add(Objects.requireNonNull(disk, "disk"));
            return this;
        }

        /** Adds a connected vmxnet3 adapter on the given network with a generated MAC. */
        public Builder network(String networkName) {
            netDrafts.add(new NetDraft(Objects.requireNonNull(networkName, "networkName")));
            return this;
        }

        /** Adds a fully specified network adapter. */
        public Builder network(SimNetwork network) {
            networks.add(Objects.requireNonNull(network, "network"));
            return this;
        }

        public SimVm build() {
            String vmId = id != null ? id.toLowerCase(Locale.ROOT) : stableBiosUuid(datacenter, name);
            int nextKey = 2000;
            int nextUnit = 0;
            for (SimDisk d : disks) {
                nextKey = Math.max(nextKey, d.key() + 1);
                nextUnit = Math.max(nextUnit, d.unitNumber() + 1);
            }
            for (DiskDraft draft : diskDrafts) {
                int index = disks.size();
                String ds = draft.datastore != null ? draft.datastore : defaultDatastore;
                String file = index == 0 ? name + ".vmdk" : name + "_" + index + ".vmdk";
                disks.add(new SimDisk(nextKey++, "Hard disk " + (index + 1), "[" + ds + "] " + name + "/" + file,
                        draft.capacityBytes, ds, draft.provisioningType, nextUnit++));
            }
            diskDrafts.clear();
            for (NetDraft draft : netDrafts) {
                int index = networks.size();
                networks.add(new SimNetwork("Network adapter " + (index + 1), draft.networkName, "vmxnet3",
                        stableMac(vmId, index), true));
            }
            netDrafts.clear();
            Set<Integer> keys = new HashSet<>();
            for (SimDisk d : disks) {
                if (!keys.add(d.key())) {
                    throw new IllegalArgumentException("duplicate disk key " + d.key() + " on VM " + name);
                }
            }
            return new SimVm(this);
        }

        private record DiskDraft(long capacityBytes, String datastore, String provisioningType) {
        }

        private record NetDraft(String networkName) {
        }
    }
}
