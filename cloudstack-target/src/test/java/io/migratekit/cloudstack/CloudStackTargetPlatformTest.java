package io.migratekit.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.client.CannedCloudStack;
import io.migratekit.cloudstack.client.CannedCloudStack.Captured;
import io.migratekit.cloudstack.client.CloudStackClient;
import io.migratekit.cloudstack.client.CloudStackClient.Timing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Contract tests of the command sequences against canned CloudStack answers, exactly as the API documents them. */
class CloudStackTargetPlatformTest {

    static final String SECRET = "secret-of-the-canned-cloud";
    static final Timing FAST = new Timing(Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofMillis(20),
            Duration.ofSeconds(10), Duration.ofMinutes(5));
    private static final String VOLUME_ID = "5f0e6a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final long GIB = 1024L * 1024 * 1024;

    private final CannedCloudStack cloud = canned();
    private final InMemoryAsyncJobJournal journal = new InMemoryAsyncJobJournal();
    private final RecordingNbdServer nbd = new RecordingNbdServer();
    private final CloudStackTargetConfig config = config(cloud.url());
    private final CloudStackTargetPlatform platform = platform(FAST);

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void createsAVolumeAttachesItToTheApplianceAndExportsItsDevice() {
        // given
        String name = "migratekit-pgtest1-disk-2000-job-1";
        List<List<String>> sentWhenRecorded = new ArrayList<>();
        journal.onRecorded(() -> sentWhenRecorded.add(cloud.commands()));
        cloud.ok("listVolumes", "{}")
                .ok("createVolume", "{\"jobid\":\"job-c\",\"id\":\"" + VOLUME_ID + "\"}")
                .job("job-c", 0, null)
                .job("job-c", 1, "{\"volume\":" + volume(VOLUME_ID, name, "DATADISK", null, null) + "}")
                .ok("listVolumes", volumes(volume(VOLUME_ID, name, "DATADISK", null, null)))
                .ok("attachVolume", "{\"jobid\":\"job-a\"}")
                .job("job-a", 1, "{\"volume\":" + volume(VOLUME_ID, name, "DATADISK", "app-1", 1L) + "}");

        // when
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-1", "disk-2000", 40, name));
        NbdExport export = platform.attachToAppliance(volume.volumeId());

        // then
        assertThat(volume).isEqualTo(new TargetVolume(VOLUME_ID, name, 40, "job-1", "disk-2000"));
        assertThat(export).isEqualTo(new NbdExport(VOLUME_ID, "migration-vol-" + VOLUME_ID,
                "nbd://10.0.0.5:10809/migration-vol-" + VOLUME_ID));
        assertThat(nbd.calls()).containsExactly(
                "export migration-vol-" + VOLUME_ID + " /dev/disk/by-id/virtio-5f0e6a2b3c4d4e5f8a9b");
        assertThat(cloud.commands()).containsExactly("listVolumes", "createVolume", "queryAsyncJobResult",
                "queryAsyncJobResult", "listVolumes", "attachVolume", "queryAsyncJobResult");
        List<Captured> sent = cloud.requests();
        assertThat(sent.get(0).own()).isEqualTo(Map.of("name", name, "zoneid", "z-1", "listall", "true"));
        assertThat(sent.get(1).own()).isEqualTo(Map.of("name", name, "size", "40", "diskofferingid", "d-1",
                "zoneid", "z-1"));
        assertThat(sent.get(2).own()).isEqualTo(Map.of("jobid", "job-c"));
        assertThat(sent.get(4).own()).isEqualTo(Map.of("id", VOLUME_ID, "listall", "true"));
        assertThat(sent.get(5).own()).isEqualTo(Map.of("id", VOLUME_ID, "virtualmachineid", "app-1"));
        assertThat(sent.get(6).own()).isEqualTo(Map.of("jobid", "job-a"));
        // every job was recorded before its first poll
        assertThat(sentWhenRecorded).containsExactly(
                List.of("listVolumes", "createVolume"),
                List.of("listVolumes", "createVolume", "queryAsyncJobResult", "queryAsyncJobResult", "listVolumes",
                        "attachVolume"));
        assertThat(journal.log()).containsExactly(
                "recorded 1/createVolume/" + name + " createVolume job-c",
                "ended 1/createVolume/" + name,
                "recorded 1/attachVolume/" + VOLUME_ID + " attachVolume job-a",
                "ended 1/attachVolume/" + VOLUME_ID);
        assertThat(journal.open()).isEmpty();
    }

