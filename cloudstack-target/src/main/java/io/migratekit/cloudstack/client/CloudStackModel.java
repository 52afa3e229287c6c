package io.migratekit.cloudstack.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The CloudStack API objects the appliance reads, with the fields it uses (JSON names are the
 * record components lower-cased; everything else CloudStack sends is ignored). Sizes as CloudStack
 * gives them: volume {@code size} in bytes, VM {@code memory} in MiB.
 */
public final class CloudStackModel {

    private CloudStackModel() {
    }

    public record Zone(String id, String name, String allocationState) {
    }

    public record ServiceOffering(String id, String name, @JsonProperty("iscustomized") boolean customized,
            Integer cpuNumber, Integer memory) {
    }

    public record DiskOffering(String id, String name, @JsonProperty("iscustomized") boolean customized,
            Long diskSize) {
    }

    public record Template(String id, String name, String zoneId, @JsonProperty("isready") boolean ready) {
    }

    public record Network(String id, String name, String zoneId, String state) {
    }

    public record User(String id, String username, String apiKey, String account) {
    }

    public record Account(String id, String name, String domainId, List<User> user) {

        public Account {
            user = user == null ? List.of() : List.copyOf(user);
        }
    }

    /** {@code type} is {@code ROOT} or {@code DATADISK}; {@code virtualMachineId} null when detached. */
    public record Volume(String id, String name, String type, Long size, String virtualMachineId, Long deviceId,
            String state, String zoneId) {
    }

    public record Nic(String id, String networkId, String networkName, String macAddress,
            @JsonProperty("isdefault") boolean defaultNic) {
    }

    /** {@code state}: Stopped, Starting, Running, Stopping, Error, Destroyed, Expunging, ... */
    public record VirtualMachine(String id, String name, String displayName, String state, String account,
            String domainId, String zoneId, Integer cpuNumber, Integer memory, List<Nic> nic) {

        public VirtualMachine {
            nic = nic == null ? List.of() : List.copyOf(nic);
        }
    }

    public record Snapshot(String id, String name, String volumeId, String state) {
    }

    /** The answer of an async command: the job to wait on, and the id of the object it acts on (if any). */
    public record JobStarted(String jobId, String id) {
    }

    /** {@code queryAsyncJobResult}: jobstatus 0 pending, 1 succeeded, 2 failed; jobresult the object or the error. */
    public record AsyncJob(String jobId, int jobStatus, JsonNode jobResult) {

        public static final int PENDING = 0;
        public static final int SUCCEEDED = 1;
        public static final int FAILED = 2;
    }
}
