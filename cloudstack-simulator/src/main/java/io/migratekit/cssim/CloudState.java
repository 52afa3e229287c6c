package io.migratekit.cssim;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Everything the simulated cloud changes, as persisted in the data directory: VMs, volumes,
 * snapshots and async jobs by id (insertion order kept, so lists are stable). Plain mutable data
 * with public fields for Jackson; {@link Cloud} owns every change and its locking.
 */
final class CloudState {

    public Map<String, Vm> vms = new LinkedHashMap<>();
    public Map<String, Volume> volumes = new LinkedHashMap<>();
    public Map<String, Snapshot> snapshots = new LinkedHashMap<>();
    public Map<String, Job> jobs = new LinkedHashMap<>();

    /** A virtual machine; {@code state} is Running, Stopped or Destroyed. */
    static final class Vm {
        public String id;
        public String name;
        public String displayName;
        public String accountName;
        public String zoneId;
        public String templateId;
        public String serviceOfferingId;
        public int cpuNumber;
        public int memory;
        public String state;
        public String macAddress;
        public String nicId;
        public String networkId;
        public long created;
    }

    /** A volume; {@code type} ROOT or DATADISK, {@code state} Allocated (never attached) or Ready. */
    static final class Volume {
        public String id;
        public String name;
        public String accountName;
        public String zoneId;
        public String type;
        public String state;
        public long sizeBytes;
        public String diskOfferingId;
        public String virtualMachineId;
        public Long deviceId;
        public String snapshotId;
        public long created;
    }

    /** A snapshot of a volume, its bytes copied at creation. */
    static final class Snapshot {
        public String id;
        public String name;
        public String accountName;
        public String zoneId;
        public String volumeId;
        public String volumeType;
        public long sizeBytes;
        public long created;
    }

    /**
     * An async job: the command and its parameters, run when due ({@code dueAt} null = never);
     * {@code status} 0 pending, 1 succeeded, 2 failed. An injected failure is fixed at submission.
     */
    static final class Job {
        public String id;
        public String command;
        public Map<String, String> params = new LinkedHashMap<>();
        public String objectId;
        public String accountName;
        public long created;
        public Long dueAt;
        public int status;
        public int resultCode;
        public JsonNode result;
        public long completed;
        public Integer injectedErrorCode;
        public String injectedErrorText;
    }
}
