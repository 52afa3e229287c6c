package io.migratekit.vmasim;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The content of every simulated disk of one simulator, created on first use so an inventory of
 * thousands of VMs costs nothing until a disk is copied or written.
 *
 * <p>Owns the lookup by (VM id, disk key) and the size of a disk's content area: the configured
 * content size, or the disk's capacity when that is smaller. Content lives in memory only: after a
 * restart every disk is back to its generated content and every earlier change id is unknown.
 */
final class DiskContents {

    private final long contentBytes;
    private final ConcurrentHashMap<String, DiskContent> disks = new ConcurrentHashMap<>();

    DiskContents(long contentBytes) {
        this.contentBytes = contentBytes;
    }

    DiskContent of(SimVm vm, SimDisk disk) {
        return disks.computeIfAbsent(vm.id() + "|" + disk.key(),
                k -> new DiskContent(vm.id(), disk.key(), Math.min(contentBytes, disk.capacityBytes())));
    }
}
