package io.migratekit.discovery;

import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.SourceVm;

/**
 * What one replication request asks discovery to find: the VM (id and exact name) and where to
 * look (vCenter host and datacenter, the request's own fields first, then those of its
 * {@code source_vm}). Owns that choice only; the client's disk and hardware fields are never read.
 *
 * @param vmId        the requested VMware BIOS UUID ({@code source_vm.id})
 * @param vmName      the requested VM name ({@code source_vm.name}), also its term of the VMA's filter
 * @param vcenterHost the vCenter to ask, or null when the request names none
 * @param datacenter  the datacenter to search, or null for any
 */
public record DiscoveryTarget(String vmId, String vmName, String vcenterHost, String datacenter) {

    public static DiscoveryTarget of(ReplicationRequest request) {
        SourceVm source = request.getSourceVm();
        return new DiscoveryTarget(source.getId(), source.getName(),
                firstNonBlank(request.getVcenterHost(), source.getVcenterHost()),
                firstNonBlank(request.getDatacenter(), source.getDatacenter()));
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first.strip();
        }
        if (second != null && !second.isBlank()) {
            return second.strip();
        }
        return null;
    }
}
