package io.migratekit.vma;

import java.util.List;

/**
 * The JSON shapes of the VMA wire contract ({@code docs/vma-api.md}), field for field, as Java records
 * (snake_case on the wire). Unknown fields are ignored so a newer VMA does not break us.
 */
public final class VmaDtos {

    private VmaDtos() {
    }

    public record DiscoverRequest(String vcenter, String username, String password, String datacenter, String filter) {
        @Override
        public String toString() {
            return "DiscoverRequest[vcenter=" + vcenter + ", datacenter=" + datacenter + ", filter=" + filter + "]";
        }
    }

    public record DiscoverResponse(VcenterInfo vcenter, List<Vm> vms) {
    }

    public record VcenterInfo(String host, String datacenter) {
    }

    public record Vm(String id, String name, String path, String datacenter, String powerState, String guestOs,
            Integer numCpu, Long memoryMb, String vmxVersion, Integer cpus, String osType, List<Disk> disks,
            List<Network> networks) {
    }

    public record Disk(String id, String label, String path, String vmdkPath, Long sizeGb, Long capacityBytes,
            String datastore, String provisioningType, Integer unitNumber) {
    }

    public record Network(String label, String networkName, String adapterType, String macAddress, Boolean connected) {
    }

    public record NbdTarget(String devicePath, String vmwareDiskKey) {
    }

    public record ReplicateRequest(String jobId, String vcenter, String username, String password,
            List<String> vmPaths, String omaUrl, List<NbdTarget> nbdTargets) {
        @Override
        public String toString() {
            return "ReplicateRequest[jobId=" + jobId + ", vcenter=" + vcenter + ", vmPaths=" + vmPaths
                    + ", nbdTargets=" + nbdTargets + "]";
        }
    }

    public record ReplicateResponse(String jobId, String status, Integer vmCount, String startedAt) {
    }

    public record Throughput(Double currentMbps, Double averageMbps, Double peakMbps) {
    }

    public record Timing(String startTime, String lastUpdate, Long elapsedMs, Long etaSeconds) {
    }

    public record DiskProgress(String diskId, String label, Long bytesTransferred, Long totalBytes, Double percent,
            Double throughputMbps, String status) {
    }

    public record Progress(String jobId, String status, String syncType, String phase, Double percentage,
            String currentOperation, Long bytesTransferred, Long totalBytes, Throughput throughput, Timing timing,
            List<DiskProgress> diskProgresses, List<String> errors, String lastError) {
    }

    public record PowerRequest(String vcenter, String username, String password, boolean force, int timeout) {
        @Override
        public String toString() {
            return "PowerRequest[vcenter=" + vcenter + ", force=" + force + ", timeout=" + timeout + "]";
        }
    }

    public record PowerResponse(Boolean success, String vmId, String previousState, String newState, String operation,
            String shutdownMethod, Double durationSeconds, String timestamp, String message) {
    }

    public record PowerState(String vmId, String powerState, String toolsStatus, String timestamp) {
    }
}
