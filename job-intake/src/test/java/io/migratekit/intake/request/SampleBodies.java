package io.migratekit.intake.request;

/** Request bodies in the seed's shapes, for the tests. */
public final class SampleBodies {

    private SampleBodies() {
    }

    /** The seed's standard payload, every field set. */
    public static String full(String vmId) {
        return """
                {
                  "source_vm": {
                    "id": "%1$s",
                    "name": "pgtest1",
                    "path": "/DatabanxDC/vm/pgtest1",
                    "vm_id": "%1$s",
                    "vm_name": "pgtest1",
                    "vm_path": "/DatabanxDC/vm/pgtest1",
                    "datacenter": "DatabanxDC",
                    "vcenter_host": "vcenter.example.test",
                    "cpus": 2,
                    "memory_mb": 8192,
                    "power_state": "poweredOn",
                    "os_type": "windows",
                    "vmx_version": "vmx-19",
                    "disks": [
                      {"id": "disk-2000", "label": "Hard disk 1", "path": "[ds1] pgtest1/pgtest1.vmdk",
                       "vmdk_path": "[ds1] pgtest1/pgtest1.vmdk", "size_gb": 40, "capacity_bytes": 42949672960,
                       "datastore": "ds1", "provisioning_type": "thin", "unit_number": 0, "extra": "ignored"}
                    ],
                    "networks": [
                      {"label": "Network adapter 1", "network_name": "VM Network", "adapter_type": "vmxnet3",
                       "mac_address": "00:50:56:aa:bb:cc", "connected": true}
                    ]
                  },
                  "ossea_config_id": 1,
                  "replication_type": "initial",
                  "target_network": "",
                  "vcenter_host": "vcenter.example.test",
                  "datacenter": "DatabanxDC",
                  "change_id": "",
                  "previous_change_id": "",
                  "snapshot_id": "",
                  "start_replication": true,
                  "schedule_execution_id": "exec-42",
                  "vm_group_id": "group-7",
                  "scheduled_by": "scheduler-service"
                }
                """.formatted(vmId);
    }

    /** Only what is required. */
    public static String minimal(String vmId, String name) {
        return """
                {"source_vm": {"id": "%s", "name": "%s", "path": "/DC1/vm/%s"}}
                """.formatted(vmId, name, name);
    }
}