    @Test
    void aRestartResumesWaitingOnTheRecordedJobInsteadOfCreatingAgain() {
        // given: an earlier process started createVolume and recorded its job, then stopped
        String name = "migratekit-pgtest1-disk-2000-job-1";
        journal.recorded("1/createVolume/" + name, "createVolume", "job-c");
        cloud.job("job-c", 0, null)
                .job("job-c", 1, "{\"volume\":" + volume(VOLUME_ID, name, "DATADISK", null, null) + "}")
                .ok("listVolumes", volumes(volume(VOLUME_ID, name, "DATADISK", null, null)));

        // when
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-1", "disk-2000", 40, name));

        // then
        assertThat(volume).isEqualTo(new TargetVolume(VOLUME_ID, name, 40, "job-1", "disk-2000"));
        assertThat(cloud.commands()).containsExactly("queryAsyncJobResult", "queryAsyncJobResult", "listVolumes");
        assertThat(cloud.requests().get(0).own()).isEqualTo(Map.of("jobid", "job-c"));
        assertThat(journal.open()).isEmpty();
    }

    @Test
    void aRecordedJobCloudStackNoLongerKnowsIsEndedAndTheLookupDecides() {
        // given: the journal holds a job CloudStack has purged since
        String name = "migratekit-pgtest1-disk-2000-job-1";
        journal.recorded("1/createVolume/" + name, "createVolume", "job-old");
        cloud.answer("queryAsyncJobResult", 431, "{\"queryasyncjobresultresponse\":{\"errorcode\":431,"
                        + "\"cserrorcode\":4350,\"errortext\":\"Unable to execute API command queryasyncjobresult due to "
                        + "invalid value. Invalid parameter jobid value=job-old\"}}")
                .ok("listVolumes", volumes(volume(VOLUME_ID, name, "DATADISK", null, null)));

        // when
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-1", "disk-2000", 40, name));

        // then
        assertThat(volume).isEqualTo(new TargetVolume(VOLUME_ID, name, 40, "job-1", "disk-2000"));
        assertThat(cloud.commands()).containsExactly("queryAsyncJobResult", "listVolumes");
        assertThat(journal.open()).isEmpty();
    }

    @Test
    void aVolumeThatExistsByNameIsNotCreatedAgain() {
        // given
        String name = "migratekit-pgtest1-disk-2000-job-1";
        cloud.ok("listVolumes", volumes(volume("other", name + "-2", "DATADISK", null, null),
                volume(VOLUME_ID, name, "DATADISK", null, null)));

        // when
        TargetVolume volume = platform.createVolume(new VolumeRequest("job-1", "disk-2000", 40, name));

        // then
        assertThat(volume).isEqualTo(new TargetVolume(VOLUME_ID, name, 40, "job-1", "disk-2000"));
        assertThat(cloud.commands()).containsExactly("listVolumes");
        assertThat(journal.log()).isEmpty();
    }

    @Test
    void aFailedJobFailsTheOperationWithCloudStacksOwnErrorText() {
        // given
        String name = "migratekit-pgtest1-disk-2000-job-1";
        cloud.ok("listVolumes", "{}")
                .ok("createVolume", "{\"jobid\":\"job-c\",\"id\":\"" + VOLUME_ID + "\"}")
                .job("job-c", 2, "{\"errorcode\":530,\"cserrorcode\":4250,"
                        + "\"errortext\":\"Failed to create volume: no primary storage has 40 GB free\"}");

        // then
        assertThatThrownBy(() -> platform.createVolume(new VolumeRequest("job-1", "disk-2000", 40, name)))
                .isInstanceOfSatisfying(TargetPlatformException.class, e -> {
                    assertThat(e.operation()).isEqualTo(TargetOperation.CREATE_VOLUME);
                    assertThat(e.getMessage()).isEqualTo("CloudStack createVolume (job job-c) failed: Failed to create "
                            + "volume: no primary storage has 40 GB free (errorcode 530, cserrorcode 4250) "
                            + "[CloudStack target 1, createVolume/" + name + "]");
                });
        assertThat(journal.open()).isEmpty();
        assertThat(cloud.commands()).containsExactly("listVolumes", "createVolume", "queryAsyncJobResult");
    }

