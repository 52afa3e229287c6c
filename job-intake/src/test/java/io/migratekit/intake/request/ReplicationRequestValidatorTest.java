package io.migratekit.intake.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.events.DiskSpec;
import io.migratekit.events.NetworkSpec;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationType;
import io.migratekit.events.SourceVm;
import io.migratekit.intake.api.ApiProblem;
import io.migratekit.intake.request.ReplicationRequestBody.DiskBody;
import io.migratekit.intake.request.ReplicationRequestBody.NetworkBody;
import io.migratekit.intake.request.ReplicationRequestBody.SourceVmBody;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;

class ReplicationRequestValidatorTest {

    private static final String VM = "420570c7-f61f-a930-77c5-1e876786cb3c";

    private final ReplicationRequestValidator validator = new ReplicationRequestValidator();

    @Test
    void theSeedPayloadIsAcceptedWithEveryFieldAndEmptyStringsAsNotSet() {
        ReplicationRequestBody body = validator.validate(bytes(SampleBodies.full(VM)));

        assertThat(body).isEqualTo(new ReplicationRequestBody(
                new SourceVmBody(VM, "pgtest1", "/DatabanxDC/vm/pgtest1", VM, "pgtest1", "/DatabanxDC/vm/pgtest1",
                        "DatabanxDC", "vcenter.example.test", 2, 8192L, "poweredOn", "windows", "vmx-19",
                        List.of(new DiskBody("disk-2000", "Hard disk 1", "[ds1] pgtest1/pgtest1.vmdk",
                                "[ds1] pgtest1/pgtest1.vmdk", 40L, 42949672960L, "ds1", "thin", 0)),
                        List.of(new NetworkBody("Network adapter 1", "VM Network", "vmxnet3", "00:50:56:aa:bb:cc",
                                true))),
                1L, "initial", null, "vcenter.example.test", "DatabanxDC", null, null, null, true,
                "exec-42", "group-7", "scheduler-service"));
    }

    @Test
    void theEventCarriesEveryFieldAndThePrincipal() {
        ReplicationRequest event = validator.validate(bytes(SampleBodies.full(VM))).toEvent("gui-backend");

        assertThat(event).isEqualTo(ReplicationRequest.newBuilder()
                .setSourceVm(SourceVm.newBuilder()
                        .setId(VM).setName("pgtest1").setPath("/DatabanxDC/vm/pgtest1")
                        .setVmId(VM).setVmName("pgtest1").setVmPath("/DatabanxDC/vm/pgtest1")
                        .setDatacenter("DatabanxDC").setVcenterHost("vcenter.example.test")
                        .setCpus(2).setMemoryMb(8192L).setPowerState("poweredOn").setOsType("windows")
                        .setVmxVersion("vmx-19")
                        .setDisks(List.of(DiskSpec.newBuilder().setId("disk-2000").setLabel("Hard disk 1")
                                .setPath("[ds1] pgtest1/pgtest1.vmdk").setVmdkPath("[ds1] pgtest1/pgtest1.vmdk")
                                .setSizeGb(40L).setCapacityBytes(42949672960L).setDatastore("ds1")
                                .setProvisioningType("thin").setUnitNumber(0).build()))
                        .setNetworks(List.of(NetworkSpec.newBuilder().setLabel("Network adapter 1")
                                .setNetworkName("VM Network").setAdapterType("vmxnet3")
                                .setMacAddress("00:50:56:aa:bb:cc").setConnected(true).build()))
                        .build())
                .setOsseaConfigId(1L)
                .setReplicationType(ReplicationType.initial)
                .setVcenterHost("vcenter.example.test")
                .setDatacenter("DatabanxDC")
                .setStartReplication(true)
                .setScheduleExecutionId("exec-42")
                .setVmGroupId("group-7")
                .setScheduledBy("scheduler-service")
                .setRequestedBy("gui-backend")
                .build());
    }

    @Test
    void onlySourceVmIsRequiredAndStartReplicationDefaultsToTrueWithAutoDetectedType() {
        ReplicationRequestBody body = validator.validate(bytes(SampleBodies.minimal(VM, "web01")));

        assertThat(body).isEqualTo(new ReplicationRequestBody(
                new SourceVmBody(VM, "web01", "/DC1/vm/web01", null, null, null, null, null, null, null, null, null,
                        null, List.of(), List.of()),
                null, null, null, null, null, null, null, null, true, null, null, null));
        assertThat(body.toEvent("api").getReplicationType()).isNull();
    }

