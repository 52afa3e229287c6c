package io.migratekit.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.SimulatedCloudStack.VolumeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedCloudStackTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final SimulatedCloudStack cloud = new SimulatedCloudStack("10.0.0.5", 10809);

    @Test
    void createsOneVolumePerJobAndDiskWithAUuid() {
        // when
        TargetVolume first = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "vm1-disk-2000"));
        TargetVolume again = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "vm1-disk-2000"));
        TargetVolume other = cloud.createVolume(new VolumeRequest("job-1", "disk-2001", 10, "vm1-disk-2001"));

        // then
        assertThat(first.volumeId()).matches(UUID_PATTERN);
        assertThat(first).isEqualTo(new TargetVolume(first.volumeId(), "vm1-disk-2000", 40, "job-1", "disk-2000"));
        assertThat(again).isEqualTo(first);
        assertThat(other.volumeId()).isNotEqualTo(first.volumeId());
        assertThat(cloud.volumes()).containsExactly(
                new VolumeState(first, false, null, false),
                new VolumeState(other, false, null, false));
    }

    @Test
    void exportsAnAttachedVolumeOverNbdUnderItsMigrationName() {
        // given
        TargetVolume volume = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "vm1-disk-2000"));

        // when
        NbdExport export = cloud.attachToAppliance(volume.volumeId());
        NbdExport again = cloud.attachToAppliance(volume.volumeId());

        // then
        String name = "migration-vol-" + volume.volumeId();
        assertThat(export).isEqualTo(new NbdExport(volume.volumeId(), name, "nbd://10.0.0.5:10809/" + name));
        assertThat(again).isEqualTo(export);
        assertThat(cloud.volume(volume.volumeId())).contains(new VolumeState(volume, true, null, false));
    }

    @Test
    void refusesToDeleteAnAttachedVolumeAndDeletesItOnceDetached() {
        // given
        TargetVolume volume = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "v"));
        cloud.attachToAppliance(volume.volumeId());

        // when / then
        assertThatThrownBy(() -> cloud.deleteVolume(volume.volumeId()))
                .isInstanceOf(TargetPlatformException.class)
                .hasMessage("volume " + volume.volumeId() + " is attached to the appliance; detach it first");

        cloud.detachFromAppliance(volume.volumeId());
        cloud.deleteVolume(volume.volumeId());
        cloud.deleteVolume(volume.volumeId());
        assertThat(cloud.volumes()).isEmpty();
    }

    @Test
    void aDeletedVolumeIsCreatedAfreshForTheSameJobAndDisk() {
        // given
        TargetVolume first = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "v"));
        cloud.deleteVolume(first.volumeId());

        // when
        TargetVolume second = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "v"));

        // then
        assertThat(second.volumeId()).isNotEqualTo(first.volumeId());
        assertThat(cloud.volumes()).containsExactly(new VolumeState(second, false, null, false));
    }

    @Test
    void injectedFailuresFailTheNextCallsOnlyAndChangeNothing() {
        // given
        cloud.failNext(TargetOperation.CREATE_VOLUME, 2);
        VolumeRequest request = new VolumeRequest("job-1", "disk-2000", 40, "v");

        // when / then
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cloud.createVolume(request))
                    .isInstanceOf(TargetPlatformException.class)
                    .hasMessage("CloudStack refused CREATE_VOLUME of volume for disk-2000 of job job-1 (injected failure)")
                    .extracting(e -> ((TargetPlatformException) e).operation())
                    .isEqualTo(TargetOperation.CREATE_VOLUME);
        }
        assertThat(cloud.volumes()).isEmpty();
        TargetVolume volume = cloud.createVolume(request);
        assertThat(cloud.volumes()).containsExactly(new VolumeState(volume, false, null, false));
    }

    @Test
    void failAlwaysLastsUntilTheFaultsAreCleared() {
        // given
        TargetVolume volume = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "v"));
        cloud.failAlways(TargetOperation.ATTACH_VOLUME);

        // when / then
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cloud.attachToAppliance(volume.volumeId()))
                    .isInstanceOf(TargetPlatformException.class);
        }
        cloud.clearFaults();
        assertThat(cloud.attachToAppliance(volume.volumeId()).volumeId()).isEqualTo(volume.volumeId());
    }

    @Test
    void injectedLatencyHoldsTheCallAndAnInterruptAbortsIt() throws Exception {
        // given
        cloud.latency(TargetOperation.CREATE_VOLUME, Duration.ofSeconds(30));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<TargetVolume> creation = executor.submit(
                    () -> cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "v")));

            // when
            boolean doneEarly = creation.isDone();
            creation.cancel(true);

            // then
            assertThat(doneEarly).isFalse();
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cloud.volumes()).isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void concurrentRedeliveriesOfOneJobCreateOneVolumePerDisk() throws Exception {
        // given
        ExecutorService executor = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Callable<Void>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String disk = "disk-200" + (i % 2);
            calls.add(() -> {
                start.await();
                ids.add(cloud.createVolume(new VolumeRequest("job-7", disk, 20, "v")).volumeId());
                return null;
            });
        }
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> call : calls) {
                futures.add(executor.submit(call));
            }

            // when
            start.countDown();
            for (Future<Void> future : futures) {
                future.get(10, TimeUnit.SECONDS);
            }

            // then
            assertThat(ids).hasSize(2);
            assertThat(cloud.volumes()).extracting(s -> s.volume().diskId())
                    .containsExactlyInAnyOrder("disk-2000", "disk-2001");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aLiveVmBootsFromDetachedVolumesWhichOutliveIt() {
        // given
        TargetVolume root = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "root"));
        TargetVolume data = cloud.createVolume(new VolumeRequest("job-1", "disk-2001", 10, "data"));
        cloud.attachToAppliance(root.volumeId());
        TargetVmSpec spec = new TargetVmSpec("failover-1", "pgtest1", 2, 8192, "linux", null);

        // when / then: still attached to the appliance
        assertThatThrownBy(() -> cloud.createVmFromVolumes(spec, List.of(root.volumeId(), data.volumeId())))
                .isInstanceOf(TargetPlatformException.class)
                .hasMessage("volume " + root.volumeId() + " is attached to the appliance; detach it first");
        assertThat(cloud.vms()).isEmpty();

        // when: detached
        cloud.detachFromAppliance(root.volumeId());
        TargetVm vm = cloud.createVmFromVolumes(spec, List.of(root.volumeId(), data.volumeId()));
        TargetVm again = cloud.createVmFromVolumes(spec, List.of(root.volumeId(), data.volumeId()));
        cloud.powerOn(vm.vmId());

        // then
        assertThat(again).isEqualTo(vm);
        assertThat(cloud.vms()).containsExactly(
                new TargetVm(vm.vmId(), spec, List.of(root.volumeId(), data.volumeId()), false, true));
        assertThatThrownBy(() -> cloud.deleteVolume(data.volumeId()))
                .hasMessage("volume " + data.volumeId() + " is in use by VM " + vm.vmId());

        // when: the VM goes
        cloud.deleteVm(vm.vmId());
        cloud.deleteVm(vm.vmId());

        // then: the volumes stay, free
        assertThat(cloud.vms()).isEmpty();
        assertThat(cloud.volumes()).containsExactly(
                new VolumeState(root, false, null, false),
                new VolumeState(data, false, null, false));
    }

    @Test
    void aTestVmRunsOnClonesThatGoWithIt() {
        // given
        TargetVolume root = cloud.createVolume(new VolumeRequest("job-1", "disk-2000", 40, "root"));
        cloud.attachToAppliance(root.volumeId());
        TargetVmSpec spec = new TargetVmSpec("failover-2", "pgtest1", 2, 4096, "linux", "test-net");

        // when
        TargetVm vm = cloud.createVmFromSnapshots(spec, List.of(root.volumeId()));
        cloud.powerOn(vm.vmId());

        // then
        assertThat(vm.fromSnapshots()).isTrue();
        assertThat(vm.volumeIds()).hasSize(1).doesNotContain(root.volumeId());
        String cloneId = vm.volumeIds().get(0);
        assertThat(cloud.volume(cloneId)).contains(new VolumeState(
                new TargetVolume(cloneId, "root-snapshot-clone", 40, "job-1", "disk-2000"), false, vm.vmId(), true));
        assertThat(cloud.findVm(vm.vmId())).contains(new TargetVm(vm.vmId(), spec, List.of(cloneId), true, true));

        // when
        cloud.deleteVm(vm.vmId());

        // then: the source volume is untouched and still exported
        assertThat(cloud.volumes()).containsExactly(new VolumeState(root, true, null, false));
        assertThat(cloud.vms()).isEmpty();
    }

    @Test
    void powerOnOfAnUnknownVmFails() {
        assertThatThrownBy(() -> cloud.powerOn("nope"))
                .isInstanceOf(TargetPlatformException.class)
                .hasMessage("VM nope does not exist");
    }
}