    @Test
    void aJobStillPendingAtTheBoundStaysRecordedForTheRetry() {
        // given
        cloud.ok("listVolumes", volumes(volume(VOLUME_ID, "v", "DATADISK", null, null)))
                .ok("attachVolume", "{\"jobid\":\"job-a\"}")
                .always("queryAsyncJobResult", 200,
                        "{\"queryasyncjobresultresponse\":{\"jobid\":\"job-a\",\"jobstatus\":0}}");

        CloudStackTargetPlatform impatient = platform(new Timing(Duration.ofSeconds(5), Duration.ofMillis(5),
                Duration.ofMillis(20), Duration.ofMillis(300), Duration.ofMinutes(5)));

        // then
        assertThatThrownBy(() -> impatient.attachToAppliance(VOLUME_ID))
                .isInstanceOfSatisfying(TargetPlatformException.class, e -> {
                    assertThat(e.operation()).isEqualTo(TargetOperation.ATTACH_VOLUME);
                    assertThat(e.getMessage()).isEqualTo("CloudStack attachVolume (job job-a): still pending after 0 s; "
                            + "a retry waits on the same job [CloudStack target 1, attachVolume/" + VOLUME_ID + "]");
                });
        assertThat(journal.open()).isEqualTo(Map.of("1/attachVolume/" + VOLUME_ID, "job-a"));
        assertThat(nbd.calls()).isEmpty();
    }

    @Test
    void buildsTheLiveFailoverVmFromTheReplicatedVolumesAndStartsIt() {
        // given: the OS volume still attached to the appliance, the data volume detached
        TargetVmSpec spec = new TargetVmSpec("failover-1", "pgtest1", 4, 8192, "linux", null);
        String vmName = "pgtest1-" + hash8("failover-1");
        cloud.ok("listVirtualMachines", "{}")
                .ok("listServiceOfferings", "{\"count\":2,\"serviceoffering\":[{\"id\":\"so-0\",\"name\":\"Small\","
                        + "\"iscustomized\":false},{\"id\":\"so-1\",\"name\":\"Custom\",\"iscustomized\":true}]}")
                .ok("deployVirtualMachine", "{\"jobid\":\"job-d\",\"id\":\"vm-1\"}")
                .job("job-d", 1, "{\"virtualmachine\":" + vm("vm-1", vmName, "pgtest1", "Stopped") + "}")
                .ok("listVolumes", volumes(volume("root-1", "ROOT-42", "ROOT", "vm-1", 0L)))
                .ok("listVolumes", volumes(volume("root-1", "ROOT-42", "ROOT", "vm-1", 0L)))
                .ok("detachVolume", "{\"jobid\":\"job-r\"}")
                .job("job-r", 1, "{\"volume\":" + volume("root-1", "ROOT-42", "ROOT", null, null) + "}")
                .ok("deleteVolume", "{\"success\":true}")
                .ok("listVolumes", volumes(volume("os-1", "os", "DATADISK", "app-1", 1L)))
                .ok("listVolumes", volumes(volume("os-1", "os", "DATADISK", "app-1", 1L)))
                .ok("detachVolume", "{\"jobid\":\"job-o\"}")
                .job("job-o", 1, "{\"volume\":" + volume("os-1", "os", "DATADISK", null, null) + "}")
                .ok("listVolumes", volumes(volume("os-1", "os", "DATADISK", null, null)))
                .ok("attachVolume", "{\"jobid\":\"job-ao\"}")
                .job("job-ao", 1, "{\"volume\":" + volume("os-1", "os", "ROOT", "vm-1", 0L) + "}")
                .ok("listVolumes", volumes(volume("data-1", "data", "DATADISK", null, null)))
                .ok("listVolumes", volumes(volume("data-1", "data", "DATADISK", null, null)))
                .ok("attachVolume", "{\"jobid\":\"job-ad\"}")
                .job("job-ad", 1, "{\"volume\":" + volume("data-1", "data", "DATADISK", "vm-1", 1L) + "}")
                .ok("listVirtualMachines", "{\"count\":1,\"virtualmachine\":[" + vm("vm-1", vmName, "pgtest1", "Stopped") + "]}")
                .ok("startVirtualMachine", "{\"jobid\":\"job-s\"}")
                .job("job-s", 1, "{\"virtualmachine\":" + vm("vm-1", vmName, "pgtest1", "Running") + "}")
                .ok("listVirtualMachines", "{\"count\":1,\"virtualmachine\":[" + vm("vm-1", vmName, "pgtest1", "Running") + "]}");

        // when
        TargetVm vm = platform.createVmFromVolumes(spec, List.of("os-1", "data-1"));
        platform.powerOn(vm.vmId());

        // then
        assertThat(vm).isEqualTo(new TargetVm("vm-1", spec, List.of("os-1", "data-1"), false, false));
        assertThat(cloud.commands()).containsExactly(
                "listVirtualMachines", "listServiceOfferings", "deployVirtualMachine", "queryAsyncJobResult",
                "listVolumes", "listVolumes", "detachVolume", "queryAsyncJobResult", "deleteVolume",
                "listVolumes", "listVolumes", "detachVolume", "queryAsyncJobResult",
                "listVolumes", "attachVolume", "queryAsyncJobResult",
                "listVolumes", "listVolumes", "attachVolume", "queryAsyncJobResult",
                "listVirtualMachines", "startVirtualMachine", "queryAsyncJobResult", "listVirtualMachines");
        assertThat(own("deployVirtualMachine")).containsExactly(Map.of("serviceofferingid", "so-1", "templateid", "t-1",
                "zoneid", "z-1", "name", vmName, "displayname", "pgtest1", "networkids", "n-live-1,n-live-2",
                "startvm", "false", "details[0].cpuNumber", "4", "details[0].memory", "8192"));
        assertThat(own("listVolumes").get(0)).isEqualTo(Map.of("virtualmachineid", "vm-1", "type", "ROOT",
                "listall", "true"));
        assertThat(own("detachVolume")).containsExactly(Map.of("id", "root-1"), Map.of("id", "os-1"));
        assertThat(own("deleteVolume")).containsExactly(Map.of("id", "root-1"));
        assertThat(own("attachVolume")).containsExactly(
                Map.of("id", "os-1", "virtualmachineid", "vm-1", "deviceid", "0"),
                Map.of("id", "data-1", "virtualmachineid", "vm-1"));
        assertThat(own("startVirtualMachine")).containsExactly(Map.of("id", "vm-1"));
        assertThat(own("queryAsyncJobResult")).extracting(p -> p.get("jobid"))
                .containsExactly("job-d", "job-r", "job-o", "job-ao", "job-ad", "job-s");
        assertThat(nbd.calls()).containsExactly("unexport migration-vol-os-1");
        assertThat(journal.open()).isEmpty();
    }

