package io.migratekit.cloudstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An in-memory CloudStack with the rules of the real one that matter to the control plane: a
 * volume attached to the appliance cannot be deleted or given to a VM, a volume a VM uses cannot be
 * deleted, creation is idempotent by job and disk (volumes) or request key (VMs), deletion of what is
 * gone succeeds. Ids are random UUIDs like CloudStack's. Thread-safe.
 *
 * <p>For tests it takes injected latency and failures per {@link TargetOperation}, and shows its
 * state ({@link #volumes()}, {@link #vms()}). It needs no credentials and talks to nothing; it owns
 * no real storage and does not serve NBD (the export names and URLs are those the appliance's NBD
 * server at {@code nbdHost:nbdPort} would serve).
 */
public final class SimulatedCloudStack implements TargetPlatform {

    /** A volume as the simulation holds it. */
    public record VolumeState(TargetVolume volume, boolean attachedToAppliance, String usedByVm, boolean snapshotClone) {
    }

    private final String nbdHost;
    private final int nbdPort;
    private final Object lock = new Object();
    private final Map<String, VolumeState> volumes = new LinkedHashMap<>();
    private final Map<String, String> volumeByJobDisk = new LinkedHashMap<>();
    private final Map<String, TargetVm> vms = new LinkedHashMap<>();
    private final Map<String, String> vmByRequestKey = new LinkedHashMap<>();
    private final Map<TargetOperation, Duration> latency = new EnumMap<>(TargetOperation.class);
    private final Map<TargetOperation, Integer> failures = new EnumMap<>(TargetOperation.class);

    /**
     * @param nbdHost the appliance's NBD server as the VMA reaches it
     * @param nbdPort its port (10809 by NBD convention)
     */
    public SimulatedCloudStack(String nbdHost, int nbdPort) {
        this.nbdHost = Objects.requireNonNull(nbdHost, "nbdHost");
        if (nbdPort <= 0 || nbdPort > 65535) {
            throw new IllegalArgumentException("NBD port out of range: " + nbdPort);
        }
        this.nbdPort = nbdPort;
    }

    /** Every later call of {@code operation} waits this long before acting. */
    public SimulatedCloudStack latency(TargetOperation operation, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        synchronized (lock) {
            latency.put(operation, delay);
        }
        return this;
    }

    /** The next {@code times} calls of {@code operation} fail without changing anything. */
    public SimulatedCloudStack failNext(TargetOperation operation, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times must not be negative");
        }
        synchronized (lock) {
            failures.put(operation, times);
        }
        return this;
    }

    /** Every later call of {@code operation} fails, until {@link #clearFaults()}. */
    public SimulatedCloudStack failAlways(TargetOperation operation) {
        synchronized (lock) {
            failures.put(operation, Integer.MAX_VALUE);
        }
        return this;
    }

    /** Removes every injected latency and failure. */
    public void clearFaults() {
        synchronized (lock) {
            latency.clear();
            failures.clear();
        }
    }

    /** Every volume that exists, in creation order. */
    public List<VolumeState> volumes() {
        synchronized (lock) {
            return List.copyOf(volumes.values());
        }
    }

    /** The state of one volume. */
    public Optional<VolumeState> volume(String volumeId) {
        synchronized (lock) {
            return Optional.ofNullable(volumes.get(volumeId));
        }
    }

    /** Every VM that exists, in creation order. */
    public List<TargetVm> vms() {
        synchronized (lock) {
            return List.copyOf(vms.values());
        }
    }

    @Override
    public TargetVolume createVolume(VolumeRequest request) {
        Objects.requireNonNull(request, "request");
        enter(TargetOperation.CREATE_VOLUME, "volume for " + request.diskId() + " of job " + request.jobId());
        synchronized (lock) {
            String key = request.jobId() + "/" + request.diskId();
            String existing = volumeByJobDisk.get(key);
            if (existing != null) {
                return volumes.get(existing).volume();
            }
            TargetVolume volume = new TargetVolume(UUID.randomUUID().toString(), request.name(), request.sizeGb(),
                    request.jobId(), request.diskId());
            volumes.put(volume.volumeId(), new VolumeState(volume, false, null, false));
            volumeByJobDisk.put(key, volume.volumeId());
            return volume;
        }
    }

    @Override
    public Optional<TargetVolume> findVolume(String volumeId) {
        synchronized (lock) {
            return Optional.ofNullable(volumes.get(volumeId)).map(VolumeState::volume);
        }
    }

    @Override
    public NbdExport attachToAppliance(String volumeId) {
        enter(TargetOperation.ATTACH_VOLUME, "volume " + volumeId);
        synchronized (lock) {
            VolumeState state = existing(TargetOperation.ATTACH_VOLUME, volumeId);
            if (state.usedByVm() != null) {
                throw new TargetPlatformException(TargetOperation.ATTACH_VOLUME,
                        "volume " + volumeId + " is in use by VM " + state.usedByVm());
            }
            volumes.put(volumeId, new VolumeState(state.volume(), true, null, state.snapshotClone()));
            return NbdExport.of(volumeId, nbdHost, nbdPort);
        }
    }

    @Override
    public void detachFromAppliance(String volumeId) {
        enter(TargetOperation.DETACH_VOLUME, "volume " + volumeId);
        synchronized (lock) {
            VolumeState state = existing(TargetOperation.DETACH_VOLUME, volumeId);
            volumes.put(volumeId, new VolumeState(state.volume(), false, state.usedByVm(), state.snapshotClone()));
        }
    }

    @Override
    public void deleteVolume(String volumeId) {
        enter(TargetOperation.DELETE_VOLUME, "volume " + volumeId);
        synchronized (lock) {
            VolumeState state = volumes.get(volumeId);
            if (state == null) {
                return;
            }
            if (state.attachedToAppliance()) {
                throw new TargetPlatformException(TargetOperation.DELETE_VOLUME,
                        "volume " + volumeId + " is attached to the appliance; detach it first");
            }
            if (state.usedByVm() != null) {
                throw new TargetPlatformException(TargetOperation.DELETE_VOLUME,
                        "volume " + volumeId + " is in use by VM " + state.usedByVm());
            }
            volumes.remove(volumeId);
            volumeByJobDisk.values().remove(volumeId);
        }
    }

    @Override
    public TargetVm createVmFromVolumes(TargetVmSpec spec, List<String> volumeIds) {
        Objects.requireNonNull(spec, "spec");
        enter(TargetOperation.CREATE_VM, "VM " + spec.name());
        synchronized (lock) {
            Optional<TargetVm> existing = byRequestKey(spec.requestKey());
            if (existing.isPresent()) {
                return existing.get();
            }
            requireVolumes(volumeIds);
            for (String volumeId : volumeIds) {
                VolumeState state = volumes.get(volumeId);
                if (state.attachedToAppliance()) {
                    throw new TargetPlatformException(TargetOperation.CREATE_VM,
                            "volume " + volumeId + " is attached to the appliance; detach it first");
                }
                if (state.usedByVm() != null) {
                    throw new TargetPlatformException(TargetOperation.CREATE_VM,
                            "volume " + volumeId + " is in use by VM " + state.usedByVm());
                }
            }
            String vmId = UUID.randomUUID().toString();
            for (String volumeId : volumeIds) {
                VolumeState state = volumes.get(volumeId);
                volumes.put(volumeId, new VolumeState(state.volume(), false, vmId, state.snapshotClone()));
            }
            return register(new TargetVm(vmId, spec, volumeIds, false, false));
        }
    }

    @Override
    public TargetVm createVmFromSnapshots(TargetVmSpec spec, List<String> volumeIds) {
        Objects.requireNonNull(spec, "spec");
        enter(TargetOperation.CREATE_VM, "VM " + spec.name());
        synchronized (lock) {
            Optional<TargetVm> existing = byRequestKey(spec.requestKey());
            if (existing.isPresent()) {
                return existing.get();
            }
            requireVolumes(volumeIds);
            String vmId = UUID.randomUUID().toString();
            List<String> clones = new ArrayList<>();
            for (String volumeId : volumeIds) {
                TargetVolume source = volumes.get(volumeId).volume();
                TargetVolume clone = new TargetVolume(UUID.randomUUID().toString(), source.name() + "-snapshot-clone",
                        source.sizeGb(), source.jobId(), source.diskId());
                volumes.put(clone.volumeId(), new VolumeState(clone, false, vmId, true));
                clones.add(clone.volumeId());
            }
            return register(new TargetVm(vmId, spec, clones, true, false));
        }
    }

    @Override
    public Optional<TargetVm> findVm(String vmId) {
        synchronized (lock) {
            return Optional.ofNullable(vms.get(vmId));
        }
    }

    @Override
    public void powerOn(String vmId) {
        enter(TargetOperation.POWER_ON_VM, "VM " + vmId);
        synchronized (lock) {
            TargetVm vm = vms.get(vmId);
            if (vm == null) {
                throw new TargetPlatformException(TargetOperation.POWER_ON_VM, "VM " + vmId + " does not exist");
            }
            vms.put(vmId, new TargetVm(vm.vmId(), vm.spec(), vm.volumeIds(), vm.fromSnapshots(), true));
        }
    }

    @Override
    public void deleteVm(String vmId) {
        enter(TargetOperation.DELETE_VM, "VM " + vmId);
        synchronized (lock) {
            TargetVm vm = vms.remove(vmId);
            if (vm == null) {
                return;
            }
            vmByRequestKey.values().remove(vmId);
            for (String volumeId : vm.volumeIds()) {
                VolumeState state = volumes.get(volumeId);
                if (state == null) {
                    continue;
                }
                if (state.snapshotClone()) {
                    volumes.remove(volumeId);
                } else {
                    volumes.put(volumeId, new VolumeState(state.volume(), false, null, false));
                }
            }
        }
    }

    private TargetVm register(TargetVm vm) {
        vms.put(vm.vmId(), vm);
        vmByRequestKey.put(vm.spec().requestKey(), vm.vmId());
        return vm;
    }

    private Optional<TargetVm> byRequestKey(String requestKey) {
        String vmId = vmByRequestKey.get(requestKey);
        return vmId == null ? Optional.empty() : Optional.ofNullable(vms.get(vmId));
    }

    private void requireVolumes(List<String> volumeIds) {
        if (volumeIds == null || volumeIds.isEmpty()) {
            throw new TargetPlatformException(TargetOperation.CREATE_VM, "a VM needs at least one volume");
        }
        for (String volumeId : volumeIds) {
            existing(TargetOperation.CREATE_VM, volumeId);
        }
    }

    private VolumeState existing(TargetOperation operation, String volumeId) {
        VolumeState state = volumes.get(volumeId);
        if (state == null) {
            throw new TargetPlatformException(operation, "volume " + volumeId + " does not exist");
        }
        return state;
    }

    /** Applies the injected latency (outside the lock) and the injected failure of an operation. */
    private void enter(TargetOperation operation, String subject) {
        Duration delay;
        synchronized (lock) {
            delay = latency.getOrDefault(operation, Duration.ZERO);
        }
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetPlatformException(operation, operation + " of " + subject + " was interrupted", e);
            }
        }
        synchronized (lock) {
            int remaining = failures.getOrDefault(operation, 0);
            if (remaining > 0) {
                if (remaining != Integer.MAX_VALUE) {
                    failures.put(operation, remaining - 1);
                }
                throw new TargetPlatformException(operation,
                        "CloudStack refused " + operation + " of " + subject + " (injected failure)");
            }
        }
    }
}
