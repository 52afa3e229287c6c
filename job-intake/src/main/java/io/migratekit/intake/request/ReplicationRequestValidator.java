package io.migratekit.intake.request;

import io.migratekit.events.ReplicationType;
import io.migratekit.intake.api.ApiProblem;
import io.migratekit.intake.request.ReplicationRequestBody.DiskBody;
import io.migratekit.intake.request.ReplicationRequestBody.NetworkBody;
import io.migratekit.intake.request.ReplicationRequestBody.SourceVmBody;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/**
 * The rules a {@code POST /api/v1/replications} body must meet before anything is published, in
 * the original product's order: a readable JSON object whose fields have the right types and sane
 * lengths (else 400 "Invalid request payload", naming the field), then {@code source_vm.id},
 * {@code name} and {@code path} (else 400 "Source VM information is required"), then a known
 * {@code replication_type} (else 400, listing the allowed values), then an {@code ossea_config_id}
 * among the configured CloudStack targets' ids when they are given (else 400, naming them; omitted
 * is accepted). {@code start_replication} defaults to true. Plain Java, no I/O; decides nothing
 * about the VM (the pipeline does).
 */
public final class ReplicationRequestValidator {

    /** Lengths follow the read model's columns where a field is stored. */
    static final int ID_LENGTH = 64;
    static final int NAME_LENGTH = 255;
    static final int PATH_LENGTH = 1024;
    static final int SHORT_LENGTH = 64;
    static final int CHANGE_ID_LENGTH = 512;
    static final int METADATA_LENGTH = 128;
    static final int MAX_DISKS = 256;
    static final int MAX_NETWORKS = 64;

    private static final String ALLOWED_TYPES = Arrays.stream(ReplicationType.values()).map(Enum::name)
            .collect(Collectors.joining(", "));

    /** The CloudStack target ids a request may name; empty: any. */
    private final Optional<SortedSet<Long>> targetIds;

    /** A validator that accepts any {@code ossea_config_id} (no targets known to this job-intake). */
    public ReplicationRequestValidator() {
        this(Optional.empty());
    }

    /** A validator that accepts only the given {@code ossea_config_id}s, when present. */
    public ReplicationRequestValidator(Optional<SortedSet<Long>> targetIds) {
        this.targetIds = targetIds;
    }

    /** Parses and validates a body; throws an {@link ApiProblem} with a 4xx status otherwise. */
    public ReplicationRequestBody validate(byte[] body) {
        JsonFields request = JsonFields.of(JsonBodies.parse(body), "", "the request body");
        JsonFields vm = request.optionalObject("source_vm");
        SourceVmBody sourceVm = vm == null ? null : sourceVm(vm);
        Boolean start = request.optionalBoolean("start_replication");
        ReplicationRequestBody parsed = new ReplicationRequestBody(
                sourceVm,
                request.optionalLong("ossea_config_id", 0, Long.MAX_VALUE),
                request.optionalString("replication_type", SHORT_LENGTH),
                request.optionalString("target_network", NAME_LENGTH),
                request.optionalString("vcenter_host", NAME_LENGTH),
                request.optionalString("datacenter", NAME_LENGTH),
                request.optionalString("change_id", CHANGE_ID_LENGTH),
                request.optionalString("previous_change_id", CHANGE_ID_LENGTH),
                request.optionalString("snapshot_id", NAME_LENGTH),
                start == null || start,
                request.optionalString("schedule_execution_id", METADATA_LENGTH),
                request.optionalString("vm_group_id", METADATA_LENGTH),
                request.optionalString("scheduled_by", METADATA_LENGTH));
        requireSourceVm(sourceVm);
        requireKnownType(parsed.replicationType());
        requireKnownTarget(parsed.osseaConfigId());
        return parsed;
    }

    private static SourceVmBody sourceVm(JsonFields vm) {
        return new SourceVmBody(
                vm.nonBlankString("id", ID_LENGTH),
                vm.nonBlankString("name", NAME_LENGTH),
                vm.nonBlankString("path", PATH_LENGTH),
                vm.optionalString("vm_id", ID_LENGTH),
                vm.optionalString("vm_name", NAME_LENGTH),
                vm.optionalString("vm_path", PATH_LENGTH),
                vm.optionalString("datacenter", NAME_LENGTH),
                vm.optionalString("vcenter_host", NAME_LENGTH),
                vm.optionalInt("cpus", 0, 4096),
                vm.optionalLong("memory_mb", 0, 1L << 40),
                vm.optionalString("power_state", SHORT_LENGTH),
                vm.optionalString("os_type", SHORT_LENGTH),
                vm.optionalString("vmx_version", SHORT_LENGTH),
                vm.optionalObjects("disks", MAX_DISKS, (disk, index) -> disk(disk)),
                vm.optionalObjects("networks", MAX_NETWORKS, (network, index) -> network(network)));
    }

    private static DiskBody disk(JsonFields disk) {
        return new DiskBody(
                disk.optionalString("id", ID_LENGTH),
                disk.optionalString("label", NAME_LENGTH),
                disk.optionalString("path", PATH_LENGTH),
                disk.optionalString("vmdk_path", PATH_LENGTH),
                disk.optionalLong("size_gb", 0, Long.MAX_VALUE),
                disk.optionalLong("capacity_bytes", 0, Long.MAX_VALUE),
                disk.optionalString("datastore", NAME_LENGTH),
                disk.optionalString("provisioning_type", SHORT_LENGTH),
                disk.optionalInt("unit_number", 0, 1024));
    }

    private static NetworkBody network(JsonFields network) {
        return new NetworkBody(
                network.optionalString("label", NAME_LENGTH),
                network.optionalString("network_name", NAME_LENGTH),
                network.optionalString("adapter_type", SHORT_LENGTH),
                network.optionalString("mac_address", SHORT_LENGTH),
                network.optionalBoolean("connected"));
    }

    private static void requireSourceVm(SourceVmBody vm) {
        if (vm == null) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, ApiProblem.SOURCE_VM_REQUIRED,
                    "source_vm with id, name and path is required");
        }
        List<String> missing = new ArrayList<>();
        if (vm.id() == null) {
            missing.add("source_vm.id");
        }
        if (vm.name() == null) {
            missing.add("source_vm.name");
        }
        if (vm.path() == null) {
            missing.add("source_vm.path");
        }
        if (!missing.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, ApiProblem.SOURCE_VM_REQUIRED,
                    "missing or empty: " + String.join(", ", missing));
        }
    }

    private static void requireKnownType(String type) {
        if (type == null) {
            return;
        }
        for (ReplicationType known : ReplicationType.values()) {
            if (known.name().equals(type)) {
                return;
            }
        }
        throw new ApiProblem(HttpStatus.BAD_REQUEST, ApiProblem.INVALID_REPLICATION_TYPE,
                "replication_type must be one of: " + ALLOWED_TYPES + " (or omitted to auto-detect)");
    }

    private void requireKnownTarget(Long osseaConfigId) {
        if (osseaConfigId == null || targetIds.isEmpty() || targetIds.get().contains(osseaConfigId)) {
            return;
        }
        String configured = targetIds.get().isEmpty() ? "none"
                : targetIds.get().stream().map(String::valueOf).collect(Collectors.joining(", "));
        throw new ApiProblem(HttpStatus.BAD_REQUEST, ApiProblem.UNKNOWN_TARGET, "ossea_config_id " + osseaConfigId
                + " is not a configured CloudStack target; configured: " + configured);
    }
}