    @Test
    void aRetryOfAHalfBuiltVmIssuesOnlyWhatIsMissing() {
        // given: an earlier attempt deployed the VM, replaced its ROOT by the OS volume, started attaching the
        // data volume (job recorded) and stopped
        TargetVmSpec spec = new TargetVmSpec("failover-1", "pgtest1", 4, 8192, "linux", null);
        String vmName = "pgtest1-" + hash8("failover-1");
        journal.recorded("1/attachVolume/data-1", "attachVolume", "job-ad");
        cloud.ok("listVirtualMachines", "{\"count\":1,\"virtualmachine\":[" + vm("vm-1", vmName, "pgtest1", "Stopped") + "]}")
                .ok("listVolumes", volumes(volume("os-1", "os", "ROOT", "vm-1", 0L)))
                .ok("listVolumes", volumes(volume("os-1", "os", "ROOT", "vm-1", 0L)))
                .ok("listVolumes", volumes(volume("os-1", "os", "ROOT", "vm-1", 0L)))
                .ok("listVolumes", volumes(volume("data-1", "data", "DATADISK", null, null)))
                .job("job-ad", 0, null)
                .job("job-ad", 1, "{\"volume\":" + volume("data-1", "data", "DATADISK", "vm-1", 1L) + "}")
                .ok("listVolumes", volumes(volume("data-1", "data", "DATADISK", "vm-1", 1L)));

        // when
        TargetVm vm = platform.createVmFromVolumes(spec, List.of("os-1", "data-1"));

        // then
        assertThat(vm).isEqualTo(new TargetVm("vm-1", spec, List.of("os-1", "data-1"), false, false));
        assertThat(cloud.commands()).containsExactly("listVirtualMachines", "listVolumes", "listVolumes", "listVolumes",
                "listVolumes", "queryAsyncJobResult", "queryAsyncJobResult", "listVolumes");
        assertThat(own("listVirtualMachines")).containsExactly(Map.of("name", vmName, "zoneid", "z-1", "listall", "true"));
        assertThat(own("queryAsyncJobResult")).extracting(p -> p.get("jobid")).containsExactly("job-ad", "job-ad");
        assertThat(journal.open()).isEmpty();
        assertThat(nbd.calls()).isEmpty();
    }