    @Test
    void startReplicationFalseAndIncrementalAndNullsAreHonoured() {
        ReplicationRequestBody body = validator.validate(bytes("""
                {"source_vm": {"id": "a", "name": "b", "path": "/c", "disks": null, "cpus": null},
                 "start_replication": false, "replication_type": "incremental", "ossea_config_id": null}
                """));

        assertThat(body.startReplication()).isFalse();
        assertThat(body.replicationType()).isEqualTo("incremental");
        assertThat(body.osseaConfigId()).isNull();
        assertThat(body.sourceVm().disks()).isEmpty();
        assertThat(body.sourceVm().cpus()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|the request body is empty",
            "not json|the request body is not valid JSON (line 1, column 1)",
            "[1, 2]|the request body must be a JSON object",
            "\"text\"|the request body must be a JSON object",
            "{\"source_vm\": {}} trailing|the request body is not valid JSON (line 1, column 19)",
            "{\"source_vm\": {\"id\": \"a\", \"id\": \"b\"}}|the request body is not valid JSON (line 1, column 31)",
            "{\"source_vm\": \"vm\"}|source_vm must be a JSON object",
            "{\"source_vm\": {\"id\": 12, \"name\": \"n\", \"path\": \"/p\"}}|source_vm.id must be a string",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"cpus\": \"2\"}}|source_vm.cpus must be an integer",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"cpus\": 2.5}}|source_vm.cpus must be an integer",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"cpus\": -1}}|source_vm.cpus must be between 0 and 4096",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"memory_mb\": 123456789012345678901234567890}}|source_vm.memory_mb must be an integer",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"disks\": {}}}|source_vm.disks must be an array",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"disks\": [{}, 3]}}|source_vm.disks[1] must be a JSON object",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"disks\": [{\"size_gb\": \"40\"}]}}|source_vm.disks[0].size_gb must be an integer",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"networks\": [{\"connected\": \"yes\"}]}}|source_vm.networks[0].connected must be true or false",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}, \"start_replication\": \"true\"}|start_replication must be true or false",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}, \"ossea_config_id\": \"1\"}|ossea_config_id must be an integer",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}, \"replication_type\": 1}|replication_type must be a string",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}, \"schedule_execution_id\": 7}|schedule_execution_id must be a string",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\\u0000x\", \"path\": \"/p\"}}|source_vm.name contains control characters or invalid Unicode",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"\\ud800\", \"path\": \"/p\"}}|source_vm.name contains control characters or invalid Unicode",
    })
    void unreadableOrMistypedBodiesAreAnInvalidPayloadNamingTheField(String body, String details) {
        assertProblem(body, HttpStatus.BAD_REQUEST, "Invalid request payload", details);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|source_vm with id, name and path is required",
            "{\"source_vm\": null}|source_vm with id, name and path is required",
            "{\"source_vm\": {}}|missing or empty: source_vm.id, source_vm.name, source_vm.path",
            "{\"source_vm\": {\"id\": \"a\", \"name\": \"  \", \"path\": \"/p\"}}|missing or empty: source_vm.name",
            "{\"source_vm\": {\"id\": \"\", \"name\": \"n\"}}|missing or empty: source_vm.id, source_vm.path",
    })
    void aSourceVmWithoutIdNameOrPathIsRefused(String body, String details) {
        assertProblem(body, HttpStatus.BAD_REQUEST, "Source VM information is required", details);
    }

    @Test
    void anUnknownReplicationTypeIsRefusedListingTheAllowedValues() {
        assertProblem("{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}, \"replication_type\": \"full\"}",
                HttpStatus.BAD_REQUEST, "Invalid replication type",
                "replication_type must be one of: initial, incremental (or omitted to auto-detect)");
    }

    @Test
    void stringsAndArraysHaveLengthLimitsNamingTheField() {
        assertProblem("{\"source_vm\": {\"id\": \"a\", \"name\": \"" + "n".repeat(256) + "\", \"path\": \"/p\"}}",
                HttpStatus.BAD_REQUEST, "Invalid request payload", "source_vm.name is longer than 255 characters");
        assertProblem("{\"source_vm\": {\"id\": \"" + "i".repeat(65) + "\", \"name\": \"n\", \"path\": \"/p\"}}",
                HttpStatus.BAD_REQUEST, "Invalid request payload", "source_vm.id is longer than 64 characters");
        assertProblem("{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}, \"change_id\": \""
                        + "c".repeat(513) + "\"}",
                HttpStatus.BAD_REQUEST, "Invalid request payload", "change_id is longer than 512 characters");
        assertProblem("{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\", \"disks\": ["
                        + "{},".repeat(256) + "{}]}}",
                HttpStatus.BAD_REQUEST, "Invalid request payload", "source_vm.disks has more than 256 entries");
    }

    @Test
    void deeplyNestedBodiesAreRefusedBeforeTheyCostAnything() {
        String deep = "{\"x\":".repeat(40) + "1" + "}".repeat(40);

        assertThatThrownBy(() -> validator.validate(bytes(deep)))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(problem.error()).isEqualTo("Invalid request payload");
                    assertThat(problem.details()).startsWith("the request body is not valid JSON");
                });
    }

    @Test
    void withNoConfiguredTargetEveryNamedOsseaConfigIdIsRefusedAndOmittedIsAccepted() {
        ReplicationRequestValidator none = new ReplicationRequestValidator(Optional.of(new TreeSet<>()));
        String body = "{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"}";

        assertThatThrownBy(() -> none.validate(bytes(body + ", \"ossea_config_id\": 1}")))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(problem.error()).isEqualTo("Unknown CloudStack target");
                    assertThat(problem.details())
                            .isEqualTo("ossea_config_id 1 is not a configured CloudStack target; configured: none");
                });
        assertThat(none.validate(bytes(body + "}")).osseaConfigId()).isNull();
    }

    @Test
    void withoutTargetIdsAnyOsseaConfigIdIsAccepted() {
        assertThat(validator.validate(bytes("{\"source_vm\": {\"id\": \"a\", \"name\": \"n\", \"path\": \"/p\"},"
                + " \"ossea_config_id\": 99}")).osseaConfigId()).isEqualTo(99L);
    }

    private AbstractThrowableAssert<?, ?> assertProblem(String body, HttpStatus status, String error, String details) {
        return assertThatThrownBy(() -> validator.validate(bytes(body)))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(status);
                    assertThat(problem.error()).isEqualTo(error);
                    assertThat(problem.details()).isEqualTo(details);
                });
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
