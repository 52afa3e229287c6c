package io.migratekit.progress.follow;

import java.util.List;
import java.util.Locale;

/**
 * Matches the disk ids the pipeline's events and the VMA use for one disk: {@code disk-2000} (the
 * VMA's id, our volumes' {@code disk_id}) and the bare device key {@code 2000}. Owns the matching only.
 */
public final class DiskIds {

    private static final String PREFIX = "disk-";

    private DiskIds() {
    }

    /** The device key part of a disk id, lower case and trimmed: {@code disk-2000} and {@code 2000} both give {@code 2000}. */
    public static String key(String diskId) {
        if (diskId == null) {
            return "";
        }
        String id = diskId.trim().toLowerCase(Locale.ROOT);
        return id.startsWith(PREFIX) ? id.substring(PREFIX.length()) : id;
    }

    /** The id in {@code jobDisks} that names the same disk as {@code diskId}, or null when none does. */
    public static String match(List<String> jobDisks, String diskId) {
        String wanted = key(diskId);
        if (wanted.isEmpty()) {
            return null;
        }
        for (String disk : jobDisks) {
            if (key(disk).equals(wanted)) {
                return disk;
            }
        }
        return null;
    }
}