    @Test
    void buildsTheTestVmFromClonesOfSnapshotsAndLeavesTheReplicaAttached() {
        // given
        TargetVmSpec spec = new TargetVmSpec("failover-2", "pgtest1-test-failover", 2, 4096, "linux", "isolated-test");
        String prefix = "mk-" + hash8("failover-2");
        String vmName = "pgtest1-test-failover-" + hash8("failover-2");
        cloud.ok("listSnapshots", "{}")
                .ok("createSnapshot", "{\"jobid\":\"job-sn\",\"id\":\"snap-1\"}")
                .job("job-sn", 1, "{\"snapshot\":{\"id\":\"snap-1\",\"name\":\"" + prefix + "-snap-0\","
                        + "\"volumeid\":\"os-1\",\"state\":\"BackedUp\"}}")
                .ok("listVolumes", "{}")
                .ok("createVolume", "{\"jobid\":\"job-cl\",\"id\":\"clone-1\"}")
                .job("job-cl", 1, "{\"volume\":" + volume("clone-1", prefix + "-clone-0", "DATADISK", null, null) + "}")
                .ok("listVirtualMachines", "{}")
                .ok("listServiceOfferings", "{\"count\":1,\"serviceoffering\":[{\"id\":\"so-1\",\"name\":\"Medium\","
                        + "\"iscustomized\":false,\"cpunumber\":2,\"memory\":4096}]}")
                .ok("deployVirtualMachine", "{\"jobid\":\"job-d\",\"id\":\"vm-2\"}")
                .job("job-d", 1, "{\"virtualmachine\":" + vm("vm-2", vmName, "pgtest1-test-failover", "Stopped") + "}")
                .ok("listVolumes", volumes(volume("root-2", "ROOT-43", "ROOT", "vm-2", 0L)))
                .ok("listVolumes", volumes(volume("root-2", "ROOT-43", "ROOT", "vm-2", 0L)))
                .ok("detachVolume", "{\"jobid\":\"job-r\"}")
                .job("job-r", 1, "{\"volume\":" + volume("root-2", "ROOT-43", "ROOT", null, null) + "}")
                .ok("deleteVolume", "{\"success\":true}")
                .ok("listVolumes", volumes(volume("clone-1", prefix + "-clone-0", "DATADISK", null, null)))
                .ok("listVolumes", volumes(volume("clone-1", prefix + "-clone-0", "DATADISK", null, null)))
                .ok("attachVolume", "{\"jobid\":\"job-a\"}")
                .job("job-a", 1, "{\"volume\":" + volume("clone-1", prefix + "-clone-0", "ROOT", "vm-2", 0L) + "}");

        // when
        TargetVm vm = platform.createVmFromSnapshots(spec, List.of("os-1"));

        // then
        assertThat(vm).isEqualTo(new TargetVm("vm-2", spec, List.of("clone-1"), true, false));
        assertThat(cloud.commands()).containsExactly(
                "listSnapshots", "createSnapshot", "queryAsyncJobResult",
                "listVolumes", "createVolume", "queryAsyncJobResult",
                "listVirtualMachines", "listServiceOfferings", "deployVirtualMachine", "queryAsyncJobResult",
                "listVolumes", "listVolumes", "detachVolume", "queryAsyncJobResult", "deleteVolume",
                "listVolumes", "listVolumes", "attachVolume", "queryAsyncJobResult");
        assertThat(own("listSnapshots")).containsExactly(Map.of("volumeid", "os-1", "name", prefix + "-snap-0",
                "listall", "true"));
        assertThat(own("createSnapshot")).containsExactly(Map.of("volumeid", "os-1", "name", prefix + "-snap-0"));
        assertThat(own("createVolume")).containsExactly(Map.of("name", prefix + "-clone-0", "snapshotid", "snap-1",
                "zoneid", "z-1"));
        assertThat(own("deployVirtualMachine")).containsExactly(Map.of("serviceofferingid", "so-1", "templateid", "t-1",
                "zoneid", "z-1", "name", vmName, "displayname", "pgtest1-test-failover", "networkids", "n-iso",
                "startvm", "false"));
        assertThat(own("detachVolume")).containsExactly(Map.of("id", "root-2"));
        assertThat(own("attachVolume")).containsExactly(Map.of("id", "clone-1", "virtualmachineid", "vm-2",
                "deviceid", "0"));
        assertThat(nbd.calls()).isEmpty();
    }

