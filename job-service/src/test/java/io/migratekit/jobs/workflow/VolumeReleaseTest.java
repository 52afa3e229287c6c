package io.migratekit.jobs.workflow;

import static io.migratekit.jobs.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.SimulatorTarget;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.cloudstack.TargetPlatformException;
import io.migratekit.cloudstack.TargetVolume;
import io.migratekit.cloudstack.VolumeRequest;
import io.migratekit.events.VolumeAttachment;
import io.migratekit.events.VolumesSuperseded;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Releasing superseded volumes on a CloudStack target (our platform on the CloudStack API simulator). */
class VolumeReleaseTest {

    @TempDir
    Path dir;
    private SimulatorTarget cloud;
    private TargetPlatform target;
    private VolumeRelease release;

    @BeforeEach
    void start() {
        cloud = SimulatorTarget.start(dir, 1, "10.0.0.5");
        target = cloud.platform();
        release = new VolumeRelease(TargetPlatforms.single(1, target));
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

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
        assertThat(cloud.volumes()).extracting(SimulatorTarget.Volume::id).containsExactly(kept.volumeId());
    }

    @Test
    void aVolumeThatCannotBeDeletedIsNamedAfterTheOthersAreReleased() {
        // given
        TargetVolume a = exported("job-1", "disk-2000");
        TargetVolume b = exported("job-1", "disk-2001");
        cloud.failNext("deleteVolume", 1);

        // when / then
        assertThatThrownBy(() -> release.release(superseded(a, b)))
                .isInstanceOf(TargetPlatformException.class)
                .hasMessage("could not release the volumes job job-2 superseded: " + a.volumeId()
                        + " (CloudStack deleteVolume failed: injected fault: CloudStack answered 530 (errorcode 530,"
                        + " cserrorcode 4250) [CloudStack target 1, deleteVolume of " + a.volumeId() + "])");
        assertThat(cloud.volumes()).extracting(SimulatorTarget.Volume::id).containsExactly(a.volumeId());
    }

    private TargetVolume exported(String jobId, String diskId) {
        TargetVolume volume = target.createVolume(new VolumeRequest(jobId, diskId, 10, jobId + "-" + diskId));
        target.attachToAppliance(volume.volumeId());
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
