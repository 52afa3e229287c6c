package io.migratekit.jobs.workflow;

import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetOperation;
import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.events.VolumesSuperseded;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Releases the volumes a completed job superseded: each one still there is detached from the
 * appliance and deleted in the CloudStack target that has it; one no target has is already gone and skipped, so a redelivered event does no harm. It does
 * not decide which volumes are superseded (the decision does, and only after the new copy completed).
 */
public final class VolumeRelease {

    private final TargetPlatforms targets;

    public VolumeRelease(TargetPlatforms targets) {
        this.targets = Objects.requireNonNull(targets, "targets");
    }

    /**
     * Releases every volume of the event and returns a line saying so.
     *
     * @throws TargetPlatformException after trying all of them, naming those that could not be released
     */
    public String release(VolumesSuperseded event) {
        List<String> released = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (VolumeAttachment volume : event.getVolumes()) {
            String volumeId = volume.getVolumeId();
            try {
                Optional<TargetPlatform> holder = targets.holdingVolume(volumeId);
                if (holder.isEmpty()) {
                    continue;
                }
                TargetPlatform target = holder.get();
                target.detachFromAppliance(volumeId);
                target.deleteVolume(volumeId);
                released.add(volumeId);
            } catch (TargetPlatformException e) {
                failed.add(volumeId + " (" + e.getMessage() + ")");
            }
        }
        if (!failed.isEmpty()) {
            throw new TargetPlatformException(TargetOperation.DELETE_VOLUME, "could not release the volumes job " + event.getJobId()
                    + " superseded: " + String.join(", ", failed));
        }
        return "released " + released.size() + " volume(s) superseded by job " + event.getJobId()
                + (released.isEmpty() ? "" : ": " + String.join(", ", released));
    }
}