    @Test
    void cleansUpATestVmItsClonesAndSnapshots() {
        // given
        String prefix = "mk-" + hash8("failover-2");
        String vmName = "pgtest1-test-failover-" + hash8("failover-2");
        cloud.ok("listVirtualMachines", "{\"count\":1,\"virtualmachine\":["
                        + vm("vm-2", vmName, "pgtest1-test-failover", "Running") + "]}")
                .ok("stopVirtualMachine", "{\"jobid\":\"job-st\"}")
                .job("job-st", 1, "{\"virtualmachine\":" + vm("vm-2", vmName, "pgtest1-test-failover", "Stopped") + "}")
                .ok("listVolumes", volumes(volume("clone-1", prefix + "-clone-0", "ROOT", "vm-2", 0L),
                        volume("clone-2", prefix + "-clone-1", "DATADISK", "vm-2", 1L)))
                .ok("listVolumes", volumes(volume("clone-2", prefix + "-clone-1", "DATADISK", "vm-2", 1L)))
                .ok("detachVolume", "{\"jobid\":\"job-d2\"}")
                .job("job-d2", 1, "{\"volume\":" + volume("clone-2", prefix + "-clone-1", "DATADISK", null, null) + "}")
                .ok("listVolumes", volumes(volume("clone-1", prefix + "-clone-0", "ROOT", "vm-2", 0L)))
                .ok("detachVolume", "{\"jobid\":\"job-d1\"}")
                .job("job-d1", 1, "{\"volume\":" + volume("clone-1", prefix + "-clone-0", "ROOT", null, null) + "}")
                .ok("listVolumes", volumes(volume("clone-1", prefix + "-clone-0", "ROOT", null, null),
                        volume("clone-2", prefix + "-clone-1", "DATADISK", null, null),
                        volume("other", "mk-00000000-clone-0", "DATADISK", null, null)))
                .ok("deleteVolume", "{\"success\":true}")
                .answer("deleteVolume", 431, "{\"deletevolumeresponse\":{\"errorcode\":431,\"cserrorcode\":4350,"
                        + "\"errortext\":\"Unable to find volume with ID: clone-2\"}}")
                .ok("listVolumes", "{}")
                .ok("listSnapshots", "{\"count\":1,\"snapshot\":[{\"id\":\"snap-1\",\"name\":\"" + prefix
                        + "-snap-0\",\"volumeid\":\"os-1\",\"state\":\"BackedUp\"}]}")
                .ok("deleteSnapshot", "{\"jobid\":\"job-ds\"}")
                .job("job-ds", 1, "{\"success\":true}")
                .ok("listVirtualMachines", "{\"count\":1,\"virtualmachine\":["
                        + vm("vm-2", vmName, "pgtest1-test-failover", "Stopped") + "]}")
                .ok("destroyVirtualMachine", "{\"jobid\":\"job-x\"}")
                .job("job-x", 1, "{\"virtualmachine\":" + vm("vm-2", vmName, "pgtest1-test-failover", "Destroyed") + "}");

        // when
        platform.deleteVm("vm-2");

        // then: clone-2 vanished between listing and deleting, which is success
        assertThat(cloud.commands()).containsExactly(
                "listVirtualMachines", "stopVirtualMachine", "queryAsyncJobResult",
                "listVolumes", "listVolumes", "detachVolume", "queryAsyncJobResult",
                "listVolumes", "detachVolume", "queryAsyncJobResult",
                "listVolumes", "deleteVolume", "deleteVolume", "listVolumes",
                "listSnapshots", "deleteSnapshot", "queryAsyncJobResult",
                "listVirtualMachines", "destroyVirtualMachine", "queryAsyncJobResult");
        assertThat(own("stopVirtualMachine")).containsExactly(Map.of("id", "vm-2", "forced", "true"));
        assertThat(own("detachVolume")).containsExactly(Map.of("id", "clone-2"), Map.of("id", "clone-1"));
        assertThat(own("listVolumes").get(3)).isEqualTo(Map.of("keyword", prefix + "-clone-", "listall", "true"));
        assertThat(own("deleteVolume")).containsExactly(Map.of("id", "clone-1"), Map.of("id", "clone-2"));
        assertThat(own("listSnapshots")).containsExactly(Map.of("keyword", prefix + "-snap-", "listall", "true"));
        assertThat(own("deleteSnapshot")).containsExactly(Map.of("id", "snap-1"));
        assertThat(own("destroyVirtualMachine")).containsExactly(Map.of("id", "vm-2", "expunge", "true"));
        assertThat(journal.open()).isEmpty();
    }

