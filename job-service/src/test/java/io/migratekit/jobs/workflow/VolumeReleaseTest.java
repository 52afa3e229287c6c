package io.migratekit.jobs.workflow;

import static io.migratekit.jobs.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.SimulatedCloudStack;
import io.migratekit.cloudstack.TargetOperation;
import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetVolume;
import io.migratekit.cloudstack.VolumeRequest;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.events.VolumesSuperseded;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Releasing superseded volumes on the simulated CloudStack. */
class VolumeReleaseTest {

    private final SimulatedCloudStack cloud = new SimulatedCloudStack("10.0.0.5", 10809);
    private final VolumeRelease release = new VolumeRelease(cloud);

    @Test
    void supersededVolumesAreDetachedAndDeletedAndARepeatReleasesNothingMore() {
        // given: job-1's two volumes, exported; job-2's volume, which stays
        TargetVolume a = exported("job-1", "disk-2000");
        TargetVolume b = exported("job-1", "disk-2001");
        TargetVolume kept = exported("job-2", "disk-2000");
        VolumesSuperseded event = superseded(a, b);

        // when
        String first = release.release(event);
        String second = release.release(event);

        // then
        assertThat(first).isEqualTo("released 2 volume(s) superseded by job job-2: " + a.volumeId() + ", "
                + b.volumeId());
        assertThat(second).isEqualTo("released 0 volume(s) superseded by job job-2");
        assertThat(cloud.volumes()).extracting(v -> v.volume().volumeId()).containsExactly(kept.volumeId());
    }

    @Test
    void aVolumeThatCannotBeDeletedIsNamedAfterTheOthersAreReleased() {
        // given
        TargetVolume a = exported("job-1", "disk-2000");
        TargetVolume b = exported("job-1", "disk-2001");
        cloud.failNext(TargetOperation.DELETE_VOLUME, 1);

        // when / then
        assertThatThrownBy(() -> release.release(superseded(a, b)))
                .isInstanceOf(TargetPlatformException.class)
                .hasMessage("could not release the volumes job job-2 superseded: " + a.volumeId()
                        + " (CloudStack refused DELETE_VOLUME of volume " + a.volumeId() + " (injected failure))");
        assertThat(cloud.volumes()).extracting(v -> v.volume().volumeId()).containsExactly(a.volumeId());
    }

    private TargetVolume exported(String jobId, String diskId) {
        TargetVolume volume = cloud.createVolume(new VolumeRequest(jobId, diskId, 10, jobId + "-" + diskId));
        cloud.attachToAppliance(volume.volumeId());
        return volume;
    }

    private static VolumesSuperseded superseded(TargetVolume... volumes) {
        List<VolumeAttachment> attachments = java.util.Arrays.stream(volumes).map(v -> VolumeAttachment.newBuilder()
                .setDiskId(v.diskId()).setVmwareDiskKey(v.diskId().substring(5)).setVolumeId(v.volumeId())
                .setNbdExportName("migration-vol-" + v.volumeId()).setDevicePath("nbd://10.0.0.5:10809/x")
                .setSizeGb(v.sizeGb()).setReused(false).build()).toList();
        return VolumesSuperseded.newBuilder().setEventId("e-1").setOccurredAt(T0).setCorrelationId("req-2")
                .setVmwareVmId("vm-1").setContextId("ctx-1").setJobId("job-2").setVolumes(attachments).build();
    }
}
