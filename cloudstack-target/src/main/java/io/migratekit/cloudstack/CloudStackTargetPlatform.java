package io.migratekit.cloudstack;

import io.migratekit.cloudstack.client.CloudStackClient;
import io.migratekit.cloudstack.client.CloudStackClient.DeployRequest;
import io.migratekit.cloudstack.client.CloudStackException;
import io.migratekit.cloudstack.client.CloudStackModel.JobStarted;
import io.migratekit.cloudstack.client.CloudStackModel.Nic;
import io.migratekit.cloudstack.client.CloudStackModel.ServiceOffering;
import io.migratekit.cloudstack.client.CloudStackModel.Snapshot;
import io.migratekit.cloudstack.client.CloudStackModel.VirtualMachine;
import io.migratekit.cloudstack.client.CloudStackModel.Volume;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * {@link TargetPlatform} on a real CloudStack, through {@link CloudStackClient}, for one
 * {@link CloudStackTargetConfig}. Owns the command sequences of {@code cloudstack-api.md}:
 * replication volumes created in the configured zone and attached to the appliance (served over NBD
 * from {@code /dev/disk/by-id/virtio-...} by the {@link ApplianceNbdServer}); failover VMs deployed
 * stopped from the template, its ROOT replaced by the OS volume (deviceid 0), the data volumes
 * attached, started on {@link #powerOn}; test VMs on clones of snapshots so replication goes on.
 *
 * <p>Every operation is idempotent across retries and restarts: an async job an earlier attempt left
 * recorded in the {@link AsyncJobJournal} is waited on first, then the state is looked up by id or by
 * the name this class gives (a VM {@code <name>-<8 hex of the request key>}, its snapshots and clones
 * {@code mk-<same hex>-snap-<n>} and {@code mk-<same hex>-clone-<n>}), and only what is missing is
 * issued; every job is recorded before it is waited on. Deleting what is gone succeeds. It does not
 * serialize concurrent calls for the same resource (the owning services call one at a time per job
 * or failover) and it logs nothing (CloudStack's error texts travel in the exceptions).
 */
public class CloudStackTargetPlatform implements TargetPlatform {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final Set<String> GONE = Set.of("Destroy", "Destroyed", "Expunging", "Expunged");

    private final CloudStackTargetConfig config;
    private final CloudStackClient client;
    private final AsyncJobJournal journal;
    private final ApplianceNbdServer nbd;
    private final String nbdHost;
    private final int nbdPort;

    /**
     * @param nbdHost the appliance's NBD server as the VMA reaches it
     * @param nbdPort its port
     */
    public CloudStackTargetPlatform(CloudStackTargetConfig config, CloudStackClient client, AsyncJobJournal journal,
            ApplianceNbdServer nbd, String nbdHost, int nbdPort) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.nbd = Objects.requireNonNull(nbd, "nbd");
        this.nbdHost = Objects.requireNonNull(nbdHost, "nbdHost");
        this.nbdPort = nbdPort;
    }

    // ---- replication volumes

    @Override
    public TargetVolume createVolume(VolumeRequest request) {
        Objects.requireNonNull(request, "request");
        TargetOperation op = TargetOperation.CREATE_VOLUME;
        String key = "createVolume/" + request.name();
        resume(op, key);
        Volume volume = volumeNamed(op, request.name()).orElseGet(() -> {
            JsonNode result = run(op, key, "createVolume", () -> client.createVolume(request.name(), request.sizeGb(),
                    config.diskOfferingId(), config.zoneId()));
            return object(op, "createVolume", result, "volume", Volume.class);
        });
        return new TargetVolume(volume.id(), volume.name(), sizeGb(volume, request.sizeGb()), request.jobId(),
                request.diskId());
    }

    /** CloudStack keeps neither job nor disk of a volume: both are null here (the owning service's read model has them). */
    @Override
    public Optional<TargetVolume> findVolume(String volumeId) {
        return volume(TargetOperation.ATTACH_VOLUME, volumeId)
                .map(v -> new TargetVolume(v.id(), v.name(), sizeGb(v, 0), null, null));
    }

    @Override
    public NbdExport attachToAppliance(String volumeId) {
        TargetOperation op = TargetOperation.ATTACH_VOLUME;
        attach(op, volumeId, config.applianceVmId(), null);
        serve(op, () -> nbd.export(NbdExport.exportName(volumeId), NbdExport.applianceDevice(volumeId)));
        return NbdExport.of(volumeId, nbdHost, nbdPort);
    }

    @Override
    public void detachFromAppliance(String volumeId) {
        TargetOperation op = TargetOperation.DETACH_VOLUME;
        serve(op, () -> nbd.unexport(NbdExport.exportName(volumeId)));
        String key = "detachVolume/" + volumeId;
        resume(op, key);
        Optional<Volume> volume = volume(op, volumeId);
        if (volume.isPresent() && config.applianceVmId().equals(volume.get().virtualMachineId())) {
            run(op, key, "detachVolume", () -> client.detachVolume(volumeId));
        }
    }

    @Override
    public void deleteVolume(String volumeId) {
        TargetOperation op = TargetOperation.DELETE_VOLUME;
        Optional<Volume> volume = volume(op, volumeId);
        if (volume.isEmpty()) {
            return;
        }
        String attachedTo = volume.get().virtualMachineId();
        if (attachedTo != null) {
            throw new TargetPlatformException(op, "volume " + volumeId + (config.applianceVmId().equals(attachedTo)
                    ? " is attached to the appliance; detach it first" : " is in use by VM " + attachedTo));
        }
        delete(op, volumeId);
    }

    // ---- failover VMs

    @Override
    public TargetVm createVmFromVolumes(TargetVmSpec spec, List<String> volumeIds) {
        Objects.requireNonNull(spec, "spec");
        requireVolumes(volumeIds);
        List<String> networks = networks(config.liveNetworks(), "live", spec.network());
        return build(spec, volumeIds, networks, false);
    }

    @Override
    public TargetVm createVmFromSnapshots(TargetVmSpec spec, List<String> volumeIds) {
        Objects.requireNonNull(spec, "spec");
        requireVolumes(volumeIds);
        List<String> networks = networks(config.testNetworks(), "test", spec.network());
        String prefix = resourcePrefix(spec.requestKey());
        List<String> clones = new ArrayList<>();
        for (int i = 0; i < volumeIds.size(); i++) {
            String snapshotId = snapshot(volumeIds.get(i), prefix + "-snap-" + i);
            clones.add(clone(snapshotId, prefix + "-clone-" + i));
        }
        return build(spec, clones, networks, true);
    }

    @Override
    public Optional<TargetVm> findVm(String vmId) {
        TargetOperation op = TargetOperation.CREATE_VM;
        Optional<VirtualMachine> found = vm(op, vmId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        VirtualMachine vm = found.get();
        if (vm.cpuNumber() == null || vm.memory() == null) {
            throw new TargetPlatformException(op, "CloudStack did not say the CPUs and memory of VM " + vmId);
        }
        List<Volume> volumes = volumesOf(op, vmId);
        String clonePrefix = resourcePrefix(vm) + "-clone-";
        boolean fromSnapshots = !volumes.isEmpty() && volumes.stream().allMatch(v -> v.name().startsWith(clonePrefix));
        String network = vm.nic().stream().filter(Nic::defaultNic).findFirst().map(Nic::networkName).orElse(null);
        // the request key itself is not kept in CloudStack: the VM's name, derived from it, stands for it
        TargetVmSpec spec = new TargetVmSpec(vm.name(), vm.displayName() == null ? vm.name() : vm.displayName(),
                vm.cpuNumber(), vm.memory(), null, network);
        return Optional.of(new TargetVm(vm.id(), spec, volumes.stream().map(Volume::id).toList(), fromSnapshots,
                "Running".equals(vm.state())));
    }

    @Override
    public void powerOn(String vmId) {
        TargetOperation op = TargetOperation.POWER_ON_VM;
        String key = "startVirtualMachine/" + vmId;
        resume(op, key);
        VirtualMachine vm = vm(op, vmId).orElseThrow(() -> new TargetPlatformException(op, "VM " + vmId
                + " does not exist"));
        if ("Running".equals(vm.state())) {
            return;
        }
        run(op, key, "startVirtualMachine", () -> client.startVirtualMachine(vmId));
        String state = vm(op, vmId).map(VirtualMachine::state).orElse("gone");
        if (!"Running".equals(state)) {
            throw new TargetPlatformException(op, "VM " + vmId + " is " + state + " after startVirtualMachine succeeded");
        }
    }

    @Override
    public void deleteVm(String vmId) {
        TargetOperation op = TargetOperation.DELETE_VM;
        String stopKey = "stopVirtualMachine/" + vmId;
        resume(op, stopKey);
        Optional<VirtualMachine> found = vm(op, vmId);
        if (found.isEmpty()) {
            return;
        }
        VirtualMachine vm = found.get();
        if (!"Stopped".equals(vm.state())) {
            run(op, stopKey, "stopVirtualMachine", () -> client.stopVirtualMachine(vmId, true));
        }
        String prefix = resourcePrefix(vm);
        // release every volume we attached (data first, the root last); the template's own ROOT-<n> goes with the VM
        for (Volume volume : volumesOf(op, vmId)) {
            if (volume.name().startsWith("ROOT-") && "ROOT".equals(volume.type())) {
                continue;
            }
            detach(op, volume.id());
        }
        // clones and snapshots by name, so a retry after a partial cleanup finds what is left
        for (Volume clone : named(op, client::listVolumes, prefix + "-clone-", Volume::name)) {
            delete(op, clone.id());
        }
        for (Snapshot snapshot : named(op, client::listSnapshots, prefix + "-snap-", Snapshot::name)) {
            String key = "deleteSnapshot/" + snapshot.id();
            resume(op, key);
            runUnlessGone(op, key, "deleteSnapshot", () -> client.deleteSnapshot(snapshot.id()),
                    () -> call(op, () -> client.snapshot(snapshot.id())).filter(s -> !GONE.contains(s.state()))
                            .isEmpty());
        }
        String destroyKey = "destroyVirtualMachine/" + vmId;
        resume(op, destroyKey);
        if (vm(op, vmId).isPresent()) {
            runUnlessGone(op, destroyKey, "destroyVirtualMachine", () -> client.destroyVirtualMachine(vmId, true),
                    () -> vm(op, vmId).isEmpty());
        }
    }

    // ---- the sequences

    /** Deploys the VM stopped (or finds it), replaces the template's ROOT by the first volume, attaches the rest. */
    private TargetVm build(TargetVmSpec spec, List<String> volumeIds, List<String> networks, boolean fromSnapshots) {
        TargetOperation op = TargetOperation.CREATE_VM;
        String name = vmName(spec);
        String key = "deployVirtualMachine/" + name;
        resume(op, key);
        VirtualMachine vm = vmNamed(op, name).orElseGet(() -> {
            ServiceOffering offering = serviceOffering(op);
            DeployRequest request = new DeployRequest(config.serviceOfferingId(), config.templateId(),
                    config.zoneId(), name, spec.name(), networks, offering.customized() ? spec.cpus() : null,
                    offering.customized() ? Math.toIntExact(spec.memoryMb()) : null);
            JsonNode result = run(op, key, "deployVirtualMachine", () -> client.deployVirtualMachine(request));
            return object(op, "deployVirtualMachine", result, "virtualmachine", VirtualMachine.class);
        });
        for (Volume root : call(op, () -> client.listVolumes(Map.of("virtualmachineid", vm.id(), "type", "ROOT")))) {
            if (!volumeIds.contains(root.id())) {
                detach(op, root.id());
                delete(op, root.id());
            }
        }
        for (int i = 0; i < volumeIds.size(); i++) {
            String volumeId = volumeIds.get(i);
            Volume volume = volume(op, volumeId).orElseThrow(() -> new TargetPlatformException(op, "volume "
                    + volumeId + " does not exist"));
            if (config.applianceVmId().equals(volume.virtualMachineId())) {
                detachFromAppliance(volumeId);
            }
            attach(op, volumeId, vm.id(), i == 0 ? 0L : null);
        }
        return new TargetVm(vm.id(), spec, volumeIds, fromSnapshots, "Running".equals(vm.state()));
    }

    /** Attaches a volume to a VM unless it is attached there already; refuses one another VM uses. */
    private void attach(TargetOperation op, String volumeId, String vmId, Long deviceId) {
        String key = "attachVolume/" + volumeId;
        resume(op, key);
        Volume volume = volume(op, volumeId).orElseThrow(() -> new TargetPlatformException(op, "volume " + volumeId
                + " does not exist"));
        if (vmId.equals(volume.virtualMachineId())) {
            return;
        }
        if (volume.virtualMachineId() != null) {
            throw new TargetPlatformException(op, "volume " + volumeId + " is attached to VM "
                    + volume.virtualMachineId() + (config.applianceVmId().equals(volume.virtualMachineId())
                    ? " (the appliance); detach it first" : ""));
        }
        run(op, key, "attachVolume", () -> client.attachVolume(volumeId, vmId, deviceId));
    }

    /** Detaches a volume from whatever VM has it. */
    private void detach(TargetOperation op, String volumeId) {
        String key = "detachVolume/" + volumeId;
        resume(op, key);
        Optional<Volume> volume = volume(op, volumeId);
        if (volume.isPresent() && volume.get().virtualMachineId() != null) {
            run(op, key, "detachVolume", () -> client.detachVolume(volumeId));
        }
    }

    /** Deletes a detached volume; one that is gone meanwhile is deleted. */
    private void delete(TargetOperation op, String volumeId) {
        try {
            client.deleteVolume(volumeId);
        } catch (CloudStackException e) {
            if (volume(op, volumeId).isPresent()) {
                throw failed(op, "deleteVolume of " + volumeId, e);
            }
        }
    }

    /** A snapshot of the volume under this name, made once. */
    private String snapshot(String volumeId, String name) {
        TargetOperation op = TargetOperation.CREATE_VM;
        String key = "createSnapshot/" + name;
        resume(op, key);
        Optional<Snapshot> existing = call(op, () -> client.listSnapshots(Map.of("volumeid", volumeId, "name", name)))
                .stream().filter(s -> name.equals(s.name()) && !GONE.contains(s.state())).findFirst();
        if (existing.isPresent()) {
            return existing.get().id();
        }
        JsonNode result = run(op, key, "createSnapshot", () -> client.createSnapshot(volumeId, name));
        return object(op, "createSnapshot", result, "snapshot", Snapshot.class).id();
    }

    /** A volume cloned from the snapshot under this name, made once. */
    private String clone(String snapshotId, String name) {
        TargetOperation op = TargetOperation.CREATE_VM;
        String key = "createVolume/" + name;
        resume(op, key);
        return volumeNamed(op, name).map(Volume::id).orElseGet(() -> {
            JsonNode result = run(op, key, "createVolume",
                    () -> client.createVolumeFromSnapshot(name, snapshotId, config.zoneId()));
            return object(op, "createVolume", result, "volume", Volume.class).id();
        });
    }

    // ---- async jobs

    /** Starts a job, records it, waits for it; answers its result. */
    private JsonNode run(TargetOperation op, String key, String command, Supplier<JobStarted> start) {
        JobStarted started = call(op, start);
        journal.recorded(journalKey(key), command, started.jobId());
        return await(op, key, command, started.jobId(), false);
    }

    /** {@link #run}, where a failure is success when the thing is gone afterwards ("not found" on delete). */
    private void runUnlessGone(TargetOperation op, String key, String command, Supplier<JobStarted> start,
            BooleanSupplier gone) {
        try {
            run(op, key, command, start);
        } catch (TargetPlatformException e) {
            if (!(e.getCause() instanceof CloudStackException cause && cause.kind() != CloudStackException.Kind.JOB_TIMEOUT
                    && gone.getAsBoolean())) {
                throw e;
            }
        }
    }

    /** Waits for the job an earlier attempt recorded for this operation, if any; a failed one fails this attempt. */
    private void resume(TargetOperation op, String key) {
        Optional<String> recorded = journal.recordedJob(journalKey(key));
        if (recorded.isEmpty()) {
            return;
        }
        await(op, key, key.substring(0, key.indexOf('/')), recorded.get(), true);
    }

    /**
     * Waits for a job; ends its record when it ended. With {@code resuming}, a job CloudStack answers 431
     * about (no longer known, purged) is ended too and the state lookups that follow decide.
     */
    private JsonNode await(TargetOperation op, String key, String command, String jobId, boolean resuming) {
        try {
            JsonNode result = client.awaitJob(command, jobId);
            journal.ended(journalKey(key));
            return result;
        } catch (CloudStackException e) {
            boolean unknown = resuming && e.kind() == CloudStackException.Kind.API_ERROR && e.errorCode() == 431;
            if (e.kind() == CloudStackException.Kind.JOB_FAILED || unknown) {
                journal.ended(journalKey(key));
            }
            if (unknown) {
                return null;
            }
            throw failed(op, key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetPlatformException(op, "interrupted while waiting on CloudStack job " + jobId + " ("
                    + command + "); it stays recorded and a retry waits on it", e);
        }
    }

    private String journalKey(String key) {
        return config.id() + "/" + key;
    }

    // ---- lookups

    private Optional<Volume> volume(TargetOperation op, String volumeId) {
        return call(op, () -> client.volume(volumeId)).filter(v -> !GONE.contains(v.state()));
    }

    private Optional<Volume> volumeNamed(TargetOperation op, String name) {
        return call(op, () -> client.listVolumes(Map.of("name", name, "zoneid", config.zoneId()))).stream()
                .filter(v -> name.equals(v.name()) && !GONE.contains(v.state())).findFirst();
    }

    /** The VM's volumes, data volumes first, the root last. */
    private List<Volume> volumesOf(TargetOperation op, String vmId) {
        return call(op, () -> client.listVolumes(Map.of("virtualmachineid", vmId))).stream()
                .sorted(Comparator.comparing((Volume v) -> "ROOT".equals(v.type()))
                        .thenComparing(v -> v.deviceId() == null ? Long.MAX_VALUE : v.deviceId()))
                .toList();
    }

    private Optional<VirtualMachine> vm(TargetOperation op, String vmId) {
        return call(op, () -> client.virtualMachine(vmId)).filter(vm -> !GONE.contains(vm.state()));
    }

    private Optional<VirtualMachine> vmNamed(TargetOperation op, String name) {
        return call(op, () -> client.listVirtualMachines(Map.of("name", name, "zoneid", config.zoneId()))).stream()
                .filter(vm -> name.equals(vm.name()) && !GONE.contains(vm.state())).findFirst();
    }

    private <T> List<T> named(TargetOperation op, Function<Map<String, String>, List<T>> list, String prefix,
            Function<T, String> name) {
        return call(op, () -> list.apply(Map.of("keyword", prefix))).stream()
                .filter(item -> name.apply(item) != null && name.apply(item).startsWith(prefix)).toList();
    }

    private ServiceOffering serviceOffering(TargetOperation op) {
        return call(op, client::listServiceOfferings).stream()
                .filter(o -> config.serviceOfferingId().equals(o.id())).findFirst()
                .orElseThrow(() -> new TargetPlatformException(op, "service offering " + config.serviceOfferingId()
                        + " of CloudStack target " + config.id() + " does not exist"));
    }

    private List<String> networks(NetworkMapping mapping, String kind, String network) {
        return mapping.networkIds(network).orElseThrow(() -> new TargetPlatformException(TargetOperation.CREATE_VM,
                network == null
                        ? "CloudStack target " + config.id() + " maps no default " + kind + " network"
                        : "network " + network + " is not in the " + kind + " network mapping of CloudStack target "
                                + config.id() + " (mapped: " + String.join(", ", mapping.networkIdsByName().keySet()) + ")"));
    }

    private static void requireVolumes(List<String> volumeIds) {
        if (volumeIds == null || volumeIds.isEmpty()) {
            throw new TargetPlatformException(TargetOperation.CREATE_VM, "a VM needs at least one volume");
        }
    }

    // ---- names

    /** The VM's CloudStack name: a host name from the spec's name, and 8 hex of the request key to tell failovers apart. */
    static String vmName(TargetVmSpec spec) {
        String host = spec.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (host.isEmpty() || !Character.isLetter(host.charAt(0))) {
            host = "vm-" + host;
        }
        host = host.substring(0, Math.min(host.length(), 54)).replaceAll("-+$", "");
        return host + "-" + hash(spec.requestKey());
    }

    /** {@code mk-<8 hex of the request key>}: the prefix of a test VM's snapshots and clones. */
    static String resourcePrefix(String requestKey) {
        return "mk-" + hash(requestKey);
    }

    private static String resourcePrefix(VirtualMachine vm) {
        return "mk-" + vm.name().substring(vm.name().lastIndexOf('-') + 1);
    }

    private static String hash(String requestKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    // ---- errors

    private <T> T call(TargetOperation op, Supplier<T> call) {
        try {
            return call.get();
        } catch (CloudStackException e) {
            throw failed(op, e.command(), e);
        }
    }

    private void serve(TargetOperation op, Runnable action) {
        try {
            action.run();
        } catch (TargetPlatformException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TargetPlatformException(op, "the appliance's NBD server failed: " + e.getMessage(), e);
        }
    }

    private <T> T object(TargetOperation op, String command, JsonNode result, String field, Class<T> type) {
        try {
            return CloudStackClient.objectOf(command, null, result, field, type);
        } catch (CloudStackException e) {
            throw failed(op, command, e);
        }
    }

    private TargetPlatformException failed(TargetOperation op, String what, CloudStackException e) {
        String hint = e.kind() == CloudStackException.Kind.JOB_TIMEOUT ? "; a retry waits on the same job" : "";
        return new TargetPlatformException(op, e.getMessage() + hint + " [CloudStack target " + config.id() + ", "
                + what + "]", e);
    }

    private static long sizeGb(Volume volume, long otherwise) {
        return volume.size() == null ? otherwise : (volume.size() + GIB - 1) / GIB;
    }
}