    @Test
    void deletingWhatIsGoneSucceeds() {
        // given
        cloud.ok("listVirtualMachines", "{}").ok("listVolumes", "{}");

        // when
        platform.deleteVm("vm-gone");
        platform.deleteVolume("volume-gone");

        // then
        assertThat(cloud.commands()).containsExactly("listVirtualMachines", "listVolumes");
    }

    @Test
    void refusesToDeleteAVolumeAttachedToTheAppliance() {
        // given
        cloud.ok("listVolumes", volumes(volume(VOLUME_ID, "v", "DATADISK", "app-1", 1L)));

        // then
        assertThatThrownBy(() -> platform.deleteVolume(VOLUME_ID))
                .isInstanceOfSatisfying(TargetPlatformException.class, e -> {
                    assertThat(e.operation()).isEqualTo(TargetOperation.DELETE_VOLUME);
                    assertThat(e.getMessage()).isEqualTo("volume " + VOLUME_ID
                            + " is attached to the appliance; detach it first");
                });
        assertThat(cloud.commands()).containsExactly("listVolumes");
    }

    @Test
    void aTestNetworkThatIsNotMappedIsRefusedBeforeAnyCall() {
        // given
        TargetVmSpec spec = new TargetVmSpec("failover-3", "pgtest1-test-failover", 2, 4096, "linux", "prod-lan");

        // then
        assertThatThrownBy(() -> platform.createVmFromSnapshots(spec, List.of("os-1")))
                .isInstanceOfSatisfying(TargetPlatformException.class, e -> {
                    assertThat(e.operation()).isEqualTo(TargetOperation.CREATE_VM);
                    assertThat(e.getMessage()).isEqualTo("network prod-lan is not in the test network mapping of "
                            + "CloudStack target 1 (mapped: isolated-test)");
                });
        assertThat(cloud.requests()).isEmpty();
    }

    private CloudStackTargetPlatform platform(Timing timing) {
        return new CloudStackTargetPlatform(config, new CloudStackClient(cloud.url(), config.apiKey(),
                SECRET.getBytes(StandardCharsets.UTF_8), timing, Clock.systemUTC()), journal, nbd, "10.0.0.5", 10809);
    }

    private List<Map<String, String>> own(String command) {
        return cloud.requests().stream().filter(r -> command.equals(r.command())).map(Captured::own).toList();
    }

    static CloudStackTargetConfig config(String url) {
        return new CloudStackTargetConfig(1, url, "key-of-the-appliance", SecretSource.env("CS_SECRET"), "z-1", "d-1",
                "so-1", "t-1", "app-1",
                new NetworkMapping(List.of("n-test"), Map.of("isolated-test", List.of("n-iso"))),
                new NetworkMapping(List.of("n-live-1", "n-live-2"), Map.of()));
    }

    static String volume(String id, String name, String type, String vmId, Long deviceId) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"size\":" + 40 * GIB
                + ",\"zoneid\":\"z-1\",\"state\":\"Ready\""
                + (vmId == null ? "" : ",\"virtualmachineid\":\"" + vmId + "\",\"deviceid\":" + deviceId) + "}";
    }

    static String volumes(String... volumes) {
        return "{\"count\":" + volumes.length + ",\"volume\":[" + String.join(",", volumes) + "]}";
    }

    static String vm(String id, String name, String displayName, String state) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"displayname\":\"" + displayName + "\",\"state\":\""
                + state + "\",\"account\":\"migration\",\"zoneid\":\"z-1\",\"cpunumber\":4,\"memory\":8192,"
                + "\"nic\":[{\"id\":\"nic-1\",\"networkid\":\"n-live-1\",\"networkname\":\"live\",\"isdefault\":true}]}";
    }

    static String hash8(String requestKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(requestKey.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static CannedCloudStack canned() {
        try {
            return new CannedCloudStack(SECRET);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
