package io.migratekit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ReplicationBodyTest {

    private static JsonNode json(String text) {
        return ApiClient.JSON.readTree(text.replace('\'', '"'));
    }

    private static final JsonNode DETAIL = json("{'context':{'vmware_vm_id':'4205-aa','vm_path':'/DC/vm/web',"
            + "'vcenter_host':'vc.local','datacenter':'DC'},'job_history':[{'ossea_config_id':null},"
            + "{'ossea_config_id':7}]}");

    private static ReplicationBody.Flags flags(String type, boolean noStart) {
        return new ReplicationBody.Flags(type, noStart, null, null, null, null, null, null);
    }

    @Test
    void aManagedVmsIdentityAndTargetComeFromItsContextAndAutoLeavesTheTypeOut() {
        JsonNode body = ReplicationBody.of("web", DETAIL, flags("auto", false));

        assertThat(body.toString()).isEqualTo(json("{'source_vm':{'id':'4205-aa','name':'web','path':'/DC/vm/web',"
                + "'vm_id':'4205-aa','vm_name':'web','vm_path':'/DC/vm/web','datacenter':'DC','vcenter_host':'vc.local',"
                + "'disks':[],'networks':[]},'ossea_config_id':7,'vcenter_host':'vc.local','datacenter':'DC',"
                + "'start_replication':true}").toString());
    }

    @Test
    void flagsOverrideTheContextAndNameTheTypeNetworkAndNoStart() {
        JsonNode body = ReplicationBody.of("web", DETAIL, new ReplicationBody.Flags("incremental", true, null, null,
                "vc2.local", null, 3L, "net-1"));

        assertThat(body.get("replication_type").asString()).isEqualTo("incremental");
        assertThat(body.get("start_replication").asBoolean()).isFalse();
        assertThat(body.get("ossea_config_id").asLong()).isEqualTo(3);
        assertThat(body.get("target_network").asString()).isEqualTo("net-1");
        assertThat(body.get("vcenter_host").asString()).isEqualTo("vc2.local");
        assertThat(body.get("source_vm").get("vcenter_host").asString()).isEqualTo("vc2.local");
        assertThat(body.get("datacenter").asString()).isEqualTo("DC");
    }

    @Test
    void anUnmanagedVmNeedsItsIdentityFromFlagsAndIsToldWhichAreMissing() {
        assertThatThrownBy(() -> ReplicationBody.of("db", null, new ReplicationBody.Flags(null, false, "id-1", null,
                "vc", null, null, null)))
                .isInstanceOfSatisfying(CliFailure.class, failure -> {
                    assertThat(failure.exitCode()).isEqualTo(ExitCodes.REFUSED);
                    assertThat(failure.getMessage()).isEqualTo("VM db is not managed yet: give --vm-path, --datacenter");
                });

        JsonNode body = ReplicationBody.of("db", null, new ReplicationBody.Flags(null, true, "id-1", "/DC/vm/db", "vc",
                "DC", null, null));
        assertThat(body.has("ossea_config_id")).isFalse();
        assertThat(body.has("replication_type")).isFalse();
        assertThat(body.get("source_vm").get("id").asString()).isEqualTo("id-1");
    }

    @Test
    void anUnknownTypeIsRefused() {
        assertThatThrownBy(() -> ReplicationBody.of("web", DETAIL, flags("full", false)))
                .isInstanceOfSatisfying(CliFailure.class, failure -> assertThat(failure.getMessage())
                        .isEqualTo("--type must be auto, initial or incremental, not full"));
    }
}
